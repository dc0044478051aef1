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
}
