package com.rackflow.local.s3;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * AWS Signature Version 4 as S3 checks it, for a request signed in its {@code Authorization} header or presigned in its
 * query string (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-authenticating-requests.html): the canonical
 * request (method, path encoded once, sorted query without {@code X-Amz-Signature}, the signed headers, the payload
 * hash), the string to sign, the signing key derived from the secret, date, region and service.
 */
final class SigV4 {
    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    /** The longest a presigned URL may be valid (seven days). */
    static final long MAX_EXPIRES_SECONDS = 604_800;
    /** How far a header-signed request's time may be from the server's. */
    static final long MAX_SKEW_SECONDS = 900;

    /** A refusal: S3's error code, HTTP status and message. */
    static final class Refused extends RuntimeException {
        final int status;
        final String code;

        Refused(int status, String code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }
    }

    /** What the request looks like to the verifier. */
    record Request(String method, String rawPath, Map<String, List<String>> query, Map<String, List<String>> headers) {
        String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null || v.isEmpty() ? null : v.get(0);
        }

        String param(String name) {
            List<String> v = query.get(name);
            return v == null || v.isEmpty() ? null : v.get(0);
        }
    }

    /** The verified request: who signed it and the payload hash it promised (null or UNSIGNED-PAYLOAD or streaming). */
    record Verified(String accessKeyId, boolean presigned, String payloadHash) {
    }

    private SigV4() {
    }

    /**
     * Verifies the request's signature with the secret of its access key ({@code secrets}: null for an unknown key);
     * throws {@link Refused} with S3's code otherwise.
     */
    static Verified verify(Request r, Function<String, String> secrets, Instant now) {
        String auth = r.header("authorization");
        boolean presigned = r.param("X-Amz-Signature") != null || r.param("X-Amz-Credential") != null;
        if (auth == null && !presigned) {
            throw new Refused(403, "AccessDenied", "Access Denied");
        }
        if (auth != null && presigned) {
            throw new Refused(400, "InvalidArgument", "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified");
        }
        String credential;
        String signedHeaders;
        String signature;
        String amzDate;
        String payloadHash;
        if (presigned) {
            if (!ALGORITHM.equals(r.param("X-Amz-Algorithm"))) {
                throw new Refused(400, "AuthorizationQueryParametersError", "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
            }
            credential = required(r.param("X-Amz-Credential"), "X-Amz-Credential");
            signedHeaders = required(r.param("X-Amz-SignedHeaders"), "X-Amz-SignedHeaders");
            signature = required(r.param("X-Amz-Signature"), "X-Amz-Signature");
            amzDate = required(r.param("X-Amz-Date"), "X-Amz-Date");
            long expires;
            try {
                expires = Long.parseLong(required(r.param("X-Amz-Expires"), "X-Amz-Expires"));
            } catch (NumberFormatException e) {
                throw new Refused(400, "AuthorizationQueryParametersError", "X-Amz-Expires should be a number");
            }
            if (expires < 1 || expires > MAX_EXPIRES_SECONDS) {
                throw new Refused(400, "AuthorizationQueryParametersError",
                        "X-Amz-Expires must be less than a week (in seconds) that is 604800");
            }
            Instant signedAt = parseDate(amzDate);
            if (now.isAfter(signedAt.plusSeconds(expires))) {
                throw new Refused(403, "AccessDenied", "Request has expired");
            }
            if (signedAt.isAfter(now.plusSeconds(MAX_SKEW_SECONDS))) {
                throw new Refused(403, "AccessDenied", "Request is not valid yet");
            }
            payloadHash = r.param("X-Amz-Content-Sha256") != null ? r.param("X-Amz-Content-Sha256") : "UNSIGNED-PAYLOAD";
        } else {
            if (!auth.startsWith(ALGORITHM + " ")) {
                throw new Refused(400, "InvalidArgument", "Unsupported Authorization Type");
            }
            Map<String, String> parts = new TreeMap<>();
            for (String p : auth.substring(ALGORITHM.length() + 1).split(",")) {
                int eq = p.indexOf('=');
                if (eq > 0) {
                    parts.put(p.substring(0, eq).trim(), p.substring(eq + 1).trim());
                }
            }
            credential = required(parts.get("Credential"), "Credential");
            signedHeaders = required(parts.get("SignedHeaders"), "SignedHeaders");
            signature = required(parts.get("Signature"), "Signature");
            amzDate = r.header("x-amz-date");
            if (amzDate == null) {
                throw new Refused(403, "AccessDenied", "AWS authentication requires a valid Date or x-amz-date header");
            }
            Instant signedAt = parseDate(amzDate);
            if (Math.abs(now.getEpochSecond() - signedAt.getEpochSecond()) > MAX_SKEW_SECONDS) {
                throw new Refused(403, "RequestTimeTooSkewed", "The difference between the request time and the current time is too large.");
            }
            payloadHash = r.header("x-amz-content-sha256");
            if (payloadHash == null) {
                throw new Refused(400, "InvalidRequest", "Missing required header for this request: x-amz-content-sha256");
            }
        }
        String[] scope = credential.split("/");
        if (scope.length != 5 || !"aws4_request".equals(scope[4]) || !"s3".equals(scope[3])) {
            throw new Refused(400, "AuthorizationHeaderMalformed", "The authorization header is malformed; the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".");
        }
        if (!amzDate.startsWith(scope[1])) {
            throw new Refused(403, "SignatureDoesNotMatch", "The date of the credential scope is not the request's date");
        }
        String secret = secrets.apply(scope[0]);
        if (secret == null) {
            throw new Refused(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.");
        }
        List<String> signed = List.of(signedHeaders.split(";"));
        if (!signed.contains("host")) {
            throw new Refused(403, "SignatureDoesNotMatch", "The host header must be signed");
        }
        String canonical = canonicalRequest(r, signed, payloadHash, presigned);
        String stringToSign = ALGORITHM + "\n" + amzDate + "\n" + scope[1] + "/" + scope[2] + "/" + scope[3] + "/aws4_request\n"
                + hex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), scope[1]);
        key = hmac(key, scope[2]);
        key = hmac(key, scope[3]);
        key = hmac(key, "aws4_request");
        String expected = hex(hmac(key, stringToSign));
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), signature.getBytes(StandardCharsets.US_ASCII))) {
            throw new Refused(403, "SignatureDoesNotMatch",
                    "The request signature we calculated does not match the signature you provided. Check your key and signing method.");
        }
        return new Verified(scope[0], presigned, payloadHash);
    }

    static String canonicalRequest(Request r, List<String> signedHeaders, String payloadHash, boolean presigned) {
        StringBuilder c = new StringBuilder();
        c.append(r.method()).append('\n');
        c.append(canonicalPath(r.rawPath())).append('\n');
        List<String> pairs = new ArrayList<>();
        r.query().forEach((name, values) -> {
            if (presigned && name.equals("X-Amz-Signature")) {
                return;
            }
            for (String v : values) {
                pairs.add(encode(name) + "=" + encode(v));
            }
        });
        pairs.sort(null);
        c.append(String.join("&", pairs)).append('\n');
        for (String h : signedHeaders) {
            List<String> values = r.headers().get(h);
            String value = values == null ? "" : String.join(",", values.stream().map(SigV4::trim).toList());
            c.append(h).append(':').append(value).append('\n');
        }
        c.append('\n').append(String.join(";", signedHeaders)).append('\n').append(payloadHash);
        return c.toString();
    }

    /** The path as S3 canonicalises it: each segment decoded, then encoded once (no normalisation of dots or slashes). */
    static String canonicalPath(String rawPath) {
        StringBuilder out = new StringBuilder();
        String[] segments = rawPath.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) {
                out.append('/');
            }
            out.append(encode(java.net.URLDecoder.decode(segments[i].replace("+", "%2B"), StandardCharsets.UTF_8)));
        }
        return out.isEmpty() ? "/" : out.toString();
    }

    /** RFC 3986 percent-encoding of everything but the unreserved characters, upper-case hex. */
    static String encode(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char ch = (char) (b & 0xff);
            if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')
                    || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
                out.append(ch);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static String trim(String v) {
        return v.trim().replaceAll(" +", " ");
    }

    private static String required(String v, String name) {
        if (v == null || v.isEmpty()) {
            throw new Refused(400, "AuthorizationQueryParametersError", "missing " + name);
        }
        return v;
    }

    private static Instant parseDate(String amzDate) {
        try {
            return AMZ_DATE.parse(amzDate, Instant::from);
        } catch (DateTimeParseException e) {
            throw new Refused(400, "AuthorizationQueryParametersError", "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
