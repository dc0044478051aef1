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
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

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
import com.rackflow.local.stack.seed.StaffMember;
import com.rackflow.local.stack.seed.StaffStatus;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * A local OpenID Connect provider for the demo staff: RS256 access tokens whose issuer, audience and JWKS the
 * template's authorizer is pointed at (parameter overrides), so the authorizer runs exactly its production code path.
 * The web console signs in with the authorization code flow and PKCE ({@code /authorize}, a zh-CN page listing the
 * demo staff, then the code exchange on {@code /token}), as it does against Cognito's hosted UI in AWS; scripts and
 * tests still get a token by POSTing {@code {"username": ...}} to {@code /token}. Issues tokens only to users the staff
 * directory has as ACTIVE.
 */
public final class LocalIdentityProvider implements HttpHandler {

    public static final String BASE_PATH = "/local-idp";
    public static final String AUDIENCE = "rackflow-local";
    public static final Duration TOKEN_LIFETIME = Duration.ofHours(1);
    /** The web console's client id (a public client: PKCE, no secret). */
    public static final String CONSOLE_CLIENT_ID = "rackflow-console";
    private static final Set<String> LOOPBACK_HOSTS = Set.of("127.0.0.1", "localhost", "[::1]");
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
    private final Function<String, Optional<StaffMember>> staff;
    private final Supplier<List<StaffMember>> offered;
    private final Clock clock;
    private final AuthorizationCodes codes;

