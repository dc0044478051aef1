package com.rackflow.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The whole stack from the repository's template.yaml on ephemeral ports: demo data, the local identity provider,
 * the real authorizer and customer handlers behind the local API Gateway; the functions under SnapStart, as deployed.
 */
@ExtendWith(TestStacks.class)
@TestStacks.OwnStack(snapStart = true)
class LocalStackEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static LocalStack stack;

    @BeforeAll
    static void start(LocalStack shared) {
        stack = shared;
    }

    private static void requireCustomerModule() {
        assertThat(stack.application().function("AuthorizerFunction").handler()).isNotBlank();
        assertThat(stack.application().function("CustomersFunction").handler()).isNotBlank();
    }

    private static HttpResponse<String> tokenResponse(String userId) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(stack.identityProvider().tokenUrl()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + userId + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String token(String userId) throws Exception {
        HttpResponse<String> response = tokenResponse(userId);
        assertThat(response.statusCode()).as("token for " + userId).isEqualTo(200);
        return JSON.readTree(response.body()).path("access_token").asText();
    }

    private static HttpResponse<String> call(String method, String path, String token, String idempotencyKey, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(stack.apiBaseUrl().resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        ApiClient.conformsToOpenApi(method, path, body, response);
        return response;
    }

    @Test
    void requestWithoutTokenIsRefusedByTheGatewayWithCorsHeaders() throws Exception {
        HttpResponse<String> response = call("GET", "/customers", null, null, null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
        assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        assertThat(JSON.readTree(response.body()).path("error").path("code").asText()).isEqualTo("UNAUTHORIZED");
    }

    @Test
    void browserPreflightIsAnsweredFromTheTemplateCors() throws Exception {
        HttpResponse<String> response = call("OPTIONS", "/customers/any-id", null, null, null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Access-Control-Allow-Methods")).contains("GET,POST,PATCH,DELETE,OPTIONS");
        assertThat(response.headers().firstValue("Access-Control-Allow-Headers")).hasValueSatisfying(
                h -> assertThat(h).contains("Idempotency-Key", "If-Match"));
    }

    @Test
    void departedDemoUserGetsNoToken() throws Exception {
        assertThat(tokenResponse("he.ping").statusCode()).isEqualTo(403);
    }

    @Test
    void demoInventoryWasSeededThroughTheApi() throws Exception {
        assertThat(stack.inventorySeed()).hasValueSatisfying(seed -> {
            assertThat(seed.apiMissing()).isFalse();
            assertThat(seed.failed()).isZero();
            assertThat(seed.ready()).isEqualTo(2 + 3 + 8 + 3);
        });
    }

    @Test
    void demoCustomersWereCreatedThroughTheApi() {
        requireCustomerModule();
        assertThat(stack.customerSeed()).hasValueSatisfying(seed -> {
            assertThat(seed.apiMissing()).isFalse();
            assertThat(seed.failed()).isZero();
            assertThat(seed.ready() + seed.alreadyPresent()).isEqualTo(6);
        });
        assertThat(stack.firstRequestServedAfter()).isPresent();
    }

    @Test
    void salespersonCreatesAndListsCustomers() throws Exception {
        requireCustomerModule();
        String token = token("zhao.min");
        String key = "e2e-" + UUID.randomUUID();
        String body = """
                {"companyName":"无锡太湖算力有限公司","region":"east","source":"REFERRAL",
                 "contacts":[{"name":"钱七","phone":"13511112222","email":"qian.qi@taihu.example"}],"notes":"端到端测试"}""";

        HttpResponse<String> created = call("POST", "/customers", token, key, body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode customer = JSON.readTree(created.body());
        assertThat(customer.path("code").asText()).matches("C\\d{4}-\\d{6}");
        assertThat(customer.path("ownerId").asText()).isEqualTo("zhao.min");

        HttpResponse<String> retried = call("POST", "/customers", token, key, body);
        assertThat(JSON.readTree(retried.body()).path("code").asText()).isEqualTo(customer.path("code").asText());

        HttpResponse<String> list = call("GET", "/customers", token, null, null);
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        assertThat(list.body()).contains(customer.path("code").asText());
    }

    /**
     * Every function of the template runs under SnapStart with no access-key variables, as in Lambda: the authorizer
     * and the customer function reach DynamoDB only through the container-credentials endpoint (a credentials chain
     * of environment variables and system properties fails here with "Unable to load credentials"), and their
     * priming hooks ran before the first request (the priming read is in the function's log).
     */
    @Test
    void snapStartFunctionsReachDynamoDbThroughContainerCredentialsAfterTheirPrimingHooks() throws Exception {
        HttpResponse<String> created = call("POST", "/customers", token("li.lei"), "e2e-" + UUID.randomUUID(), """
                {"companyName":"常州容器凭证测试有限公司","region":"east","source":"REFERRAL",
                 "contacts":[{"name":"孙八","phone":"13511113333"}]}""");

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(stack.lambda().containerCredentialFetches("AuthorizerFunction")).isPositive();
        assertThat(stack.lambda().containerCredentialFetches("CustomersFunction")).isPositive();
        assertThat(java.nio.file.Files.readString(stack.lambda().logFile("CustomersFunction")))
                .contains("\"requestId\":\"snapstart-priming\"");
    }

    @Test
    void maintenanceIsDeniedTheCustomerModule() throws Exception {
        requireCustomerModule();
        HttpResponse<String> response = call("GET", "/customers", token("zhou.qiang"), null, null);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
    }

    /** API Gateway's own refusals and a function's refusal carry one error shape; the authorizer's 403 says FORBIDDEN. */
    @Test
    void gatewayAnswersCarryTheFunctionsErrorShape() throws Exception {
        requireCustomerModule();
        JsonNode function = errorOf(call("POST", "/customers", token("zhao.min"), null, "{\"companyName\":\"\"}"), 400);
        assertThat(function.path("error").path("code").asText()).isEqualTo("VALIDATION_FAILED");

        JsonNode unauthorized = errorOf(call("GET", "/customers", null, null, null), 401);
        assertThat(unauthorized.path("error").path("code").asText()).isEqualTo("UNAUTHORIZED");
        JsonNode forbidden = errorOf(call("GET", "/customers", token("zhou.qiang"), null, null), 403);
        assertThat(forbidden.path("error").path("code").asText()).isEqualTo("FORBIDDEN");
        JsonNode noRoute = errorOf(call("GET", "/nowhere", null, null, null), 404);
        assertThat(noRoute.path("error").path("code").asText()).isEqualTo("NOT_FOUND");
        JsonNode tooLarge = errorOf(call("POST", "/customers", token("zhao.min"), null,
                "{\"notes\":\"" + "x".repeat(10 * 1024 * 1024) + "\"}"), 413);
        assertThat(tooLarge.path("error").path("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
        for (JsonNode gateway : java.util.List.of(unauthorized, forbidden, noRoute, tooLarge)) {
            assertThat(gateway.path("error").path("messageZh").asText()).isNotBlank();
            assertThat(gateway.path("error").path("message").asText()).isNotBlank();
            assertThat(gateway.path("requestId").asText()).isNotBlank();
        }
    }

    private static JsonNode errorOf(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("error").path("status").asInt()).isEqualTo(status);
        java.util.Set<String> keys = new java.util.TreeSet<>();
        body.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("error", "requestId");
        java.util.Set<String> errorKeys = new java.util.TreeSet<>();
        body.path("error").fieldNames().forEachRemaining(errorKeys::add);
        assertThat(errorKeys).contains("status", "code", "message", "messageZh");
        return body;
    }

    @Test
    void theStackServesTheApiDescriptionAndItsInteractiveReference() throws Exception {
        HttpResponse<String> document = call("GET", "/openapi.yaml", null, null, null);
        assertThat(document.statusCode()).isEqualTo(200);
        assertThat(document.body()).startsWith("# The RackFlow HTTP API").contains("openapi: 3.1.0")
                .contains("url: " + stack.apiBaseUrl());
        HttpResponse<String> ui = call("GET", "/docs/", null, null, null);
        assertThat(ui.statusCode()).isEqualTo(200);
        assertThat(ui.body()).contains("SwaggerUIBundle", "../openapi.yaml");
        HttpResponse<String> bundle = call("GET", "/docs/swagger-ui-bundle.js", null, null, null);
        assertThat(bundle.statusCode()).isEqualTo(200);
        assertThat(bundle.body().length()).isGreaterThan(100_000);
        assertThat(call("GET", "/docs/../template.yaml", null, null, null).statusCode()).isEqualTo(404);
    }
}
