package com.rackflow.local.stack.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rackflow.local.stack.template.SamApplication;

/**
 * The local Lambda runtime's lifecycle, with test functions run through the real runtime interface client: cold
 * start, reuse, scale-out and its limit, timeout, crash, init error, SnapStart hooks, Lambda's environment, logs.
 * One runtime for the class, so warm environments are shared between tests (as they would be in Lambda).
 */
class LocalLambdaTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_INSTANCES = 2;
    private static Path workDir;
    private static LocalLambda lambda;

    @BeforeAll
    static void start() throws Exception {
        Path template = Path.of(LocalLambdaTest.class.getResource("/lambda-template.yaml").toURI());
        workDir = Files.createTempDirectory("lambda-test");
        lambda = new LocalLambda(SamApplication.load(template, Map.of()),
                new LocalLambda.Settings(workDir, MAX_INSTANCES, Map.of("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:9")));
    }

    @AfterAll
    static void stop() {
        List<Long> pids = lambda.processIds();
        lambda.close();
        assertThat(pids).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .as("environment %d stopped with the runtime", pid).isFalse());
    }

    private static JsonNode invoke(String function, String payload) throws Exception {
        return JSON.readTree(lambda.invoke(function, payload.getBytes(StandardCharsets.UTF_8)));
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Test
    void firstInvocationStartsAJvmAndTheNextOneReusesIt() throws Exception {
        int coldBefore = lambda.coldStarts("LifecycleFunction");
        JsonNode first = invoke("LifecycleFunction", "{}");
        JsonNode second = invoke("arn:aws:lambda:us-east-1:123456789012:function:LifecycleFunction:live", "{}");

        assertThat(first.path("pid").asLong()).isNotEqualTo(ProcessHandle.current().pid());
        assertThat(second.path("pid").asLong()).isEqualTo(first.path("pid").asLong());
        assertThat(second.path("served").asInt()).isEqualTo(first.path("served").asInt() + 1);
        assertThat(lambda.coldStarts("LifecycleFunction")).isLessThanOrEqualTo(coldBefore + 1);
        assertThat(second.path("requestId").asText()).isNotEqualTo(first.path("requestId").asText());
        assertThat(second.path("remainingTimeInMillis").asInt()).isBetween(1, 3000);
    }

    @Test
    void environmentIsLambdasAndSnapStartFunctionsGetContainerCredentialsNotKeys() throws Exception {
        JsonNode answer = invoke("LifecycleFunction", "{}");
        JsonNode env = answer.path("environment");

        assertThat(env.path("AWS_LAMBDA_FUNCTION_NAME").asText()).isEqualTo("LifecycleFunction");
        assertThat(env.path("AWS_LAMBDA_FUNCTION_VERSION").asText()).isEqualTo("1");
        assertThat(env.path("AWS_LAMBDA_FUNCTION_MEMORY_SIZE").asText()).isEqualTo("256");
        assertThat(env.path("AWS_REGION").asText()).isEqualTo("us-east-1");
        assertThat(env.path("AWS_EXECUTION_ENV").asText()).isEqualTo("AWS_Lambda_java21");
        assertThat(env.path("_HANDLER").asText()).isEqualTo("com.rackflow.local.stack.testfunctions.LifecycleHandler::handleRequest");
        assertThat(env.path("LAMBDA_TASK_ROOT").asText()).isEqualTo(answer.path("userDir").asText());
        assertThat(env.path("TZ").asText()).isEqualTo(":UTC");
        assertThat(env.path("AWS_LAMBDA_LOG_FORMAT").asText()).isEqualTo("JSON");
        assertThat(env.path("AWS_LAMBDA_LOG_LEVEL").asText()).isEqualTo("DEBUG");
        assertThat(env.path("AWS_LAMBDA_INITIALIZATION_TYPE").asText()).isEqualTo("snap-start");
        assertThat(env.path("SHARED").asText()).isEqualTo("from-globals");
        assertThat(env.path("OWN").asText()).isEqualTo("own-value");
        assertThat(env.path("AWS_ENDPOINT_URL_DYNAMODB").asText()).isEqualTo("http://127.0.0.1:9");
        assertThat(env.has("AWS_ACCESS_KEY_ID")).as("no access keys under SnapStart").isFalse();
        assertThat(env.has("AWS_SECRET_ACCESS_KEY")).isFalse();
        assertThat(answer.path("memoryLimitInMB").asInt()).isEqualTo(256);
        assertThat(answer.path("jvmArguments")).extracting(JsonNode::asText)
                .contains("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx217m");

        URI credentials = URI.create(env.path("AWS_CONTAINER_CREDENTIALS_FULL_URI").asText());
        assertThat(credentials.getHost()).isEqualTo("127.0.0.1");
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(credentials).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> granted = http.send(HttpRequest.newBuilder(credentials)
                .header("Authorization", env.path("AWS_CONTAINER_AUTHORIZATION_TOKEN").asText()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(granted.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(granted.body()).fieldNames()).toIterable()
                .contains("AccessKeyId", "SecretAccessKey", "Token", "Expiration");

        JsonNode onDemand = invoke("OnDemandFunction", "{}").path("environment");
        assertThat(onDemand.path("AWS_LAMBDA_INITIALIZATION_TYPE").asText()).isEqualTo("on-demand");
        assertThat(onDemand.has("AWS_ACCESS_KEY_ID")).isTrue();
        assertThat(onDemand.has("AWS_CONTAINER_CREDENTIALS_FULL_URI")).isFalse();
        assertThat(onDemand.has("AWS_LAMBDA_LOG_FORMAT")).as("Text logs set no format variable").isFalse();
        assertThat(onDemand.has("OWN")).isFalse();
    }

    @Test
    void snapStartHooksRunBeforeTheFirstInvocationOnlyForSnapStartFunctions() throws Exception {
        JsonNode snapStart = invoke("LifecycleFunction", "{}");
        JsonNode onDemand = invoke("OnDemandFunction", "{}");

        assertThat(snapStart.path("beforeCheckpoint").asBoolean()).isTrue();
        assertThat(snapStart.path("afterRestore").asBoolean()).isTrue();
        assertThat(onDemand.path("beforeCheckpoint").asBoolean()).isFalse();
        assertThat(onDemand.path("afterRestore").asBoolean()).isFalse();
    }

    @Test
    void anOnDemandInitPastTenSecondsIsRetriedWithinTheFirstInvocationLimitedByTheFunctionsTimeout() throws Exception {
        JsonNode answer = invoke("SlowInitFunction", "{}");

        assertThat(answer.path("pid").asLong()).isPositive();
        assertThat(lambda.coldStarts("SlowInitFunction")).as("the init cut at 10 s, then its retry").isEqualTo(2);
    }

    @Test
    void runOnDemandASnapStartFunctionStartsAsInvokingLatestDoes() throws Exception {
        Path template = Path.of(LocalLambdaTest.class.getResource("/lambda-template.yaml").toURI());
        try (LocalLambda latest = new LocalLambda(SamApplication.load(template, Map.of()),
                new LocalLambda.Settings(Files.createTempDirectory("lambda-on-demand"), 1, Map.of(), false))) {
            JsonNode answer = JSON.readTree(latest.invoke("LifecycleFunction", "{}".getBytes(StandardCharsets.UTF_8)));

            assertThat(answer.path("beforeCheckpoint").asBoolean()).as("no SnapStart hooks").isFalse();
            assertThat(answer.path("afterRestore").asBoolean()).isFalse();
            assertThat(answer.path("environment").path("AWS_LAMBDA_INITIALIZATION_TYPE").asText()).isEqualTo("on-demand");
            assertThat(answer.path("environment").has("AWS_ACCESS_KEY_ID")).isTrue();
            assertThat(answer.path("environment").has("AWS_CONTAINER_CREDENTIALS_FULL_URI")).isFalse();
        }
    }

    @Test
    void overlappingInvocationsScaleOutUpToTheLimitThenWaitForAFreeEnvironment() throws Exception {
        List<CompletableFuture<JsonNode>> calls = new ArrayList<>();
        for (int i = 0; i < MAX_INSTANCES + 1; i++) {
            calls.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return invoke("LifecycleFunction", "{\"sleepMs\":700}");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        List<Long> pids = calls.stream().map(CompletableFuture::join).map(a -> a.path("pid").asLong()).toList();

        assertThat(pids.stream().distinct().count()).as("environments used by %s", pids).isEqualTo(MAX_INSTANCES);
        assertThat(lambda.processIds("LifecycleFunction")).hasSizeLessThanOrEqualTo(MAX_INSTANCES);
    }

    @Test
    void anInvocationPastTheTimeoutKillsItsEnvironmentAndTheNextOneGetsAFreshOne() throws Exception {
        long pid = invoke("LifecycleFunction", "{}").path("pid").asLong();
        long started = System.nanoTime();

        assertThatThrownBy(() -> invoke("LifecycleFunction", "{\"sleepMs\":10000}"))
                .isInstanceOfSatisfying(LambdaInvocationException.class, e -> {
                    assertThat(e.errorType()).isEqualTo("Sandbox.Timedout");
                    assertThat(e.errorMessage()).contains("Task timed out after 3.00 seconds");
                });
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(8_000);
        assertThat(alive(pid) && lambda.processIds("LifecycleFunction").contains(pid)).as("timed-out environment %d", pid).isFalse();
        assertThat(invoke("LifecycleFunction", "{}").path("pid").asLong()).isNotEqualTo(pid);
    }

    @Test
    void aCrashedEnvironmentFailsItsInvocationAndIsReplaced() throws Exception {
        long pid = invoke("LifecycleFunction", "{}").path("pid").asLong();

        assertThatThrownBy(() -> invoke("LifecycleFunction", "{\"exit\":7}"))
                .isInstanceOfSatisfying(LambdaInvocationException.class, e -> {
                    assertThat(e.errorType()).isEqualTo("Runtime.ExitError");
                    assertThat(e.errorMessage()).contains("exit status 7");
                });
        assertThat(lambda.processIds("LifecycleFunction")).doesNotContain(pid);
        assertThat(invoke("LifecycleFunction", "{}").path("pid").asLong()).isNotEqualTo(pid);
    }

    @Test
    void aHandlerThatCannotBeCreatedFailsEveryInvocationWithItsInitError() {
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> invoke("InitFailingFunction", "{}"))
                    .isInstanceOfSatisfying(LambdaInvocationException.class,
                            e -> assertThat(e.errorMessage()).contains("MISSING_SETTING"));
        }
        assertThat(lambda.processIds("InitFailingFunction")).isEmpty();
    }

    @Test
    void aThrowingBeforeCheckpointHookFailsTheInitAsPublishingTheVersionWould() {
        assertThatThrownBy(() -> invoke("FailingHookFunction", "{}"))
                .isInstanceOfSatisfying(LambdaInvocationException.class,
                        e -> assertThat(e.errorType() + " " + e.errorMessage()).containsIgnoringCase("checkpoint"));
        assertThat(lambda.processIds("FailingHookFunction")).isEmpty();
    }

    @Test
    void eachFunctionLogsToItsOwnFileInItsLogFormat() throws Exception {
        invoke("LifecycleFunction", "{}");
        invoke("OnDemandFunction", "{}");

        String json = Files.readString(lambda.logFile("LifecycleFunction"));
        String text = Files.readString(lambda.logFile("OnDemandFunction"));
        assertThat(json).contains("\"type\":\"platform.initStart\"", "\"type\":\"platform.report\"", "served by ");
        assertThat(text).contains("INIT_START", "START RequestId: ", "REPORT RequestId: ", "served by ");
        assertThat(text).doesNotContain("platform.start");
        assertThat(lambda.logFile("LifecycleFunction").getParent()).isEqualTo(workDir.resolve("logs"));
    }
}
