package com.rackflow.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rackflow.local.stack.tables.LocalDynamoDb;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** A part of the stack that dies is restarted; meanwhile the API answers 503 in the one error format. */
class LocalStackResilienceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dataDir;

    private static HttpResponse<String> get(LocalStack stack, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(stack.apiBaseUrl().resolve(path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> awaitStatus(LocalStack stack, java.util.function.IntPredicate wanted, long millis) throws Exception {
        long until = System.currentTimeMillis() + millis;
        HttpResponse<String> response = get(stack, "/customers", null);
        while (!wanted.test(response.statusCode()) && System.currentTimeMillis() < until) {
            Thread.sleep(50);
            response = get(stack, "/customers", null);
        }
        return response;
    }

    @Test
    void deadDynaliteIsRestartedWithItsDataAndTheApiAnswers503Meanwhile() throws Exception {
        try (LocalStack stack = LocalStack.start(TestStacks.options(dataDir, false, 1.0));
             DynamoDbClient dynamo = LocalDynamoDb.client(stack.dynamoEndpoint())) {
            String table = stack.application().tables().get(0).tableName();
            Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("RESILIENCE#1"), "sk", AttributeValue.fromS("A"));
            dynamo.putItem(b -> b.tableName(table).item(key));

            stack.dynalite().close();
            HttpResponse<String> meanwhile = awaitStatus(stack, s -> s == 503, 10_000);

            assertThat(meanwhile.statusCode()).isEqualTo(503);
            assertThat(meanwhile.headers().firstValue("Retry-After")).isPresent();
            assertThat(meanwhile.headers().firstValue("Content-Type")).hasValue("application/json");
            JsonNode error = JSON.readTree(meanwhile.body()).path("error");
            assertThat(error.path("code").asText()).isEqualTo("SERVICE_UNAVAILABLE");
            assertThat(error.path("message").asText()).contains("dynalite");
            HttpResponse<String> token = HTTP.send(HttpRequest.newBuilder(URI.create(stack.identityProvider().tokenUrl()))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"li.lei\"}")).build(), HttpResponse.BodyHandlers.ofString());
            if (token.statusCode() == 503) {
                assertThat(JSON.readTree(token.body()).path("error").path("code").asText()).isEqualTo("SERVICE_UNAVAILABLE");
            }

            HttpResponse<String> after = awaitStatus(stack, s -> s != 503, 60_000);
            assertThat(after.statusCode()).as(after.body()).isEqualTo(401);
            assertThat(stack.dynalite().isAlive()).isTrue();
            assertThat(dynamo.getItem(b -> b.tableName(table).key(key).consistentRead(true)).hasItem())
                    .as("data kept with --persist").isTrue();
        }
    }

    @Test
    void aFunctionJvmThatDiesIsReplacedByTheNextInvocation() throws Exception {
        try (LocalStack stack = LocalStack.start(TestStacks.options(null, false, 1.0))) {
            HttpResponse<String> first = get(stack, "/customers", "not.a.jwt");
            long pid = stack.lambda().processIds("AuthorizerFunction").get(0);

            ProcessHandle victim = ProcessHandle.of(pid).orElseThrow();
            victim.destroyForcibly();
            victim.onExit().join();
            HttpResponse<String> second = get(stack, "/customers", "not.a.jwt");

            assertThat(second.statusCode()).as(second.body()).isEqualTo(first.statusCode());
            assertThat(stack.lambda().coldStarts("AuthorizerFunction")).isEqualTo(2);
            assertThat(stack.lambda().processIds("AuthorizerFunction")).doesNotContain(pid).hasSize(1);
        }
    }
}
