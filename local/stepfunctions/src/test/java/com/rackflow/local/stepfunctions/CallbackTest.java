package com.rackflow.local.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;

/** `.waitForTaskToken` callbacks: SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat and their errors. */
class CallbackTest extends SfnTestSupport {

    /** Tokens handed to the "Inbox" function, by the "id" field of its payload. */
    static final Map<String, String> TOKENS = new ConcurrentHashMap<>();

    @BeforeAll
    static void functions() {
        FUNCTIONS.put("Inbox", (arn, payload) -> {
            var in = json(new String(payload, StandardCharsets.UTF_8));
            TOKENS.put(in.get("id").asText(), in.get("token").asText());
            return "{\"queued\":true}".getBytes(StandardCharsets.UTF_8);
        });
    }

    private static String callbackMachine(String extra) {
        return single("{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::lambda:invoke.waitForTaskToken\","
                + "\"Parameters\":{\"FunctionName\":\"Inbox\",\"Payload\":{\"id.$\":\"$.id\",\"token.$\":\"$$.Task.Token\"}}"
                + extra + ",\"End\":true}");
    }

    private static String awaitToken(String id) {
        for (int i = 0; i < 2000 && !TOKENS.containsKey(id); i++) {
            sleep(5);
        }
        assertThat(TOKENS).containsKey(id);
        return TOKENS.get(id);
    }

    @Test
    void sendTaskSuccessCompletesTheTask() {
        String exec = start(createMachine(callbackMachine(",\"ResultPath\":\"$.approval\"")), "{\"id\":\"s1\"}");
        String token = awaitToken("s1");
        sleep(20);
        assertThat(sfn.describeExecution(b -> b.executionArn(exec)).status()).isEqualTo(ExecutionStatus.RUNNING);
        sfn.sendTaskSuccess(b -> b.taskToken(token).output("{\"approved\":true}"));
        DescribeExecutionResponse d = await(exec);
        assertThat(json(d.output())).isEqualTo(json("{\"id\":\"s1\",\"approval\":{\"approved\":true}}"));
        assertThat(eventTypes(exec)).containsExactly(HistoryEventType.EXECUTION_STARTED,
                HistoryEventType.TASK_STATE_ENTERED, HistoryEventType.TASK_SCHEDULED, HistoryEventType.TASK_STARTED,
                HistoryEventType.TASK_SUBMITTED, HistoryEventType.TASK_SUCCEEDED, HistoryEventType.TASK_STATE_EXITED,
                HistoryEventType.EXECUTION_SUCCEEDED);
        var submitted = history(exec).get(4).taskSubmittedEventDetails();
        assertThat(submitted.resource()).isEqualTo("invoke.waitForTaskToken");
        assertThat(json(submitted.output()).get("Payload")).isEqualTo(json("{\"queued\":true}"));
        assertThatThrownBy(() -> sfn.sendTaskSuccess(b -> b.taskToken(token).output("{}")))
                .isInstanceOf(TaskTimedOutException.class);
    }

    @Test
    void sendTaskFailureFailsTheTaskWithItsErrorAndCause() {
        String exec = start(createMachine(callbackMachine(",\"Catch\":[{\"ErrorEquals\":[\"Rejected\"],"
                + "\"ResultPath\":\"$.why\",\"Next\":\"R\"}]").replace("\"End\":true}}}",
                "\"End\":true},\"R\":{\"Type\":\"Pass\",\"End\":true}}}")), "{\"id\":\"f1\"}");
        sfn.sendTaskFailure(b -> b.taskToken(awaitToken("f1")).error("Rejected").cause("no budget"));
        DescribeExecutionResponse d = await(exec);
        assertThat(json(d.output())).isEqualTo(json("{\"id\":\"f1\",\"why\":{\"Error\":\"Rejected\","
                + "\"Cause\":\"no budget\"}}"));
        assertThat(eventTypes(exec)).contains(HistoryEventType.TASK_FAILED);
    }

