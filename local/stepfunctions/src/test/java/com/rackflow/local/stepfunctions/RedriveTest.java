package com.rackflow.local.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionNotRedrivableException;
import software.amazon.awssdk.services.sfn.model.ExecutionRedriveStatus;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

/** RedriveExecution: a failed execution runs again from the state it failed in, keeping what came before. */
class RedriveTest extends SfnTestSupport {

    @Test
    void aFailedExecutionIsRedrivenFromTheFailedState() {
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger before = new AtomicInteger();
        FUNCTIONS.put("Before", (arn, payload) -> {
            before.incrementAndGet();
            return "{\"prepared\":true}".getBytes(StandardCharsets.UTF_8);
        });
        FUNCTIONS.put("Flaky", (arn, payload) -> {
            if (calls.incrementAndGet() == 1) {
                throw new LambdaFailure("Rack.Busy", "try later", null);
            }
            return new String(payload, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
        });
        String def = "{\"StartAt\":\"Prepare\",\"States\":{\"Prepare\":{\"Type\":\"Task\",\"Resource\":\""
                + lambdaArn("Before") + "\",\"Next\":\"Place\"},\"Place\":{\"Type\":\"Task\",\"Resource\":\""
                + lambdaArn("Flaky") + "\",\"Parameters\":{\"in.$\":\"$\",\"redrives.$\":\"$$.Execution.RedriveCount\"},"
                + "\"End\":true}}}";
        String exec = start(createMachine(def), "{}");
        DescribeExecutionResponse failed = await(exec);
        assertThat(failed.error()).isEqualTo("Rack.Busy");
        assertThat(failed.redriveStatus()).isEqualTo(ExecutionRedriveStatus.REDRIVABLE);

        sfn.redriveExecution(b -> b.executionArn(exec));
        DescribeExecutionResponse d = await(exec);
        assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(json(d.output())).isEqualTo(json("{\"in\":{\"prepared\":true},\"redrives\":1}"));
        assertThat(d.redriveCount()).isEqualTo(1);
        assertThat(d.redriveDate()).isNotNull();
        assertThat(before.get()).isEqualTo(1); // the state before the failure is not run again
        var types = eventTypes(exec);
        assertThat(types).contains(HistoryEventType.EXECUTION_FAILED, HistoryEventType.EXECUTION_REDRIVEN)
                .endsWith(HistoryEventType.TASK_STATE_ENTERED, HistoryEventType.LAMBDA_FUNCTION_SCHEDULED,
                        HistoryEventType.LAMBDA_FUNCTION_STARTED, HistoryEventType.LAMBDA_FUNCTION_SUCCEEDED,
                        HistoryEventType.TASK_STATE_EXITED, HistoryEventType.EXECUTION_SUCCEEDED);
        assertThat(history(exec).stream().filter(e -> e.type() == HistoryEventType.EXECUTION_REDRIVEN).findFirst()
                .orElseThrow().executionRedrivenEventDetails().redriveCount()).isEqualTo(1);

        assertThatThrownBy(() -> sfn.redriveExecution(b -> b.executionArn(exec)))
                .isInstanceOf(ExecutionNotRedrivableException.class).hasMessageContaining("SUCCEEDED");
    }

    @Test
    void anAbortedExecutionCanBeRedriven() {
        String exec = start(createMachine(single("{\"Type\":\"Wait\",\"Seconds\":8000,\"End\":true}")), "{\"k\":1}");
        sfn.stopExecution(b -> b.executionArn(exec));
        assertThat(await(exec).status()).isEqualTo(ExecutionStatus.ABORTED);
        sfn.redriveExecution(b -> b.executionArn(exec));
        DescribeExecutionResponse d = await(exec);
        assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(json(d.output())).isEqualTo(json("{\"k\":1}"));
    }

    @Test
    void aRedriveRunsOnlyTheFailedIterationsAndBranchesAgain() {
        java.util.List<String> calls = rackingFunction("Rack", "r3");
        String task = "{\"Type\":\"Task\",\"Resource\":\"" + lambdaArn("Rack") + "\",\"Parameters\":{\"item.$\":\"$\"},"
                + "\"End\":true}";
        String def = "{\"StartAt\":\"Both\",\"States\":{\"Both\":{\"Type\":\"Parallel\",\"Branches\":["
                + "{\"StartAt\":\"Cabinet\",\"States\":{\"Cabinet\":{\"Type\":\"Pass\",\"Result\":\"c1\","
                + "\"Next\":\"Rack cabinet\"},\"Rack cabinet\":" + task + "}},"
                + "{\"StartAt\":\"Each\",\"States\":{\"Each\":{\"Type\":\"Map\",\"ItemsPath\":\"$.servers\","
                + "\"ItemProcessor\":{\"StartAt\":\"Power on\",\"States\":{\"Power on\":{\"Type\":\"Wait\","
                + "\"Seconds\":200,\"Next\":\"Rack server\"},\"Rack server\":" + task + "}},"
                + "\"End\":true}}}],\"End\":true}}}";
        String exec = start(createMachine(def), "{\"servers\":[\"r1\",\"r2\",\"r3\",\"r4\"]}");
        assertThat(await(exec).error()).isEqualTo("Rack.Busy");
        assertThat(calls).contains("c1", "r3"); // the cabinet branch finished while the servers waited

        calls.clear();
        sfn.redriveExecution(b -> b.executionArn(exec));
        DescribeExecutionResponse d = await(exec);
        assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(json(d.output())).isEqualTo(json("[{\"racked\":\"c1\"},[{\"racked\":\"r1\"},{\"racked\":\"r2\"},"
                + "{\"racked\":\"r3\"},{\"racked\":\"r4\"}]]"));
        // AWS: "RedriveExecution reschedules and redrives only the iterations and branches that failed or aborted";
        // the failed branch runs again as a whole (its Map's iterations r1, r2 and r4 had succeeded in it)
        assertThat(calls).doesNotContain("c1").contains("r3");
    }

    @Test
    void aRedriveOfAFailedMapRunsOnlyItsFailedIterations() {
        java.util.List<String> calls = rackingFunction("Server", "s2");
        String def = "{\"StartAt\":\"Each\",\"States\":{\"Each\":{\"Type\":\"Map\",\"MaxConcurrency\":1,"
                + "\"ItemProcessor\":{\"StartAt\":\"Rack\",\"States\":{\"Rack\":{\"Type\":\"Task\",\"Resource\":\""
                + lambdaArn("Server") + "\",\"Parameters\":{\"item.$\":\"$\"},\"End\":true}}},\"End\":true}}}";
        String exec = start(createMachine(def), "[\"s1\",\"s2\",\"s3\"]");
        assertThat(await(exec).error()).isEqualTo("Rack.Busy");
        assertThat(calls).containsExactly("s1", "s2"); // MaxConcurrency 1: s3 never started

        calls.clear();
        sfn.redriveExecution(b -> b.executionArn(exec));
        DescribeExecutionResponse d = await(exec);
        assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(json(d.output())).isEqualTo(json("[{\"racked\":\"s1\"},{\"racked\":\"s2\"},{\"racked\":\"s3\"}]"));
        assertThat(calls).as("the succeeded iteration s1 is not run again").containsExactly("s2", "s3");
        var types = eventTypes(exec);
        assertThat(types.stream().filter(t -> t == HistoryEventType.MAP_ITERATION_SUCCEEDED)).hasSize(3);
    }

    /**
     * Registers a function that racks {@code item} (answers {"racked": item}) and fails with Rack.Busy the first time
     * it is called for {@code flakyItem}; returns the items it is called with.
     */
    private static java.util.List<String> rackingFunction(String name, String flakyItem) {
        java.util.List<String> calls = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        AtomicInteger flaky = new AtomicInteger();
        FUNCTIONS.put(name, (arn, payload) -> {
            String item = json(new String(payload, StandardCharsets.UTF_8)).get("item").asText();
            calls.add(item);
            if (item.equals(flakyItem) && flaky.incrementAndGet() == 1) {
                throw new LambdaFailure("Rack.Busy", "try later", null);
            }
            return ("{\"racked\":\"" + item + "\"}").getBytes(StandardCharsets.UTF_8);
        });
        return calls;
    }
}
