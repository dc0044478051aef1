package com.rackflow.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.rackflow.core.json.Json;
import com.rackflow.core.persistence.Table;
import com.rackflow.directory.StaffDirectory;
import com.rackflow.testing.Events;
import com.rackflow.testing.LocalTable;
import com.rackflow.testing.Staff;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The TOKEN authorizer: JWT verification rules and the module policy per role, with the directory in dynalite. */
class AuthorizerHandlerTest {
    static final String ISSUER = "https://idp.rackflow.test/";
    static final String AUDIENCE = "rackflow-api";
    static RSAKey key;
    static RSAKey otherKey;
    static Table table;
    static AuthorizerHandler authorizer;

    @BeforeAll
    static void setUp() throws Exception {
        key = new RSAKeyGenerator(2048).keyID("k1").generate();
        otherKey = new RSAKeyGenerator(2048).keyID("k1").generate();
        table = LocalTable.create();
        Staff.seed(table);
        TokenVerifier verifier = new TokenVerifier(ISSUER, AUDIENCE, new ImmutableJWKSet<SecurityContext>(new JWKSet(key.toPublicJWK())));
        authorizer = new AuthorizerHandler(verifier, new StaffDirectory(table));
    }

    static String token(String subject, Consumer<JWTClaimsSet.Builder> tweak, RSAKey signer) throws Exception {
        Date now = new Date();
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder().subject(subject).issuer(ISSUER).audience(AUDIENCE)
                .issueTime(now).notBeforeTime(now).expirationTime(new Date(now.getTime() + 600_000));
        tweak.accept(b);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").type(JOSEObjectType.JWT).build(), b.build());
        jwt.sign(new RSASSASigner(signer));
        return jwt.serialize();
    }

    static String token(String subject) throws Exception {
        return token(subject, b -> { }, key);
    }

    static ObjectNode event(String bearer, String method, String path) {
        ObjectNode e = (ObjectNode) Events.load("authorizer/token.json").json();
        e.put("authorizationToken", bearer);
        e.put("methodArn", "arn:aws:execute-api:us-east-1:123456789012:abc123/dev/" + method + path);
        return e;
    }

    static List<String> resources(JsonNode policy) {
        List<String> out = new ArrayList<>();
        policy.path("policyDocument").path("Statement").forEach(s -> s.path("Resource").forEach(r -> out.add(r.asText())));
        return out;
    }

    @Test
    void sampleEventShapeAndStreamContract() throws Exception {
        ObjectNode e = event("Bearer " + token("east.sales1"), "GET", "/customers");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        authorizer.handleRequest(new ByteArrayInputStream(Json.write(e).getBytes(StandardCharsets.UTF_8)), out, null);
        JsonNode policy = Json.read(out.toString(StandardCharsets.UTF_8));
        assertThat(policy.path("principalId").asText()).isEqualTo("east.sales1");
        assertThat(policy.path("context").path("role").asText()).isEqualTo("SALES");
        assertThat(policy.path("context").path("departmentId").asText()).isEqualTo("east");
        assertThat(policy.path("policyDocument").path("Statement").path(0).path("Effect").asText()).isEqualTo("Allow");
    }

    @Test
    void policyUsesWildcardsPerModuleSoTheCachedAnswerFitsEveryRouteOfTheRole() throws Exception {
        JsonNode sales = authorizer.authorize(event("Bearer " + token("east.sales1"), "GET", "/customers"));
        assertThat(resources(sales)).contains("arn:aws:execute-api:us-east-1:123456789012:abc123/dev/*/customers",
                "arn:aws:execute-api:us-east-1:123456789012:abc123/dev/*/customers/*");
        assertThat(resources(sales)).noneMatch(r -> r.endsWith("/reports") || r.endsWith("/racks/*"));
    }

    @Test
    void maintenanceIsDeniedTheCustomerModule() throws Exception {
        JsonNode maint = authorizer.authorize(event("Bearer " + token("maint.zhao"), "GET", "/pickers/signed-customers"));
        assertThat(resources(maint)).noneMatch(r -> r.contains("/customers"));
        assertThat(resources(maint)).anyMatch(r -> r.endsWith("/*/pickers/*"));
        assertThat(resources(maint)).anyMatch(r -> r.endsWith("/*/service-records"));
    }

    @Test
    void departedUserIsRefusedEvenWithAValidToken() throws Exception {
        assertUnauthorized("Bearer " + token(Staff.DEPARTED));
    }

    @Test
    void unknownUserIsRefused() throws Exception {
        assertUnauthorized("Bearer " + token("nobody"));
    }

    @Test
    void expiredTokenIsRefused() throws Exception {
        assertUnauthorized("Bearer " + token("east.sales1", b -> b.expirationTime(new Date(System.currentTimeMillis() - 3_600_000)), key));
    }

    @Test
    void notYetValidTokenIsRefused() throws Exception {
        assertUnauthorized("Bearer " + token("east.sales1", b -> b.notBeforeTime(new Date(System.currentTimeMillis() + 3_600_000)), key));
    }

    @Test
    void wrongIssuerOrAudienceIsRefused() throws Exception {
        assertUnauthorized("Bearer " + token("east.sales1", b -> b.issuer("https://evil.example/"), key));
        assertUnauthorized("Bearer " + token("east.sales1", b -> b.audience("another-api"), key));
    }

    @Test
    void cognitoAccessTokenWithClientIdIsAccepted() throws Exception {
        String t = token("east.sales1", b -> b.audience((String) null).claim("client_id", AUDIENCE).claim("token_use", "access"), key);
        assertThat(authorizer.authorize(event("Bearer " + t, "GET", "/customers")).path("principalId").asText()).isEqualTo("east.sales1");
    }

    @Test
    void signatureFromAnotherKeyIsRefused() throws Exception {
        assertUnauthorized("Bearer " + token("east.sales1", b -> { }, otherKey));
    }

    @Test
    void unsignedAndSymmetricTokensAreRefused() throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("east.sales1").issuer(ISSUER).audience(AUDIENCE)
                .issueTime(new Date()).expirationTime(new Date(System.currentTimeMillis() + 600_000)).build();
        assertUnauthorized("Bearer " + new PlainJWT(claims).serialize());
        // HS/RS confusion: an HMAC signed with the public key's bytes must not verify
        SignedJWT hs = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").build(), claims);
        hs.sign(new MACSigner(java.util.Arrays.copyOf(key.toPublicJWK().toRSAPublicKey().getEncoded(), 64)));
        assertUnauthorized("Bearer " + hs.serialize());
    }

    @Test
    void missingOrMalformedHeaderIsRefused() {
        assertUnauthorized("");
        assertUnauthorized("Basic dXNlcjpwYXNz");
        assertUnauthorized("Bearer not.a.jwt");
    }

    private static void assertUnauthorized(String header) {
        assertThatThrownBy(() -> authorizer.authorize(event(header, "GET", "/customers")))
                .hasMessage("Unauthorized");
    }

    @Test
    void primingRunsEveryStepAndAcceptsNothingThenAValidTokenStillPasses() throws Exception {
        // SnapStart priming: the refused throwaway token, the claims' checks, the refusal from the event's bytes, the
        // directory read of nobody; it throws if a throwaway token were accepted
        authorizer.prime();
        authorizer.primeInMemory();
        assertThat(authorizer.authorize(event("Bearer " + token("east.sales1"), "GET", "/customers")).path("principalId").asText())
                .isEqualTo("east.sales1");
    }
}
