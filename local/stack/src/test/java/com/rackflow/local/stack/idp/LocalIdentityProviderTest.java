package com.rackflow.local.stack.idp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.rackflow.local.dynalite.Dynalite;
import com.rackflow.local.stack.seed.DemoStaff;
import com.rackflow.local.stack.seed.StaffDirectoryTable;
import com.rackflow.local.stack.seed.StaffStatus;
import com.rackflow.local.stack.tables.LocalDynamoDb;
import com.rackflow.local.stack.tables.TableProvisioner;
import com.rackflow.local.stack.template.SamApplication;
import com.rackflow.local.stack.template.TableSpec;
import com.sun.net.httpserver.HttpServer;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The local identity provider over HTTP, against the staff directory seeded into a real dynalite. */
class LocalIdentityProviderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static DynamoDbClient dynamo;
    private static StaffDirectoryTable directory;
    private static HttpServer server;
    private static LocalIdentityProvider idp;
    private static URI base;
    private static DemoStaff staff;

    @BeforeAll
    static void start() throws Exception {
        dynamo = LocalDynamoDb.client(Dynalite.shared().endpoint());
        SamApplication app = SamApplication.load(Dynalite.repositoryRoot().resolve("template.yaml"), Map.of());
        TableSpec table = app.tables().stream().filter(t -> t.logicalId().equals("RackFlowTable")).findFirst().orElseThrow();
        TableSpec isolated = new TableSpec(table.logicalId(), "IdpTest-" + System.nanoTime(), table.properties());
        assertThat(new TableProvisioner(dynamo).provision(isolated)).isTrue();
        assertThat(new TableProvisioner(dynamo).provision(isolated)).isFalse();
        directory = new StaffDirectoryTable(dynamo, isolated.tableName());
        DemoStaff staff = DemoStaff.load();
        staff.departments().forEach(d -> directory.putIfAbsent(d, Instant.now()));
        staff.users().forEach(u -> directory.putIfAbsent(u, Instant.now()));
        LocalIdentityProviderTest.staff = staff;

        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String origin = "http://127.0.0.1:" + server.getAddress().getPort();
        idp = new LocalIdentityProvider(LocalIdentityProvider.signingKey(null), origin, directory::member, staff::users, Clock.systemUTC());
        server.createContext(LocalIdentityProvider.BASE_PATH, idp);
        server.start();
        base = URI.create(origin);
    }

    @AfterAll
    static void stop() {
        server.stop(0);
        dynamo.close();
    }

    private static HttpResponse<String> token(String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(base.resolve("/local-idp/token"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void tokenForAnActiveUserVerifiesAgainstTheServedJwks() throws Exception {
        HttpResponse<String> response = token("{\"username\":\"li.lei\"}");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.path("token_type").asText()).isEqualTo("Bearer");
        assertThat(answer.path("expires_in").asLong()).isEqualTo(3600);

        String jwks = HTTP.send(HttpRequest.newBuilder(URI.create(idp.jwksUrl())).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        JWKSet keys = JWKSet.parse(jwks);
        assertThat(keys.getKeys()).allSatisfy(k -> assertThat(k.isPrivate()).isFalse());

        SignedJWT jwt = SignedJWT.parse(answer.path("access_token").asText());
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        RSAKey key = (RSAKey) keys.getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(key).isNotNull();
        assertThat(jwt.verify(new RSASSAVerifier(key))).isTrue();

        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo(base + "/local-idp");
        assertThat(claims.getAudience()).containsExactly("rackflow-local");
        assertThat(claims.getSubject()).isEqualTo("li.lei");
        assertThat(claims.getJWTID()).isNotBlank();
        assertThat(claims.getNotBeforeTime()).isEqualTo(claims.getIssueTime());
        assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()).isEqualTo(3_600_000);
    }

    @Test
    void departedUserIsRefused() throws Exception {
        HttpResponse<String> response = token("{\"username\":\"he.ping\"}");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(response.body()).path("error").path("code").asText()).isEqualTo("USER_NOT_ACTIVE");
    }

    @Test
    void unknownUserAndBadRequestsAre400() throws Exception {
        HttpResponse<String> unknown = token("{\"username\":\"nobody\"}");
        HttpResponse<String> malformed = token("{username");
        HttpResponse<String> missing = token("{}");

        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(unknown.body()).path("error").path("code").asText()).isEqualTo("UNKNOWN_USER");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(missing.body()).path("error").path("message").asText()).contains("username");
    }

    @Test
    void directoryItemsFollowTheKeyScheme() {
        Map<String, AttributeValue> user = dynamo.getItem(b -> b.tableName(directory.tableName())
                .key(Map.of("pk", AttributeValue.fromS("USER#wang.fang"), "sk", AttributeValue.fromS("PROFILE")))).item();
        assertThat(user.get("role").s()).isEqualTo("REGIONAL_MANAGER");
        assertThat(user.get("departmentId").s()).isEqualTo("east");
        assertThat(user.get("status").s()).isEqualTo("ACTIVE");
        assertThat(user.get("version").n()).isEqualTo("1");
        assertThat(user.get("gsi1pk").s()).isEqualTo("DEPT#east#USERS");
        assertThat(user.get("gsi1sk").s()).isEqualTo("USER#wang.fang");

        Map<String, AttributeValue> department = dynamo.getItem(b -> b.tableName(directory.tableName())
                .key(Map.of("pk", AttributeValue.fromS("DEPT#south"), "sk", AttributeValue.fromS("PROFILE")))).item();
        assertThat(department.get("nameZh").s()).isEqualTo("华南区");
        assertThat(department.get("kind").s()).isEqualTo("SALES_REGION");
        assertThat(department.get("managerId").s()).isEqualTo("chen.jing");
        assertThat(department.get("gsi1pk").s()).isEqualTo("DEPTS");

        assertThat(directory.status("he.ping")).contains(StaffStatus.DEPARTED);
    }

    private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"; // RFC 7636 appendix B
    private static final String REDIRECT = "http://127.0.0.1:3003/callback";

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> java.net.URLEncoder.encode(e.getKey(), java.nio.charset.StandardCharsets.UTF_8)
                + "=" + java.net.URLEncoder.encode(e.getValue(), java.nio.charset.StandardCharsets.UTF_8))
                .collect(java.util.stream.Collectors.joining("&"));
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> authorizeRequest() {
        Map<String, String> request = new java.util.LinkedHashMap<>();
        request.put("response_type", "code");
        request.put("client_id", LocalIdentityProvider.CONSOLE_CLIENT_ID);
        request.put("redirect_uri", REDIRECT);
        request.put("scope", "openid profile");
        request.put("state", "s-1");
        request.put("nonce", "n-1");
        request.put("code_challenge", CHALLENGE);
        request.put("code_challenge_method", "S256");
        return request;
    }

    /** Signs in through the form as the user and returns the code from the redirect. */
    private static String codeFor(String userId) throws Exception {
        Map<String, String> submitted = authorizeRequest();
        submitted.put("username", userId);
        HttpResponse<String> redirect = post("/local-idp/authorize", form(submitted));
        assertThat(redirect.statusCode()).isEqualTo(302);
        URI location = URI.create(redirect.headers().firstValue("Location").orElseThrow());
        assertThat(location.toString()).startsWith(REDIRECT + "?code=").endsWith("&state=s-1");
        return location.getQuery().replaceAll("^code=([^&]+)&.*$", "$1");
    }

    private static HttpResponse<String> exchange(String code, String verifier) throws Exception {
        return post("/local-idp/token", form(Map.of("grant_type", "authorization_code", "code", code, "client_id",
                LocalIdentityProvider.CONSOLE_CLIENT_ID, "redirect_uri", REDIRECT, "code_verifier", verifier)));
    }

    @Test
    void discoveryNamesTheCodeFlowEndpoints() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(base.resolve("/local-idp/.well-known/openid-configuration"))
                .build(), HttpResponse.BodyHandlers.ofString());
        JsonNode discovery = JSON.readTree(response.body());
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
        assertThat(discovery.path("issuer").asText()).isEqualTo(idp.issuer());
        assertThat(discovery.path("authorization_endpoint").asText()).isEqualTo(base + "/local-idp/authorize");
        assertThat(discovery.path("token_endpoint").asText()).isEqualTo(base + "/local-idp/token");
        assertThat(discovery.path("code_challenge_methods_supported").toString()).isEqualTo("[\"S256\"]");
    }

    @Test
    void signInPageListsTheStaffAndCarriesTheRequest() throws Exception {
        String query = form(authorizeRequest());
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(base.resolve("/local-idp/authorize?" + query)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(page.body()).contains("lang=\"zh-CN\"", "data-user=\"li.lei\"", "李雷", "区域市场经理",
                "name=\"code_challenge\" value=\"" + CHALLENGE + "\"");
        assertThat(page.body()).doesNotContain("data-user=\"he.ping\"").contains("已停用");
    }

    @Test
    void codeExchangeWithPkceGivesAnAccessTokenAndAnIdTokenWithTheRole() throws Exception {
        HttpResponse<String> response = exchange(codeFor("wang.fang"), VERIFIER);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode answer = JSON.readTree(response.body());
        JWKSet keys = JWKSet.parse(HTTP.send(HttpRequest.newBuilder(URI.create(idp.jwksUrl())).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        SignedJWT access = SignedJWT.parse(answer.path("access_token").asText());
        assertThat(access.verify(new RSASSAVerifier((RSAKey) keys.getKeyByKeyId(access.getHeader().getKeyID())))).isTrue();
        assertThat(access.getJWTClaimsSet().getAudience()).containsExactly("rackflow-local");
        assertThat(access.getJWTClaimsSet().getSubject()).isEqualTo("wang.fang");
        JWTClaimsSet id = SignedJWT.parse(answer.path("id_token").asText()).getJWTClaimsSet();
        assertThat(id.getAudience()).containsExactly(LocalIdentityProvider.CONSOLE_CLIENT_ID);
        assertThat(id.getStringClaim("nonce")).isEqualTo("n-1");
        assertThat(id.getStringClaim("name")).isEqualTo("王芳");
        assertThat(id.getStringListClaim("cognito:groups")).containsExactly("REGIONAL_MANAGER");
        assertThat(id.getStringClaim("custom:department")).isEqualTo("east");
    }

    @Test
    void aWrongVerifierOrASecondUseOfTheCodeIsInvalidGrant() throws Exception {
        String code = codeFor("li.lei");
        HttpResponse<String> wrong = exchange(code, VERIFIER.replace('d', 'e'));
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(wrong.body()).path("error").asText()).isEqualTo("invalid_grant");
        assertThat(JSON.readTree(wrong.body()).path("error_description").asText()).contains("code_verifier");
        HttpResponse<String> burnt = exchange(code, VERIFIER);
        assertThat(burnt.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(burnt.body()).path("error").asText()).isEqualTo("invalid_grant");

        String once = codeFor("li.lei");
        assertThat(exchange(once, VERIFIER).statusCode()).isEqualTo(200);
        assertThat(exchange(once, VERIFIER).statusCode()).isEqualTo(400);
    }

    @Test
    void badAuthorizationRequestsAreJsonErrorsNamingTheParameter() throws Exception {
        for (Map.Entry<String, String> bad : Map.of("redirect_uri", "https://evil.example/cb", "client_id", "other",
                "code_challenge_method", "plain", "response_type", "token", "scope", "profile").entrySet()) {
            Map<String, String> request = authorizeRequest();
            request.put(bad.getKey(), bad.getValue());
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(base.resolve("/local-idp/authorize?" + form(request)))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(bad.getKey()).isEqualTo(400);
            assertThat(response.headers().firstValue("Location")).isEmpty();
            assertThat(JSON.readTree(response.body()).path("error").path("message").asText()).startsWith(bad.getKey() + ":");
        }
        Map<String, String> departed = authorizeRequest();
        departed.put("username", "he.ping");
        HttpResponse<String> refused = post("/local-idp/authorize", form(departed));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("已停用");
    }

    @Test
    void persistedSigningKeySurvivesARestart(@TempDir Path dataDir) {
        RSAKey first = LocalIdentityProvider.signingKey(dataDir);
        RSAKey again = LocalIdentityProvider.signingKey(dataDir);

        assertThat(again.getKeyID()).isEqualTo(first.getKeyID());
        assertThat(again.toPublicJWK()).isEqualTo(first.toPublicJWK());
        assertThat(LocalIdentityProvider.signingKey(null).getKeyID()).isNotEqualTo(first.getKeyID());
    }
}
