package com.rackflow.local.s3;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * An S3 endpoint on this machine for declared buckets, with the semantics the application relies on: path-style
 * {@code PUT}, {@code GET}, {@code HEAD} and {@code DELETE} of an object; every request authenticated with Signature
 * Version 4 (in the {@code Authorization} header or presigned in the query string; expiry, signed headers such as a
 * presigned {@code Content-Length} or {@code Content-Type}, the payload's SHA-256 and {@code Content-MD5} checked);
 * buckets private (an unsigned request is 403 {@code AccessDenied}); S3's XML errors; the bucket's CORS rules
 * (preflight and the answer's headers); lifecycle expiration by prefix and age; {@code aws-chunked} uploads as the
 * SDK sends them (the chunk signatures are not checked). Objects are files in a folder (written to a temporary file
 * then moved in place), so they survive a restart and a kill -9.
 */
public final class LocalS3 implements AutoCloseable {
    /** A bucket's CORS rule (AWS::S3::Bucket CorsRules). */
    public record CorsRule(List<String> allowedOrigins, List<String> allowedMethods, List<String> allowedHeaders,
                           List<String> exposedHeaders, Integer maxAge) {
    }

    /** A lifecycle rule: objects under {@code prefix} expire {@code days} after they were written. */
    public record Expiration(String prefix, int days) {
    }

    public record Bucket(String name, List<CorsRule> cors, List<Expiration> expirations) {
        public Bucket(String name) {
            this(name, List.of(), List.of());
        }
    }

    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
    private static final long MAX_OBJECT_BYTES = 5L * 1024 * 1024 * 1024;

    private final HttpServer server;
    private final ExecutorService threads;
    private final Path root;
    private final Function<String, String> secrets;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private volatile Clock clock;

    private LocalS3(HttpServer server, ExecutorService threads, Path root, Function<String, String> secrets, Clock clock) {
        this.server = server;
        this.threads = threads;
        this.root = root;
        this.secrets = secrets;
        this.clock = clock;
    }

    /**
     * Listens on {@code port} (0: any free one) and keeps objects under {@code dataDir}.
     *
     * @param secrets the secret access key of an access key id, null when unknown
     */
    public static LocalS3 start(int port, Path dataDir, Function<String, String> secrets) {
        try {
            Files.createDirectories(dataDir);
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
            ExecutorService threads = Executors.newFixedThreadPool(16, r -> {
                Thread t = new Thread(r, "s3");
                t.setDaemon(true);
                return t;
            });
            server.setExecutor(threads);
            LocalS3 s3 = new LocalS3(server, threads, dataDir, secrets, Clock.systemUTC());
            server.createContext("/", s3::handle);
            server.start();
            return s3;
        } catch (IOException e) {
            throw new IllegalStateException("cannot serve S3 on port " + port + ": " + e.getMessage(), e);
        }
    }

    /** Declares a bucket (its folder is kept when it exists). */
    public void createBucket(Bucket bucket) {
        try {
            Files.createDirectories(root.resolve(bucket.name()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        buckets.put(bucket.name(), bucket);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** For tests of expiry: the clock signatures and lifecycle are checked against. */
    public void clock(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    // --- requests ---

    private void handle(HttpExchange x) throws IOException {
        String requestId = UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase(Locale.ROOT);
        try (x) {
            x.getResponseHeaders().set("x-amz-request-id", requestId);
            x.getResponseHeaders().set("Server", "AmazonS3");
            String rawPath = x.getRequestURI().getRawPath();
            String path = decode(rawPath);
            int slash = path.indexOf('/', 1);
            String bucketName = slash < 0 ? path.substring(1) : path.substring(1, slash);
            String key = slash < 0 ? "" : path.substring(slash + 1);
            Bucket bucket = buckets.get(bucketName);
            String method = x.getRequestMethod();
            try {
                if (bucket == null) {
                    throw new SigV4.Refused(404, "NoSuchBucket", "The specified bucket does not exist");
                }
                if (method.equals("OPTIONS")) {
                    preflight(x, bucket);
                    return;
                }
                cors(x, bucket, method);
                Map<String, List<String>> query = query(x.getRequestURI().getRawQuery());
                SigV4.Verified v = SigV4.verify(new SigV4.Request(method, rawPath, query, headers(x.getRequestHeaders())),
                        secrets, clock.instant());
                if (key.isEmpty()) {
                    throw new SigV4.Refused(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
                }
                switch (method) {
                    case "PUT" -> put(x, bucket, key, v);
                    case "GET", "HEAD" -> get(x, bucket, key, query, method.equals("HEAD"));
                    case "DELETE" -> {
                        Files.deleteIfExists(data(bucket.name(), key));
                        Files.deleteIfExists(meta(bucket.name(), key));
                        x.sendResponseHeaders(204, -1);
                    }
                    default -> throw new SigV4.Refused(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
                }
            } catch (SigV4.Refused e) {
                error(x, e.status, e.code, e.getMessage(), rawPath, requestId);
            }
        }
    }

    private void put(HttpExchange x, Bucket bucket, String key, SigV4.Verified v) throws IOException {
        Headers h = x.getRequestHeaders();
        String declared = h.getFirst("Content-Length");
        if (declared == null && !"chunked".equalsIgnoreCase(h.getFirst("Transfer-Encoding"))) {
            throw new SigV4.Refused(411, "MissingContentLength", "You must provide the Content-Length HTTP header.");
        }
        if (declared != null && Long.parseLong(declared) > MAX_OBJECT_BYTES) {
            throw new SigV4.Refused(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size");
        }
        byte[] body = readAll(x.getRequestBody());
        String payloadHash = v.payloadHash();
        boolean chunked = payloadHash.startsWith("STREAMING-") || containsToken(h.getFirst("Content-Encoding"), "aws-chunked");
        if (chunked) {
            body = AwsChunked.decode(body);
            String decoded = h.getFirst("x-amz-decoded-content-length");
            if (decoded != null && Long.parseLong(decoded) != body.length) {
                throw new SigV4.Refused(400, "IncompleteBody", "You did not provide the number of bytes specified by the x-amz-decoded-content-length HTTP header");
            }
        } else if (!payloadHash.equals("UNSIGNED-PAYLOAD") && !SigV4.hex(SigV4.sha256(body)).equals(payloadHash)) {
            throw new SigV4.Refused(400, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.");
        }
        byte[] md5 = md5(body);
        String contentMd5 = h.getFirst("Content-MD5");
        if (contentMd5 != null && !contentMd5.equals(Base64.getEncoder().encodeToString(md5))) {
            throw new SigV4.Refused(400, "BadDigest", "The Content-MD5 you specified did not match what we received.");
        }
        String etag = "\"" + HexFormat.of().formatHex(md5) + "\"";
        Properties meta = new Properties();
        meta.setProperty("key", key);
        meta.setProperty("etag", etag);
        meta.setProperty("lastModified", clock.instant().toString());
        meta.setProperty("contentType", h.getFirst("Content-Type") == null ? "binary/octet-stream" : h.getFirst("Content-Type"));
        meta.setProperty("size", String.valueOf(body.length));
        for (Map.Entry<String, List<String>> e : h.entrySet()) {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            if (name.startsWith("x-amz-meta-") || name.equals("content-disposition")) {
                meta.setProperty("header." + name, e.getValue().get(0));
            }
        }
        Path data = data(bucket.name(), key);
        Path tmp = data.resolveSibling(data.getFileName() + "." + UUID.randomUUID() + ".tmp");
        Files.write(tmp, body);
        Files.move(tmp, data, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Path metaTmp = tmp.resolveSibling(tmp.getFileName() + ".meta");
        try (var out = Files.newOutputStream(metaTmp)) {
            meta.store(out, null);
        }
        Files.move(metaTmp, meta(bucket.name(), key), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        x.getResponseHeaders().set("ETag", etag);
        x.sendResponseHeaders(200, -1);
    }

    private void get(HttpExchange x, Bucket bucket, String key, Map<String, List<String>> query, boolean head) throws IOException {
        Properties meta = new Properties();
        Path metaFile = meta(bucket.name(), key);
        Path data = data(bucket.name(), key);
        if (!Files.exists(metaFile) || !Files.exists(data)) {
            throw noSuchKey(head);
        }
        try (var in = Files.newInputStream(metaFile)) {
            meta.load(in);
        }
        Instant written = Instant.parse(meta.getProperty("lastModified"));
        if (expired(bucket, key, written)) {
            throw noSuchKey(head);
        }
        byte[] body = Files.readAllBytes(data);
        if (!meta.getProperty("etag").equals("\"" + HexFormat.of().formatHex(md5(body)) + "\"")) {
            throw noSuchKey(head);   // a write replaced the data but died before its metadata: S3 never shows half a put
        }
        Headers out = x.getResponseHeaders();
        out.set("ETag", meta.getProperty("etag"));
        out.set("Last-Modified", HTTP_DATE.format(written));
        out.set("Content-Type", meta.getProperty("contentType"));
        out.set("Accept-Ranges", "bytes");
        for (String name : meta.stringPropertyNames()) {
            if (name.startsWith("header.")) {
                out.set(name.substring("header.".length()), meta.getProperty(name));
            }
        }
        for (String override : List.of("content-type", "content-disposition", "cache-control", "content-language", "expires", "content-encoding")) {
            List<String> v = query.get("response-" + override);
            if (v != null && !v.isEmpty()) {
                out.set(override, v.get(0));
            }
        }
        if (head) {
            out.set("Content-Length", String.valueOf(body.length));
            x.sendResponseHeaders(200, -1);
            return;
        }
        x.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
        x.getResponseBody().write(body);
    }

    private SigV4.Refused noSuchKey(boolean head) {
        return new SigV4.Refused(404, "NoSuchKey", "The specified key does not exist.");
    }

    private boolean expired(Bucket bucket, String key, Instant written) {
        for (Expiration e : bucket.expirations()) {
            if (key.startsWith(e.prefix()) && clock.instant().isAfter(written.plus(Duration.ofDays(e.days())))) {
                return true;
            }
        }
        return false;
    }

    /** A CORS preflight against the bucket's rules (S3 answers 403 when no rule matches). */
    private void preflight(HttpExchange x, Bucket bucket) throws IOException {
        String origin = x.getRequestHeaders().getFirst("Origin");
        String method = x.getRequestHeaders().getFirst("Access-Control-Request-Method");
        String requested = x.getRequestHeaders().getFirst("Access-Control-Request-Headers");
        List<String> headers = requested == null ? List.of()
                : List.of(requested.toLowerCase(Locale.ROOT).split("\\s*,\\s*")).stream().filter(s -> !s.isBlank()).toList();
        for (CorsRule rule : bucket.cors()) {
            if (origin != null && method != null && matches(rule.allowedOrigins(), origin)
                    && rule.allowedMethods().contains(method)
                    && headers.stream().allMatch(hd -> matches(rule.allowedHeaders(), hd))) {
                Headers out = x.getResponseHeaders();
                out.set("Access-Control-Allow-Origin", rule.allowedOrigins().contains("*") ? "*" : origin);
                out.set("Access-Control-Allow-Methods", String.join(", ", rule.allowedMethods()));
                if (!headers.isEmpty()) {
                    out.set("Access-Control-Allow-Headers", String.join(", ", headers));
                }
                if (rule.maxAge() != null) {
                    out.set("Access-Control-Max-Age", String.valueOf(rule.maxAge()));
                }
                out.set("Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method");
                x.sendResponseHeaders(200, -1);
                return;
            }
        }
        throw new SigV4.Refused(403, "AccessForbidden", "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.");
    }

    private void cors(HttpExchange x, Bucket bucket, String method) {
        String origin = x.getRequestHeaders().getFirst("Origin");
        if (origin == null) {
            return;
        }
        for (CorsRule rule : bucket.cors()) {
            if (matches(rule.allowedOrigins(), origin) && rule.allowedMethods().contains(method)) {
                Headers out = x.getResponseHeaders();
                out.set("Access-Control-Allow-Origin", rule.allowedOrigins().contains("*") ? "*" : origin);
                out.set("Access-Control-Allow-Methods", String.join(", ", rule.allowedMethods()));
                if (rule.exposedHeaders() != null && !rule.exposedHeaders().isEmpty()) {
                    out.set("Access-Control-Expose-Headers", String.join(", ", rule.exposedHeaders()));
                }
                out.set("Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method");
                return;
            }
        }
    }

    /** S3's wildcard matching: {@code *} alone, or one {@code *} inside a pattern. */
    private static boolean matches(List<String> patterns, String value) {
        if (patterns == null) {
            return false;
        }
        for (String p : patterns) {
            String pl = p.toLowerCase(Locale.ROOT);
            String vl = value.toLowerCase(Locale.ROOT);
            int star = pl.indexOf('*');
            if (star < 0 ? pl.equals(vl) : vl.startsWith(pl.substring(0, star)) && vl.endsWith(pl.substring(star + 1))
                    && vl.length() >= pl.length() - 1) {
                return true;
            }
        }
        return false;
    }

    private static void error(HttpExchange x, int status, String code, String message, String resource, String requestId)
            throws IOException {
        if (x.getRequestMethod().equals("HEAD")) {
            x.sendResponseHeaders(status, -1);
            return;
        }
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>" + escape(message)
                + "</Message><Resource>" + escape(resource) + "</Resource><RequestId>" + requestId + "</RequestId><HostId>local</HostId></Error>";
        byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/xml");
        x.sendResponseHeaders(status, bytes.length);
        x.getResponseBody().write(bytes);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private Path data(String bucket, String key) {
        return root.resolve(bucket).resolve(fileName(key) + ".data");
    }

    private Path meta(String bucket, String key) {
        return root.resolve(bucket).resolve(fileName(key) + ".meta");
    }

    /** A key as a file name: its SHA-256 (keys may hold any character and be 1,024 bytes long). */
    private static String fileName(String key) {
        return SigV4.hex(SigV4.sha256(key.getBytes(StandardCharsets.UTF_8)));
    }

    private static Map<String, List<String>> headers(Headers h) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        h.forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), v));
        return out;
    }

    static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return out;
    }

    /** Percent-decoding that keeps a {@code +} as it is (SigV4 clients encode spaces as %20). */
    static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static boolean containsToken(String header, String token) {
        return header != null && List.of(header.toLowerCase(Locale.ROOT).split("\\s*,\\s*")).contains(token);
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }

    private static byte[] md5(byte[] body) {
        try {
            return MessageDigest.getInstance("MD5").digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
