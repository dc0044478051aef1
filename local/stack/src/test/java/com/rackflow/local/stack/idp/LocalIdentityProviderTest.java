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

        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String origin = "http://127.0.0.1:" + server.getAddress().getPort();
        idp = new LocalIdentityProvider(LocalIdentityProvider.signingKey(null), origin, directory::status, Clock.systemUTC());
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

    @Test
    void persistedSigningKeySurvivesARestart(@TempDir Path dataDir) {
        RSAKey first = LocalIdentityProvider.signingKey(dataDir);
        RSAKey again = LocalIdentityProvider.signingKey(dataDir);

        assertThat(again.getKeyID()).isEqualTo(first.getKeyID());
        assertThat(again.toPublicJWK()).isEqualTo(first.toPublicJWK());
        assertThat(LocalIdentityProvider.signingKey(null).getKeyID()).isNotEqualTo(first.getKeyID());
    }
}