    @Test
    void missingHeartbeatTimesTheTaskOut() {
        String exec = start(createMachine(callbackMachine(",\"HeartbeatSeconds\":20")), "{\"id\":\"h1\"}");
        DescribeExecutionResponse d = await(exec);
        assertThat(d.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(d.error()).isEqualTo("States.HeartbeatTimeout");
        assertThat(eventTypes(exec)).contains(HistoryEventType.TASK_TIMED_OUT);
        assertThatThrownBy(() -> sfn.sendTaskSuccess(b -> b.taskToken(TOKENS.get("h1")).output("{}")))
                .isInstanceOf(TaskTimedOutException.class);
    }

    @Test
    void heartbeatsKeepTheTaskAlive() {
        String exec = start(createMachine(callbackMachine(",\"HeartbeatSeconds\":1500,\"TimeoutSeconds\":100000")),
                "{\"id\":\"h2\"}");
        String token = awaitToken("h2");
        // 1500 s of heartbeat interval is 1.5 s here; heartbeating every 100 ms for 2.5 s keeps the task alive
        for (int i = 0; i < 25; i++) {
            sfn.sendTaskHeartbeat(b -> b.taskToken(token));
            sleep(100);
        }
        assertThat(sfn.describeExecution(b -> b.executionArn(exec)).status()).isEqualTo(ExecutionStatus.RUNNING);
        sfn.sendTaskSuccess(b -> b.taskToken(token).output("\"done\""));
        assertThat(await(exec).output()).isEqualTo("\"done\"");
    }

    @Test
    void taskTimeoutAppliesToCallbacks() {
        String exec = start(createMachine(callbackMachine(",\"TimeoutSeconds\":30")), "{\"id\":\"t1\"}");
        assertThat(await(exec).error()).isEqualTo("States.Timeout");
    }

    @Test
    void retriedCallbacksCountTheirAttempts() {
        FUNCTIONS.put("Counter", (arn, payload) -> {
            var in = json(new String(payload, StandardCharsets.UTF_8));
            TOKENS.put(in.get("id").asText() + "#" + in.get("attempt").asInt(), in.get("token").asText());
            return "{}".getBytes(StandardCharsets.UTF_8);
        });
        String def = single("{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::lambda:invoke.waitForTaskToken\","
                + "\"Parameters\":{\"FunctionName\":\"Counter\",\"Payload\":{\"id.$\":\"$.id\",\"attempt.$\":"
                + "\"$$.State.RetryCount\",\"token.$\":\"$$.Task.Token\"}},\"Retry\":[{\"ErrorEquals\":[\"Rejected\"],"
                + "\"MaxAttempts\":2,\"IntervalSeconds\":1}],\"End\":true}");
        String exec = start(createMachine(def), "{\"id\":\"r1\"}");
        for (int attempt = 0; attempt < 3; attempt++) {
            String token = awaitToken("r1#" + attempt);
            sfn.sendTaskFailure(b -> b.taskToken(token).error("Rejected"));
        }
        DescribeExecutionResponse d = await(exec);
        assertThat(d.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(d.error()).isEqualTo("Rejected");
        assertThat(TOKENS).doesNotContainKey("r1#3");
        assertThat(eventTypes(exec).stream().filter(t -> t == HistoryEventType.TASK_FAILED)).hasSize(3);
    }

    @Test
    void tokenErrors() {
        assertThatThrownBy(() -> sfn.sendTaskSuccess(b -> b.taskToken("garbage!").output("{}")))
                .isInstanceOf(InvalidTokenException.class);
        String wellFormedUnknown = com.rackflow.local.stepfunctions.engine.TaskTokens.newToken("arn:none");
        assertThatThrownBy(() -> sfn.sendTaskSuccess(b -> b.taskToken(wellFormedUnknown).output("{}")))
                .isInstanceOf(TaskDoesNotExistException.class);
        assertThatThrownBy(() -> sfn.sendTaskHeartbeat(b -> b.taskToken(wellFormedUnknown)))
                .isInstanceOf(TaskDoesNotExistException.class);
    }

    @Test
    void stopExecutionAbortsAWaitingTask() {
        String exec = start(createMachine(callbackMachine("")), "{\"id\":\"x1\"}");
        String token = awaitToken("x1");
        sfn.stopExecution(b -> b.executionArn(exec).error("Operator.Stop").cause("cancelled by test"));
        DescribeExecutionResponse d = await(exec);
        assertThat(d.status()).isEqualTo(ExecutionStatus.ABORTED);
        assertThat(eventTypes(exec)).endsWith(HistoryEventType.EXECUTION_ABORTED);
        assertThat(history(exec).get(history(exec).size() - 1).executionAbortedEventDetails().error())
                .isEqualTo("Operator.Stop");
        assertThatThrownBy(() -> sfn.sendTaskSuccess(b -> b.taskToken(token).output("{}")))
                .isInstanceOf(TaskTimedOutException.class);
    }
}
