package com.rackflow.local.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;

/**
 * Callbacks and Waits inside Map iterations and Parallel branches wait without a thread, as at the top level: the
 * threads of the process do not grow with the number of waiting children, and none of them is inside the interpreter
 * while everything waits.
 */
class WaitingChildrenTest extends SfnTestSupport {

    private static final int EXECUTIONS = 10;
    private static final int ITEMS = 40; // AWS's inline Map runs at most 40 iterations at once

    /** Task tokens handed to the "Inbox" function, by the item they belong to ("execution/item"). */
    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();

    @org.junit.jupiter.api.BeforeAll
    static void inbox() {
        FUNCTIONS.put("Inbox", (arn, payload) -> {
            JsonNode p = json(new String(payload, StandardCharsets.UTF_8));
            TOKENS.put(p.get("key").asText(), p.get("token").asText());
            return "{}".getBytes(StandardCharsets.UTF_8);
        });
    }

    private static final String DEFINITION = "{\"StartAt\":\"Both\",\"States\":{\"Both\":{\"Type\":\"Parallel\","
            + "\"Branches\":["
            + "{\"StartAt\":\"Approvals\",\"States\":{\"Approvals\":{\"Type\":\"Map\",\"ItemsPath\":\"$.items\","
            + "\"ItemSelector\":{\"run.$\":\"$.run\",\"item.$\":\"$$.Map.Item.Value\"},"
            + "\"ItemProcessor\":{\"StartAt\":\"Approve\",\"States\":{\"Approve\":{\"Type\":\"Task\","
            + "\"Resource\":\"arn:aws:states:::lambda:invoke.waitForTaskToken\",\"Parameters\":{\"FunctionName\":"
            + "\"Inbox\",\"Payload\":{\"token.$\":\"$$.Task.Token\",\"key.$\":\"States.Format('{}/{}', $.run, "
            + "$.item)\"}},\"End\":true}}},\"End\":true}}},"
            + "{\"StartAt\":\"Pauses\",\"States\":{\"Pauses\":{\"Type\":\"Map\",\"ItemsPath\":\"$.items\","
            + "\"ItemProcessor\":{\"StartAt\":\"Pause\",\"States\":{\"Pause\":{\"Type\":\"Wait\",\"Seconds\":4000,"
            + "\"Next\":\"Done\"},\"Done\":{\"Type\":\"Pass\",\"Result\":\"paused\",\"End\":true}}},\"End\":true}}}"
            + "],\"End\":true}}}";