    /**
     * @param origin e.g. {@code http://127.0.0.1:3000}; the issuer is the origin plus {@link #BASE_PATH}
     * @param staff the directory's current record of a user id, empty when unknown
     * @param offered the users the sign-in page lists (the demo staff)
     */
    public LocalIdentityProvider(RSAKey signingKey, String origin, Function<String, Optional<StaffMember>> staff,
                                 Supplier<List<StaffMember>> offered, Clock clock) {
        this.signingKey = signingKey;
        this.issuer = origin + BASE_PATH;
        this.staff = staff;
        this.offered = offered;
        this.clock = clock;
        this.codes = new AuthorizationCodes(clock);
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

    public String authorizationUrl() {
        return issuer + "/authorize";
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
        activeMember(userId);
        Instant now = clock.instant();
        return new IssuedToken(sign(accessClaims(userId, now).build()), TOKEN_LIFETIME.toSeconds());
    }

    private StaffMember activeMember(String userId) {
        if (userId == null || userId.isBlank()) {
            throw new TokenRefused(400, "INVALID_REQUEST", "username is required: {\"username\": \"<userId>\"}");
        }
        Optional<StaffMember> member = staff.apply(userId);
        if (member.isEmpty()) {
            throw new TokenRefused(400, "UNKNOWN_USER", "no user '" + userId + "' in the staff directory");
        }
        if (member.get().status() != StaffStatus.ACTIVE) {
            throw new TokenRefused(403, "USER_NOT_ACTIVE", "user '" + userId + "' is " + member.get().status() + " and may not sign in");
        }
        return member.get();
    }

    private JWTClaimsSet.Builder accessClaims(String userId, Instant now) {
        return new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(AUDIENCE)
                .subject(userId)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(TOKEN_LIFETIME)))
                .jwtID(UUID.randomUUID().toString());
    }

    /**
     * The ID token's claims follow Cognito's: {@code cognito:groups} holds the role (the pool has one group per role),
     * {@code custom:department} the department; the console reads them for its navigation only (the API decides).
     */
    private JWTClaimsSet idClaims(StaffMember member, String clientId, String nonce, Instant authTime, Instant now) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(clientId)
                .subject(member.userId())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(TOKEN_LIFETIME)))
                .claim("auth_time", authTime.getEpochSecond())
                .claim("token_use", "id")
                .claim("name", member.displayName())
                .claim("email", member.email())
                .claim("cognito:username", member.userId())
                .claim("cognito:groups", List.of(member.role().name()))
                .claim("custom:department", member.departmentId());
        if (nonce != null) {
            claims.claim("nonce", nonce);
        }
        return claims.build();
    }

    private String sign(JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new RSASSASigner(signingKey));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }

    public JWKSet publicKeys() {
        return new JWKSet(signingKey.toPublicJWK());
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath().substring(BASE_PATH.length());
        String method = exchange.getRequestMethod();
        try (exchange) {
            // Discovery, keys and the token endpoint are read by the console from its own origin (CORS, no cookies).
            exchange.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
            if (method.equals("OPTIONS")) {
                exchange.getResponseHeaders().set("Access-Control-Allow-Methods", "GET, POST");
                exchange.getResponseHeaders().set("Access-Control-Allow-Headers", "Content-Type, Authorization");
                exchange.getResponseHeaders().set("Access-Control-Max-Age", "600");
                exchange.sendResponseHeaders(204, -1);
                return;
            }
            switch (path) {
                case "/.well-known/jwks.json" -> {
                    if (!method.equals("GET")) {
                        error(exchange, 405, "METHOD_NOT_ALLOWED", "use GET");
                        return;
                    }
                    send(exchange, 200, publicKeys().toString(false).getBytes(StandardCharsets.UTF_8));
                }
                case "/.well-known/openid-configuration" -> send(exchange, 200, JSON.writeValueAsBytes(discovery()));
                case "/authorize" -> {
                    switch (method) {
                        case "GET" -> authorize(exchange, query(exchange.getRequestURI().getRawQuery()), false);
                        case "POST" -> authorize(exchange, query(new String(exchange.getRequestBody().readAllBytes(),
                                StandardCharsets.UTF_8)), true);
                        default -> error(exchange, 405, "METHOD_NOT_ALLOWED", "use GET (the sign-in page) or POST (its form)");
                    }
                }
                case "/logout" -> logout(exchange);
                case "/token" -> {
                    if (!method.equals("POST")) {
                        error(exchange, 405, "METHOD_NOT_ALLOWED", "use POST with {\"username\": \"<userId>\"}");
                        return;
                    }
                    String type = exchange.getRequestHeaders().getFirst("Content-Type");
                    if (type != null && type.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
                        codeExchange(exchange);
                    } else {
                        token(exchange);
                    }
                }
                default -> error(exchange, 404, "NOT_FOUND", "the local identity provider serves "
                        + BASE_PATH + "/.well-known/openid-configuration, /authorize, /token, /logout and /.well-known/jwks.json");
            }
        }
    }

    private Map<String, Object> discovery() {
        Map<String, Object> configuration = new LinkedHashMap<>();
        configuration.put("issuer", issuer);
        configuration.put("authorization_endpoint", authorizationUrl());
        configuration.put("token_endpoint", tokenUrl());
        configuration.put("end_session_endpoint", issuer + "/logout");
        configuration.put("jwks_uri", jwksUrl());
        configuration.put("response_types_supported", List.of("code"));
        configuration.put("grant_types_supported", List.of("authorization_code"));
        configuration.put("code_challenge_methods_supported", List.of("S256"));
        configuration.put("subject_types_supported", List.of("public"));
        configuration.put("scopes_supported", List.of("openid", "profile", "email"));
        configuration.put("token_endpoint_auth_methods_supported", List.of("none"));
        configuration.put("id_token_signing_alg_values_supported", List.of("RS256"));
        return configuration;
    }

    /**
     * The console is registered with any loopback redirect URI (RFC 8252 §7.3: the port of a local app varies);
     * nothing is ever redirected elsewhere.
     */
    static boolean allowedRedirect(String uri) {
        if (uri == null) {
            return false;
        }
        try {
            URI parsed = new URI(uri);
            return ("http".equals(parsed.getScheme()) || "https".equals(parsed.getScheme()))
                    && parsed.getHost() != null && LOOPBACK_HOSTS.contains(parsed.getHost()) && parsed.getRawFragment() == null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    /** Problems with the authorization request itself are answered in JSON, never redirected (RFC 6749 §4.1.2.1). */
    private String requestProblem(Map<String, String> p) {
        if (!CONSOLE_CLIENT_ID.equals(p.get("client_id"))) {
            return "client_id: unknown client (the local provider knows '" + CONSOLE_CLIENT_ID + "')";
        }
        if (!allowedRedirect(p.get("redirect_uri"))) {
            return "redirect_uri: must be an http(s) loopback address (127.0.0.1, localhost) without a fragment";
        }
        if (!"code".equals(p.get("response_type"))) {
            return "response_type: must be 'code' (authorization code flow)";
        }
        if (p.get("scope") == null || !List.of(p.get("scope").split(" ")).contains("openid")) {
            return "scope: must include 'openid'";
        }
        if (!"S256".equals(p.get("code_challenge_method"))) {
            return "code_challenge_method: must be 'S256' (PKCE is required)";
        }
        if (!AuthorizationCodes.validChallenge(p.get("code_challenge"))) {
            return "code_challenge: must be the 43-character base64url SHA-256 of the code_verifier";
        }
        return null;
    }

    private static final List<String> REQUEST_PARAMETERS = List.of("response_type", "client_id", "redirect_uri", "scope",
            "state", "code_challenge", "code_challenge_method", "nonce");

    private void authorize(HttpExchange exchange, Map<String, String> parameters, boolean submitted) throws IOException {
        String problem = requestProblem(parameters);
        if (problem != null) {
            error(exchange, 400, "INVALID_REQUEST", problem);
            return;
        }
        Map<String, String> request = new LinkedHashMap<>();
        for (String name : REQUEST_PARAMETERS) {
            if (parameters.get(name) != null) {
                request.put(name, parameters.get(name));
            }
        }
        if (!submitted) {
            page(exchange, 200, request, null);
            return;
        }
        String userId = parameters.getOrDefault("username", "");
        if (userId.isEmpty()) {
            userId = parameters.getOrDefault("other", "").trim();
        }
        StaffMember member;
        try {
            member = activeMember(userId);
        } catch (TokenRefused refused) {
            LOG.info("sign-in refused", "code", refused.code());
            page(exchange, refused.status(), request, switch (refused.code()) {
                case "USER_NOT_ACTIVE" -> "用户 " + userId + " 已停用，不能登录。";
                case "UNKNOWN_USER" -> "员工目录中没有用户 " + userId + "。";
                default -> "请选择或输入一位用户。";
            });
            return;
        }
        String code = codes.issue(request.get("client_id"), request.get("redirect_uri"), request.get("code_challenge"),
                member.userId(), request.get("nonce"));
        StringBuilder location = new StringBuilder(request.get("redirect_uri"))
                .append(request.get("redirect_uri").contains("?") ? '&' : '?').append("code=").append(code);
        if (request.get("state") != null) {
            location.append("&state=").append(URLEncoder.encode(request.get("state"), StandardCharsets.UTF_8));
        }
        LOG.info("signed in", "userId", member.userId());
        exchange.getResponseHeaders().set("Location", location.toString());
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(302, -1);
    }

    private void page(HttpExchange exchange, int status, Map<String, String> request, String problem) throws IOException {
        List<StaffMember> users = new ArrayList<>();
        for (StaffMember listed : offered.get()) {
            users.add(staff.apply(listed.userId()).orElse(listed));
        }
        byte[] body = SignInPage.render(request, users, problem).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("X-Frame-Options", "DENY");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** The provider keeps no session: signing out only sends the browser back to the console. */
    private void logout(HttpExchange exchange) throws IOException {
        Map<String, String> p = query(exchange.getRequestURI().getRawQuery());
        String back = p.get("post_logout_redirect_uri");
        if (back == null) {
            send(exchange, 200, JSON.writeValueAsBytes(Map.of("signedOut", true)));
            return;
        }
        if (!allowedRedirect(back)) {
            error(exchange, 400, "INVALID_REQUEST", "post_logout_redirect_uri: must be an http(s) loopback address");
            return;
        }
        exchange.getResponseHeaders().set("Location", back);
        exchange.sendResponseHeaders(302, -1);
    }

    /** {@code grant_type=authorization_code}: the code, its client and redirect URI, and the PKCE verifier. */
    private void codeExchange(HttpExchange exchange) throws IOException {
        Map<String, String> p = query(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        if (!"authorization_code".equals(p.get("grant_type"))) {
            oauthError(exchange, 400, "unsupported_grant_type", "grant_type must be 'authorization_code'");
            return;
        }
        AuthorizationCodes.Grant grant;
        StaffMember member;
        try {
            grant = codes.redeem(p.get("code"), p.get("client_id"), p.get("redirect_uri"), p.get("code_verifier"));
            member = activeMember(grant.userId());
        } catch (AuthorizationCodes.Refused refused) {
            LOG.info("code refused", "error", refused.error());
            oauthError(exchange, 400, refused.error(), refused.getMessage());
            return;
        } catch (TokenRefused refused) {
            oauthError(exchange, 400, "invalid_grant", refused.getMessage());
            return;
        }
        Instant now = clock.instant();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("access_token", sign(accessClaims(member.userId(), now).claim("client_id", grant.clientId())
                .claim("scope", "openid profile email").claim("token_use", "access").build()));
        answer.put("id_token", sign(idClaims(member, grant.clientId(), grant.nonce(), grant.authTime(), now)));
        answer.put("token_type", "Bearer");
        answer.put("expires_in", TOKEN_LIFETIME.toSeconds());
        answer.put("scope", "openid profile email");
        LOG.info("token issued", "userId", member.userId(), "grant", "authorization_code");
        send(exchange, 200, JSON.writeValueAsBytes(answer));
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return parameters;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            parameters.putIfAbsent(name, value);
        }
        return parameters;
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

    /** The code exchange answers errors as OAuth clients expect them (RFC 6749 §5.2). */
    private static void oauthError(HttpExchange exchange, int status, String error, String description) throws IOException {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("error", error);
        answer.put("error_description", description);
        send(exchange, status, JSON.writeValueAsBytes(answer));
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
