package com.rackflow.local.stack.idp;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.rackflow.local.stack.log.JsonLog;
import com.rackflow.local.stack.seed.StaffStatus;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * A local OpenID-style token issuer for the demo staff: RS256 access tokens whose issuer, audience and JWKS the
 * template's authorizer is pointed at (parameter overrides), so the authorizer runs exactly its production code path.
 * Issues tokens only to users the staff directory has as ACTIVE.
 */
public final class LocalIdentityProvider implements HttpHandler {

    public static final String BASE_PATH = "/local-idp";
    public static final String AUDIENCE = "rackflow-local";
    public static final Duration TOKEN_LIFETIME = Duration.ofHours(1);
    private static final String KEY_FILE = "idp-signing-key.json";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonLog LOG = JsonLog.of("idp");

    /** A refused token request, in the stack's one error format. */
    public static final class TokenRefused extends RuntimeException {
        private final int status;
        private final String code;

        TokenRefused(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }

        public int status() {
            return status;
        }

        public String code() {
            return code;
        }
    }

    public record IssuedToken(String accessToken, long expiresInSeconds) {
    }

    private final RSAKey signingKey;
    private final String issuer;
    private final Function<String, Optional<StaffStatus>> staffStatus;
    private final Clock clock;

    /**
     * @param origin e.g. {@code http://127.0.0.1:3000}; the issuer is the origin plus {@link #BASE_PATH}
     * @param staffStatus the directory's current status of a user id, empty when unknown
     */
    public LocalIdentityProvider(RSAKey signingKey, String origin, Function<String, Optional<StaffStatus>> staffStatus,
                                 Clock clock) {
        this.signingKey = signingKey;
        this.issuer = origin + BASE_PATH;
        this.staffStatus = staffStatus;
        this.clock = clock;
    }

    public String issuer() {
        return issuer;
    }

    public String jwksUrl() {
        return issuer + "/.well-known/jwks.json";
    }

    public String tokenUrl() {
        return issuer + "/token";
    }

    /** The signing key: read from the data folder when persisting (so issued tokens survive a restart), else new. */
    public static RSAKey signingKey(Path dataDir) {
        try {
            if (dataDir != null) {
                Path file = dataDir.resolve(KEY_FILE);
                if (Files.exists(file)) {
                    return RSAKey.parse(Files.readString(file, StandardCharsets.UTF_8));
                }
            }
            RSAKey key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256).generate();
            if (dataDir != null) {
                Files.createDirectories(dataDir);
                Path file = dataDir.resolve(KEY_FILE);
                Files.writeString(file, key.toJSONString(), StandardCharsets.UTF_8);
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException notPosix) {
                    // the data folder is on a file system without POSIX permissions; the key stays readable
                }
            }
            return key;
        } catch (IOException | ParseException | JOSEException e) {
            throw new IllegalStateException("cannot read or create the local identity provider's signing key: " + e.getMessage(), e);
        }
    }

    /** A token for an ACTIVE user of the directory. */
    public IssuedToken issue(String userId) {
        if (userId == null || userId.isBlank()) {
            throw new TokenRefused(400, "INVALID_REQUEST", "username is required: {\"username\": \"<userId>\"}");
        }
        Optional<StaffStatus> status = staffStatus.apply(userId);
        if (status.isEmpty()) {
            throw new TokenRefused(400, "UNKNOWN_USER", "no user '" + userId + "' in the staff directory");
        }
        if (status.get() != StaffStatus.ACTIVE) {
            throw new TokenRefused(403, "USER_NOT_ACTIVE", "user '" + userId + "' is " + status.get() + " and may not sign in");
        }
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(AUDIENCE)
                .subject(userId)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(TOKEN_LIFETIME)))
                .jwtID(UUID.randomUUID().toString())
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new RSASSASigner(signingKey));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token: " + e.getMessage(), e);
        }
        return new IssuedToken(jwt.serialize(), TOKEN_LIFETIME.toSeconds());
    }

    public JWKSet publicKeys() {
        return new JWKSet(signingKey.toPublicJWK());
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath().substring(BASE_PATH.length());
        String method = exchange.getRequestMethod();
        try (exchange) {
            switch (path) {
                case "/.well-known/jwks.json" -> {
                    if (!method.equals("GET")) {
                        error(exchange, 405, "METHOD_NOT_ALLOWED", "use GET");
                        return;
                    }
                    send(exchange, 200, publicKeys().toString(false).getBytes(StandardCharsets.UTF_8));
                }
                case "/.well-known/openid-configuration" -> {
                    Map<String, Object> configuration = new LinkedHashMap<>();
                    configuration.put("issuer", issuer);
                    configuration.put("jwks_uri", jwksUrl());
                    configuration.put("token_endpoint", tokenUrl());
                    configuration.put("id_token_signing_alg_values_supported", new String[] {"RS256"});
                    send(exchange, 200, JSON.writeValueAsBytes(configuration));
                }
                case "/token" -> {
                    if (!method.equals("POST")) {
                        error(exchange, 405, "METHOD_NOT_ALLOWED", "use POST with {\"username\": \"<userId>\"}");
                        return;
                    }
                    token(exchange);
                }
                default -> error(exchange, 404, "NOT_FOUND", "the local identity provider serves "
                        + BASE_PATH + "/token and " + BASE_PATH + "/.well-known/jwks.json");
            }
        }
    }

    private void token(HttpExchange exchange) throws IOException {
        String userId;
        try {
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            if (body == null || !body.isObject() || !body.path("username").isTextual()) {
                error(exchange, 400, "INVALID_REQUEST", "body must be JSON {\"username\": \"<userId>\"}");
                return;
            }
            userId = body.get("username").asText();
        } catch (IOException malformed) {
            error(exchange, 400, "INVALID_REQUEST", "body must be JSON {\"username\": \"<userId>\"}");
            return;
        }
        try {
            IssuedToken token = issue(userId);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("access_token", token.accessToken());
            answer.put("token_type", "Bearer");
            answer.put("expires_in", token.expiresInSeconds());
            LOG.info("token issued", "userId", userId);
            send(exchange, 200, JSON.writeValueAsBytes(answer));
        } catch (TokenRefused refused) {
            LOG.info("token refused", "code", refused.code());
            error(exchange, refused.status(), refused.code(), refused.getMessage());
        }
    }

    private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        send(exchange, status, JSON.writeValueAsBytes(Map.of("error", error)));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