    @Test
    void callbacksAndWaitsInsideMapsAndParallelsHoldNoThread() {
        int threadsBefore = Thread.activeCount();
        String machine = createMachine(DEFINITION);
        StringBuilder items = new StringBuilder("[");
        for (int i = 0; i < ITEMS; i++) {
            items.append(i == 0 ? "" : ",").append(i);
        }
        items.append(']');
        List<String> executions = new ArrayList<>();
        for (int run = 0; run < EXECUTIONS; run++) {
            executions.add(start(machine, "{\"run\":" + run + ",\"items\":" + items + "}"));
        }
        int waiting = EXECUTIONS * ITEMS * 2; // a callback and a 4 s (scaled) Wait per item and execution
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (TOKENS.size() < EXECUTIONS * ITEMS && System.nanoTime() < deadline) {
            sleep(10);
        }
        assertThat(TOKENS).hasSize(EXECUTIONS * ITEMS);

        long inInterpreter = threadsInInterpreter();
        for (int i = 0; i < 200 && inInterpreter > 0; i++) { // the last children may still be on their way to park
            sleep(10);
            inInterpreter = threadsInInterpreter();
        }
        int threadsGrown = Thread.activeCount() - threadsBefore;
        System.out.printf("%d children waiting (callbacks and Waits in Map iterations inside Parallel branches): "
                + "%d threads running states, live threads +%d%n", waiting, inInterpreter, threadsGrown);
        assertThat(executions).allSatisfy(e -> assertThat(sfn.describeExecution(b -> b.executionArn(e)).status())
                .isEqualTo(ExecutionStatus.RUNNING));
        assertThat(inInterpreter).as("threads inside the interpreter while every child waits").isZero();
        assertThat(threadsGrown).as("live threads grown for %d waiting children", waiting).isLessThan(waiting / 4);

        // a stop reaches children that wait without a thread: their tokens are closed
        String stopped = executions.get(0);
        sfn.stopExecution(b -> b.executionArn(stopped));
        assertThat(await(stopped).status()).isEqualTo(ExecutionStatus.ABORTED);
        assertTokensClosed("0/0", "0/39");

        for (int run = 1; run < EXECUTIONS; run++) {
            for (int i = 0; i < ITEMS; i++) {
                String key = run + "/" + i;
                sfn.sendTaskSuccess(b -> b.taskToken(TOKENS.get(key)).output("{\"approved\":\"" + key + "\"}"));
            }
        }
        for (int run = 1; run < EXECUTIONS; run++) {
            DescribeExecutionResponse d = await(executions.get(run));
            assertThat(d.status()).as("%s: %s", d.error(), d.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
            JsonNode out = json(d.output());
            assertThat(out.get(0)).hasSize(ITEMS);
            for (int i = 0; i < ITEMS; i++) {
                assertThat(out.get(0).get(i).get("approved").asText()).isEqualTo(run + "/" + i);
                assertThat(out.get(1).get(i).asText()).isEqualTo("paused");
            }
        }
        List<HistoryEventType> types = eventTypes(executions.get(1));
        assertThat(types.stream().filter(t -> t == HistoryEventType.MAP_ITERATION_SUCCEEDED)).hasSize(2 * ITEMS);
        assertThat(types.stream().filter(t -> t == HistoryEventType.TASK_SUBMITTED)).hasSize(ITEMS);
        assertThat(types.stream().filter(t -> t == HistoryEventType.WAIT_STATE_EXITED)).hasSize(ITEMS);
    }

    @Test
    void aFailedIterationAbortsItsWaitingSiblings() {
        String def = "{\"StartAt\":\"Each\",\"States\":{\"Each\":{\"Type\":\"Map\",\"ItemsPath\":\"$.items\","
                + "\"ItemProcessor\":{\"StartAt\":\"Broken?\",\"States\":{"
                + "\"Broken?\":{\"Type\":\"Choice\",\"Choices\":[{\"Variable\":\"$\",\"StringEquals\":\"broken\","
                + "\"Next\":\"Wait a little\"}],\"Default\":\"Approve\"},"
                + "\"Wait a little\":{\"Type\":\"Wait\",\"Seconds\":200,\"Next\":\"Broken\"},"
                + "\"Broken\":{\"Type\":\"Fail\",\"Error\":\"Rack.Broken\",\"Cause\":\"no power\"},"
                + "\"Approve\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::lambda:invoke.waitForTaskToken\","
                + "\"Parameters\":{\"FunctionName\":\"Inbox\",\"Payload\":{\"token.$\":\"$$.Task.Token\","
                + "\"key.$\":\"States.Format('siblings/{}', $)\"}},\"End\":true}}},\"End\":true}}}";
        String exec = start(createMachine(def), "{\"items\":[\"a\",\"b\",\"broken\",\"c\"]}");
        DescribeExecutionResponse d = await(exec);
        assertThat(d.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(d.error()).isEqualTo("Rack.Broken");
        List<HistoryEventType> types = eventTypes(exec);
        assertThat(types.stream().filter(t -> t == HistoryEventType.MAP_ITERATION_ABORTED)).hasSize(3);
        assertThat(types).containsSubsequence(HistoryEventType.MAP_ITERATION_FAILED,
                HistoryEventType.MAP_STATE_FAILED, HistoryEventType.EXECUTION_FAILED);
        assertTokensClosed("siblings/a", "siblings/b", "siblings/c");
    }

    @Test
    void aFailedBranchAbortsAMapWaitingInTheOtherBranch() {
        String def = "{\"StartAt\":\"Both\",\"States\":{\"Both\":{\"Type\":\"Parallel\",\"Branches\":["
                + "{\"StartAt\":\"Later\",\"States\":{\"Later\":{\"Type\":\"Wait\",\"Seconds\":300,"
                + "\"Next\":\"Broken\"},\"Broken\":{\"Type\":\"Fail\",\"Error\":\"Rack.Broken\"}}},"
                + "{\"StartAt\":\"Each\",\"States\":{\"Each\":{\"Type\":\"Map\",\"ItemProcessor\":{"
                + "\"StartAt\":\"Approve\",\"States\":{\"Approve\":{\"Type\":\"Task\","
                + "\"Resource\":\"arn:aws:states:::lambda:invoke.waitForTaskToken\",\"Parameters\":{"
                + "\"FunctionName\":\"Inbox\",\"Payload\":{\"token.$\":\"$$.Task.Token\","
                + "\"key.$\":\"States.Format('nested/{}', $)\"}},\"End\":true}}},\"End\":true}}}"
                + "],\"End\":true}}}";
        String exec = start(createMachine(def), "[\"a\",\"b\",\"c\"]");
        DescribeExecutionResponse d = await(exec);
        assertThat(d.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(d.error()).isEqualTo("Rack.Broken");
        List<HistoryEventType> types = eventTypes(exec);
        assertThat(types.stream().filter(t -> t == HistoryEventType.MAP_ITERATION_ABORTED)).hasSize(3);
        assertThat(types).containsSubsequence(HistoryEventType.MAP_STATE_ABORTED, HistoryEventType.PARALLEL_STATE_FAILED,
                HistoryEventType.EXECUTION_FAILED);
        assertTokensClosed("nested/a", "nested/b", "nested/c");
    }

    /** The tokens of aborted children are closed: a late callback gets TaskTimedOut. */
    private static void assertTokensClosed(String... keys) {
        for (String key : keys) {
            String token = TOKENS.get(key);
            assertThatThrownBy(() -> sfn.sendTaskSuccess(b -> b.taskToken(token).output("{}")))
                    .as("the token of aborted child %s is closed", key).isInstanceOf(TaskTimedOutException.class);
        }
    }

    /** Threads whose stack is inside the interpreter (running states, or blocked in a state). */
    private static long threadsInInterpreter() {
        return Thread.getAllStackTraces().values().stream().filter(stack -> {
            for (StackTraceElement e : stack) {
                if (e.getClassName().startsWith("com.rackflow.local.stepfunctions.engine.Interpreter")) {
                    return true;
                }
            }
            return false;
        }).count();
    }
}
