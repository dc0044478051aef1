package com.rackflow.local.stack.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rackflow.local.stack.lambda.LocalLambda;
import com.rackflow.local.stack.template.SamApplication;
import com.sun.net.httpserver.HttpServer;

/** API Gateway (REST, Lambda proxy) semantics of the local gateway, with test-only functions. */
class RestApiGatewayTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String ORIGIN = "https://crm.example.com";

    private static HttpServer server;
    private static ExecutorService threads;
    private static LocalLambda lambda;
    private static MutableClock clock;
    private static URI base;

    @BeforeAll
    static void start() throws Exception {
        Path template = Path.of(RestApiGatewayTest.class.getResource("/gateway-template.yaml").toURI());
        SamApplication application = SamApplication.load(template, Map.of());
        lambda = new LocalLambda(application, new LocalLambda.Settings(java.nio.file.Files.createTempDirectory("gateway-test"), 3, Map.of()));
        clock = new MutableClock();
        RestApiGateway gateway = new RestApiGateway(application, lambda::invoke, clock);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        threads = Executors.newFixedThreadPool(8);
        server.setExecutor(threads);
        server.createContext("/", gateway);
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterAll
    static void stop() {
        server.stop(0);
        threads.shutdownNow();
        lambda.close();
    }

    private static int authorizerCalls() {
        return lambda.invocationCount("AuthorizerFunction");
    }

    private static HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    @Test
    void missingTokenIs401WithoutInvokingTheAuthorizer() throws Exception {
        int before = authorizerCalls();
        HttpResponse<String> response = send("GET", "/items", null, null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response)).isEqualTo(JSON.readTree("{\"message\":\"Unauthorized\"}"));
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).contains(ORIGIN);
        assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        assertThat(authorizerCalls()).isEqualTo(before);
    }

    @Test
    void tokenFailingTheValidationExpressionIs401WithoutInvokingTheAuthorizer() throws Exception {
        int before = authorizerCalls();

        assertThat(send("GET", "/items", "Basic dXNlcjpwYXNz", null).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/items", "Bearer two words", null).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/items", "Bearer", null).statusCode()).isEqualTo(401);
        assertThat(authorizerCalls()).isEqualTo(before);
    }

    @Test
    void authorizerErrorUnauthorizedIs401() throws Exception {
        int before = authorizerCalls();
        HttpResponse<String> response = send("GET", "/items", "Bearer unauthorized.a", null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response).path("message").asText()).isEqualTo("Unauthorized");
        assertThat(authorizerCalls()).isEqualTo(before + 1);
    }

    @Test
    void anyOtherAuthorizerFailureIs500AuthorizerConfigurationError() throws Exception {
        HttpResponse<String> thrown = send("GET", "/items", "Bearer broken.a", null);
        HttpResponse<String> noPolicy = send("GET", "/items", "Bearer no-policy.a", null);

        for (HttpResponse<String> response : java.util.List.of(thrown, noPolicy)) {
            assertThat(response.statusCode()).isEqualTo(500);
            // DEFAULT_5XX has a template in the test API: the message of this response type is null.
            assertThat(json(response)).isEqualTo(JSON.readTree(
                    "{\"error\":{\"code\":\"AUTHORIZER_CONFIGURATION_ERROR\",\"message\":null}}"));
            assertThat(response.headers().firstValue("x-amzn-ErrorType")).contains("AuthorizerConfigurationException");
            assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).contains(ORIGIN);
        }
    }

    @Test
    void explicitDenyIs403WithAwsMessage() throws Exception {
        HttpResponse<String> denied = send("DELETE", "/items/x", "Bearer deny-delete.a", null);
        HttpResponse<String> allowed = send("GET", "/items/x", "Bearer deny-delete.a", null);

        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(json(denied).path("message").asText())
                .isEqualTo("User is not authorized to access this resource with an explicit deny");
        assertThat(denied.headers().firstValue("Access-Control-Allow-Origin")).contains(ORIGIN);
        assertThat(allowed.statusCode()).isEqualTo(200);
    }

    @Test
    void noMatchingAllowIs403() throws Exception {
        HttpResponse<String> response = send("GET", "/items", "Bearer other-api.a", null);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(json(response).path("message").asText()).isEqualTo("User is not authorized to access this resource");
    }

    @Test
    void policyResourcesMatchWithStarAndQuestionMarkWildcards() throws Exception {
        String token = "Bearer get-only.a";

        assertThat(send("GET", "/items", token, null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/items/7", token, null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/items/77", token, null).statusCode()).isEqualTo(403);
        assertThat(send("DELETE", "/items/7", token, null).statusCode()).isEqualTo(403);
        assertThat(send("GET", "/files/a/b", "Bearer allow-all.wild", null).statusCode()).isEqualTo(200);
    }

    @Test
    void policyIsCachedPerTokenForReauthorizeEvery() throws Exception {
        String token = "Bearer allow-all.cache";
        int before = authorizerCalls();

        send("GET", "/items", token, null);
        send("GET", "/items/1", token, null);
        send("DELETE", "/items/1", token, null);
        assertThat(authorizerCalls()).isEqualTo(before + 1);

        send("GET", "/items", "Bearer allow-all.other-token", null);
        assertThat(authorizerCalls()).isEqualTo(before + 2);

        clock.advance(Duration.ofSeconds(59));
        send("GET", "/items", token, null);
        assertThat(authorizerCalls()).isEqualTo(before + 2);

        clock.advance(Duration.ofSeconds(2));
        send("GET", "/items", token, null);
        assertThat(authorizerCalls()).isEqualTo(before + 3);
    }

    @Test
    void unknownRouteIsMissingAuthenticationToken() throws Exception {
        int before = authorizerCalls();
        HttpResponse<String> unknownPath = send("GET", "/nowhere", "Bearer allow-all.a", null);
        HttpResponse<String> unknownMethod = send("PUT", "/items", "Bearer allow-all.a", null);

        for (HttpResponse<String> response : java.util.List.of(unknownPath, unknownMethod)) {
            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(json(response)).isEqualTo(JSON.readTree("{\"message\":\"Missing Authentication Token\"}"));
            assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).contains(ORIGIN);
        }
        assertThat(authorizerCalls()).isEqualTo(before);
    }

    @Test
    void corsPreflightIsAnsweredFromTheApiCorsWithoutTheAuthorizer() throws Exception {
        int before = authorizerCalls();
        HttpResponse<String> preflight = send("OPTIONS", "/items/42", null, null);

        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains(ORIGIN);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers")).contains("Authorization,Content-Type");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods")).contains("DELETE,GET,OPTIONS");
        assertThat(preflight.headers().firstValue("Access-Control-Max-Age")).contains("300");
        assertThat(send("OPTIONS", "/nowhere", null, null).statusCode()).isEqualTo(403);
        assertThat(authorizerCalls()).isEqualTo(before);
    }

    @Test
    void proxyEventIsApiGatewayRestV1() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/items/a%20b?tag=x&tag=y&page=2"))
                .header("Authorization", "Bearer allow-all.event")
                .header("X-Trace", "one")
                .GET().build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode echoed = json(response);
        JsonNode event = echoed.path("event");
        assertThat(event.path("resource").asText()).isEqualTo("/items/{id}");
        assertThat(event.path("path").asText()).isEqualTo("/items/a%20b");
        assertThat(event.path("httpMethod").asText()).isEqualTo("GET");
        assertThat(event.path("pathParameters").path("id").asText()).isEqualTo("a b");
        assertThat(event.path("queryStringParameters").path("tag").asText()).isEqualTo("y");
        assertThat(event.path("multiValueQueryStringParameters").path("tag").toString()).isEqualTo("[\"x\",\"y\"]");
        assertThat(event.path("headers").path("X-Trace").asText()).isEqualTo("one");
        assertThat(event.path("multiValueHeaders").path("X-Trace").toString()).isEqualTo("[\"one\"]");
        assertThat(event.path("headers").path("Authorization").asText()).isEqualTo("Bearer allow-all.event");
        assertThat(event.has("stageVariables")).isTrue();
        assertThat(event.path("body").isNull()).isTrue();
        assertThat(event.path("isBase64Encoded").asBoolean(true)).isFalse();

        JsonNode context = event.path("requestContext");
        assertThat(context.path("stage").asText()).isEqualTo("test");
        assertThat(context.path("resourcePath").asText()).isEqualTo("/items/{id}");
        assertThat(context.path("httpMethod").asText()).isEqualTo("GET");
        assertThat(context.path("path").asText()).isEqualTo("/test/items/a%20b");
        assertThat(context.path("requestId").asText()).isEqualTo(response.headers().firstValue("x-amzn-RequestId").orElseThrow());
        assertThat(context.path("identity").path("sourceIp").asText()).isEqualTo("127.0.0.1");
        assertThat(context.path("apiId").asText()).isEqualTo("local");
        JsonNode authorizer = context.path("authorizer");
        assertThat(authorizer.path("principalId").asText()).isEqualTo("u-42");
        assertThat(authorizer.path("userId").asText()).isEqualTo("u-42");
        assertThat(authorizer.path("level").asText()).isEqualTo("3");
        assertThat(authorizer.path("manager").asText()).isEqualTo("false");
        assertThat(authorizer.path("authorizedArn").asText())
                .isEqualTo("arn:aws:execute-api:us-east-1:123456789012:local/test/GET/items/a%20b");

        assertThat(echoed.path("functionName").asText()).isEqualTo("ItemsFunction");
        assertThat(echoed.path("invokedFunctionArn").asText())
                .isEqualTo("arn:aws:lambda:us-east-1:123456789012:function:ItemsFunction:live");
        assertThat(echoed.path("memoryLimitInMB").asInt()).isEqualTo(512);
        assertThat(echoed.path("remainingTimeInMillis").asInt()).isBetween(1, 5000);
        assertThat(echoed.path("sharedSetting").asText()).isEqualTo("test-shared");
    }

    @Test
    void requestBodyAndProxyResponseAreMapped() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/items?status=201"))
                .header("Authorization", "Bearer allow-all.body")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"机柜 A01\"}", StandardCharsets.UTF_8)).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("X-Echo")).contains("yes");
        assertThat(response.headers().allValues("Set-Cookie")).containsExactly("a=1", "b=2");
        JsonNode event = json(response).path("event");
        assertThat(event.path("body").asText()).isEqualTo("{\"name\":\"机柜 A01\"}");
        assertThat(event.path("headers").path("Content-Type").asText()).isEqualTo("application/json");
    }

    @Test
    void routeWithAuthorizerNoneSkipsTheAuthorizer() throws Exception {
        int before = authorizerCalls();
        HttpResponse<String> response = send("GET", "/health", null, null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).path("event").path("requestContext").has("authorizer")).isFalse();
        assertThat(authorizerCalls()).isEqualTo(before);
    }

    @Test
    void literalSegmentsWinOverPathParameters() throws Exception {
        JsonNode event = json(send("GET", "/items/report", "Bearer allow-all.a", null)).path("event");

        assertThat(event.path("resource").asText()).isEqualTo("/items/report");
        assertThat(event.path("pathParameters").isNull()).isTrue();
    }

    @Test
    void greedyPathParameterTakesTheRestOfThePath() throws Exception {
        JsonNode event = json(send("POST", "/files/racks/A01/photo.jpg", "Bearer allow-all.a", "x")).path("event");

        assertThat(event.path("resource").asText()).isEqualTo("/files/{proxy+}");
        assertThat(event.path("pathParameters").path("proxy").asText()).isEqualTo("racks/A01/photo.jpg");
    }

    @Test
    void functionErrorAndMalformedProxyResponseAre502() throws Exception {
        HttpResponse<String> failed = send("GET", "/fail", "Bearer allow-all.a", null);
        HttpResponse<String> malformed = send("GET", "/malformed", "Bearer allow-all.a", null);

        for (HttpResponse<String> response : java.util.List.of(failed, malformed)) {
            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(json(response).path("error").path("message").asText()).isEqualTo("Internal server error");
            assertThat(response.body()).doesNotContain("bug in the handler");
        }
    }

    @Test
    void accessLogHasOneJsonLinePerRequestWithoutTokensOrPersonalData() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        HttpResponse<String> response;
        try {
            response = send("POST", "/items?phone=13800138000&email=a%40b.cn", "Bearer allow-all.logged",
                    "{\"phone\":\"13800138000\",\"email\":\"a@b.cn\"}");
        } finally {
            System.setOut(original);
        }
        String requestId = response.headers().firstValue("x-amzn-RequestId").orElseThrow();
        JsonNode line = null;
        for (String l : captured.toString(StandardCharsets.UTF_8).split("\n")) {
            JsonNode parsed = JSON.readTree(l);
            if ("gateway".equals(parsed.path("component").asText()) && requestId.equals(parsed.path("requestId").asText())) {
                line = parsed;
            }
        }
        assertThat(line).isNotNull();
        assertThat(line.path("method").asText()).isEqualTo("POST");
        assertThat(line.path("path").asText()).isEqualTo("/items");
        assertThat(line.path("status").asInt()).isEqualTo(200);
        assertThat(line.path("userId").asText()).isEqualTo("u-42");
        assertThat(line.has("latencyMs")).isTrue();
        assertThat(captured.toString(StandardCharsets.UTF_8))
                .doesNotContain("Bearer", "allow-all.logged", "13800138000", "a@b.cn", "a%40b.cn");
    }

    @Test
    void concurrentRequestsEachGetTheirOwnEvent() throws Exception {
        java.util.List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> calls = new java.util.ArrayList<>();
        for (int i = 0; i < 24; i++) {
            calls.add(HTTP.sendAsync(HttpRequest.newBuilder(base.resolve("/items/n" + i))
                    .header("Authorization", "Bearer allow-all.parallel").GET().build(), HttpResponse.BodyHandlers.ofString()));
        }
        java.util.Set<String> requestIds = new java.util.HashSet<>();
        for (int i = 0; i < calls.size(); i++) {
            HttpResponse<String> response = calls.get(i).get(30, java.util.concurrent.TimeUnit.SECONDS);
            JsonNode event = json(response).path("event");
            assertThat(event.path("pathParameters").path("id").asText()).isEqualTo("n" + i);
            requestIds.add(event.path("requestContext").path("requestId").asText());
        }
        assertThat(requestIds).hasSize(24);
    }

    @Test
    void functionRunningPastItsTimeoutIsCutOff() throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> response = send("GET", "/slow", "Bearer allow-all.slow", null);

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(json(response).path("error").path("message").asText()).isEqualTo("Endpoint request timed out");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }
}
