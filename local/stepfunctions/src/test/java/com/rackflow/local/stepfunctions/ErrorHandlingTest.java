package com.rackflow.local.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

/** Spec "Errors": Retry (counting per retrier, MaxAttempts 0), Catch in order with ResultPath, wildcard rules. */
class ErrorHandlingTest extends SfnTestSupport {

    static final Queue<String> SCRIPT = new ConcurrentLinkedQueue<>();
    static final AtomicInteger CALLS = new AtomicInteger();

    @BeforeAll
    static void functions() {
        // Throws the next error name of the script, or answers "ok" when the script is empty.
        FUNCTIONS.put("Scripted", (arn, payload) -> {
            CALLS.incrementAndGet();
            String error = SCRIPT.poll();
            if (error != null) {
                throw new LambdaFailure(error, "scripted " + error, List.of("at Scripted.handle(Scripted.java:1)"));
            }
            return "\"ok\"".getBytes(StandardCharsets.UTF_8);
        });
        FUNCTIONS.put("Slow", (arn, payload) -> {
            sleep(300);
            return "\"late\"".getBytes(StandardCharsets.UTF_8);
        });
        FUNCTIONS.put("Crash", (arn, payload) -> {
            throw LambdaFailure.unhandled("Process exited before completing request");
        });
        FUNCTIONS.put("Huge", (arn, payload) -> ("\"" + "x".repeat(300_000) + "\"").getBytes(StandardCharsets.UTF_8));
    }

    private static void script(String... errors) {
        SCRIPT.clear();
        SCRIPT.addAll(List.of(errors));
        CALLS.set(0);
    }

    @Test
    void specExampleComplexRetryScenario() {
        script("ErrorA", "ErrorB", "ErrorC", "ErrorB");
        String def = "{\"StartAt\":\"X\",\"States\":{\"X\":{\"Type\":\"Task\",\"Resource\":\"" + lambdaArn("Scripted")
                + "\",\"Next\":\"Y\",\"Retry\":[{\"ErrorEquals\":[\"ErrorA\",\"ErrorB\"],\"IntervalSeconds\":1,"
                + "\"BackoffRate\":2,\"MaxAttempts\":2},{\"ErrorEquals\":[\"ErrorC\"],\"IntervalSeconds\":5}],"
                + "\"Catch\":[{\"ErrorEquals\":[\"States.ALL\"],\"Next\":\"Z\"}]},"
                + "\"Y\":{\"Type\":\"Pass\",\"Result\":\"Y\",\"End\":true},\"Z\":{\"Type\":\"Pass\",\"End\":true}}}";
        String exec = start(createMachine(def), "{}");
        var out = json(await(exec).output());
        assertThat(CALLS.get()).isEqualTo(4);
        assertThat(out.get("Error").asText()).isEqualTo("ErrorB");
        assertThat(json(out.get("Cause").asText()).get("errorMessage").asText()).isEqualTo("scripted ErrorB");
        assertThat(eventTypes(exec).stream().filter(t -> t == HistoryEventType.LAMBDA_FUNCTION_FAILED)).hasSize(4);
    }

    @Test
    void retrySucceedsAndCountsRetries() {
        script("Boom", "Boom");
        String def = single("{\"Type\":\"Task\",\"Resource\":\"" + lambdaArn("Scripted") + "\","
                + "\"Retry\":[{\"ErrorEquals\":[\"Boom\"],\"IntervalSeconds\":2,\"MaxAttempts\":3,"
                + "\"MaxDelaySeconds\":3,\"JitterStrategy\":\"FULL\"}],"
                + "\"ResultSelector\":{\"r.$\":\"$\",\"retries.$\":\"$$.State.RetryCount\"},\"End\":true}");
        assertThat(output(def, "{}")).isEqualTo(json("{\"r\":\"ok\",\"retries\":2}"));
        assertThat(CALLS.get()).isEqualTo(3);
    }

    @Test
    void maxAttemptsZeroNeverRetries() {
        script("States.TaskFailed");
        String def = single("{\"Type\":\"Task\",\"Resource\":\"" + lambdaArn("Scripted") + "\","
                + "\"Retry\":[{\"ErrorEquals\":[\"States.ALL\"],\"MaxAttempts\":0}],\"End\":true}");
        DescribeExecutionResponse d = run(def, "{}");
        assertThat(d.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(CALLS.get()).isEqualTo(1);
    }

    @Test
    void specExampleCatcherResultPathKeepsTheInput() {
        script("java.lang.Exception");
        String def = "{\"StartAt\":\"X\",\"States\":{\"X\":{\"Type\":\"Task\",\"Resource\":\"" + lambdaArn("Scripted")
                + "\",\"End\":true,\"Catch\":[{\"ErrorEquals\":[\"java.lang.Exception\"],\"ResultPath\":\"$.error-info\","
                + "\"Next\":\"RecoveryState\"},{\"ErrorEquals\":[\"States.ALL\"],\"Next\":\"EndMachine\"}]},"
                + "\"RecoveryState\":{\"Type\":\"Pass\",\"End\":true},\"EndMachine\":{\"Type\":\"Pass\",\"End\":true}}}";
        String exec = start(createMachine(def), "{\"order\":1}");
        var out = json(await(exec).output());
        assertThat(out.get("order").asInt()).isEqualTo(1);
        assertThat(out.get("error-info").get("Error").asText()).isEqualTo("java.lang.Exception");
        assertThat(eventTypes(exec)).containsExactly(HistoryEventType.EXECUTION_STARTED,
                HistoryEventType.TASK_STATE_ENTERED, HistoryEventType.LAMBDA_FUNCTION_SCHEDULED,
                HistoryEventType.LAMBDA_FUNCTION_STARTED, HistoryEventType.LAMBDA_FUNCTION_FAILED,
                HistoryEventType.TASK_STATE_EXITED, HistoryEventType.PASS_STATE_ENTERED,
                HistoryEventType.PASS_STATE_EXITED, HistoryEventType.EXECUTION_SUCCEEDED);
    }

    @Test
    void statesAllDoesNotCatchStatesRuntime() {
        String def = "{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Parallel\",\"Branches\":[{\"StartAt\":\"B\","
                + "\"States\":{\"B\":{\"Type\":\"Pass\",\"InputPath\":\"$.missing\",\"End\":true}}}],"
                + "\"Retry\":[{\"ErrorEquals\":[\"States.ALL\"]}],"
                + "\"Catch\":[{\"ErrorEquals\":[\"States.ALL\"],\"Next\":\"C\"}],\"End\":true},"
                + "\"C\":{\"Type\":\"Succeed\"}}}";
        DescribeExecutionResponse d = run(def, "{}");
        assertThat(d.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(d.error()).isEqualTo("States.Runtime");
    }

    @Test
    void statesTaskFailedDoesNotMatchTimeoutButStatesAllDoes() {
        String def = "{\"StartAt\":\"T\",\"States\":{\"T\":{\"Type\":\"Task\",\"Resource\":\"" + lambdaArn("Slow")
                + "\",\"TimeoutSeconds\":1,\"End\":true,\"Catch\":[{\"ErrorEquals\":[\"States.TaskFailed\"],"
                + "\"Next\":\"TaskFailed\"},{\"ErrorEquals\":[\"States.ALL\"],\"Next\":\"Other\"}]},"
                + "\"TaskFailed\":{\"Type\":\"Pass\",\"Result\":\"TaskFailed\",\"End\":true},"
                + "\"Other\":{\"Type\":\"Pass\",\"End\":true}}}";
        String exec = start(createMachine(def), "{}");
        var out = json(await(exec).output());
        assertThat(out.get("Error").asText()).isEqualTo("States.Timeout");
        assertThat(eventTypes(exec)).contains(HistoryEventType.LAMBDA_FUNCTION_TIMED_OUT);
    }

    @Test
    void statesTaskFailedMatchesAnOrdinaryError() {
        script("Anything");
        String def = "{\"StartAt\":\"T\",\"States\":{\"T\":{\"Type\":\"Task\",\"Resource\":\"" + lambdaArn("Scripted")
                + "\",\"End\":true,\"Catch\":[{\"ErrorEquals\":[\"States.TaskFailed\"],\"Next\":\"C\"}]},"
                + "\"C\":{\"Type\":\"Pass\",\"End\":true}}}";
        assertThat(output(def, "{}").get("Error").asText()).isEqualTo("Anything");
    }

    @Test
    void dataLimitExceededIsNotCaughtByStatesAll() {
        String def = "{\"StartAt\":\"T\",\"States\":{\"T\":{\"Type\":\"Task\",\"Resource\":\"" + lambdaArn("Huge")
                + "\",\"End\":true,\"Catch\":[{\"ErrorEquals\":[\"States.ALL\"],\"Next\":\"C\"}]},"
                + "\"C\":{\"Type\":\"Pass\",\"End\":true}}}";
        DescribeExecutionResponse d = run(def, "{}");
        assertThat(d.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(d.error()).isEqualTo("States.DataLimitExceeded");
    }

    @Test
    void unhandledLambdaFailureIsLambdaUnknown() {
        String def = single("{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::lambda:invoke\",\"Parameters\":"
                + "{\"FunctionName\":\"Crash\",\"Payload.$\":\"$\"},\"End\":true}");
        String exec = start(createMachine(def), "{}");
        DescribeExecutionResponse d = await(exec);
        assertThat(d.error()).isEqualTo("Lambda.Unknown");
        assertThat(d.cause()).contains("Process exited before completing request");
        var failed = history(exec).stream().filter(e -> e.type() == HistoryEventType.TASK_FAILED).findFirst()
                .orElseThrow();
        assertThat(failed.taskFailedEventDetails().resourceType()).isEqualTo("lambda");
        assertThat(failed.taskFailedEventDetails().resource()).isEqualTo("invoke");
        assertThat(failed.taskFailedEventDetails().error()).isEqualTo("Lambda.Unknown");
    }

    @Test
    void handledLambdaErrorTypeBecomesTheErrorName() {
        script("com.rackflow.ValidationError");
        String def = single("{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::lambda:invoke\",\"Parameters\":"
                + "{\"FunctionName\":\"Scripted\"},\"End\":true}");
        DescribeExecutionResponse d = run(def, "{}");
        assertThat(d.error()).isEqualTo("com.rackflow.ValidationError");
        var cause = json(d.cause());
        assertThat(cause.get("errorType").asText()).isEqualTo("com.rackflow.ValidationError");
        assertThat(cause.get("errorMessage").asText()).isEqualTo("scripted com.rackflow.ValidationError");
        assertThat(cause.get("stackTrace")).hasSize(1);
    }

    @Test
    void failStateErrorAndCauseFromPaths() {
        String def = single("{\"Type\":\"Fail\",\"ErrorPath\":\"$.e\",\"CausePath\":\"States.Format('bad {}', $.n)\"}");
        String exec = start(createMachine(def), "{\"e\":\"Custom.Error\",\"n\":3}");
        DescribeExecutionResponse d = await(exec);
        assertThat(d.error()).isEqualTo("Custom.Error");
        assertThat(d.cause()).isEqualTo("bad 3");
        assertThat(eventTypes(exec)).containsExactly(HistoryEventType.EXECUTION_STARTED,
                HistoryEventType.FAIL_STATE_ENTERED, HistoryEventType.EXECUTION_FAILED);
    }
}
