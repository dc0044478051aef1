package com.rackflow.local.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

/** states:startExecution, plain, .sync and .sync:2 (nested flows). */
class NestedExecutionTest extends SfnTestSupport {

    private static String parent(String resource, String child, String extra) {
        return single("{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::states:" + resource + "\",\"Parameters\":"
                + "{\"StateMachineArn\":\"" + child + "\",\"Input\":{\"rack.$\":\"$.rack\"}" + extra + "},"
                + "\"End\":true}");
    }

    @Test
    void syncWaitsForTheChildAndReturnsItsDescriptionWithJsonText() {
        String child = createMachine(single("{\"Type\":\"Pass\",\"Parameters\":{\"placed.$\":\"$.rack\"},"
                + "\"End\":true}"));
        String exec = start(createMachine(parent("startExecution.sync", child, ",\"Name\":\"child-run-1\"")),
                "{\"rack\":\"R12\"}");
        JsonNode out = json(await(exec).output());
        assertThat(out.get("Status").asText()).isEqualTo("SUCCEEDED");
        assertThat(out.get("Output").asText()).isEqualTo("{\"placed\":\"R12\"}");
        assertThat(out.get("Input").asText()).isEqualTo("{\"rack\":\"R12\"}");
        assertThat(out.get("StateMachineArn").asText()).isEqualTo(child);
        assertThat(out.get("ExecutionArn").asText()).endsWith(":child-run-1");
        assertThat(out.get("StopDate").isNumber()).isTrue();
        assertThat(eventTypes(exec)).containsExactly(HistoryEventType.EXECUTION_STARTED,
                HistoryEventType.TASK_STATE_ENTERED, HistoryEventType.TASK_SCHEDULED, HistoryEventType.TASK_STARTED,
                HistoryEventType.TASK_SUBMITTED, HistoryEventType.TASK_SUCCEEDED, HistoryEventType.TASK_STATE_EXITED,
                HistoryEventType.EXECUTION_SUCCEEDED);
    }

    @Test
    void sync2ReturnsOutputAsJson() {
        String child = createMachine(single("{\"Type\":\"Wait\",\"Seconds\":2,\"End\":true}"));
        JsonNode out = output(parent("startExecution.sync:2", child, ""), "{\"rack\":\"R1\"}");
        assertThat(out.get("Output")).isEqualTo(json("{\"rack\":\"R1\"}"));
        assertThat(out.get("Input")).isEqualTo(json("{\"rack\":\"R1\"}"));
    }

    @Test
    void aFailedChildFailsTheTaskWithTaskFailedAndItsDescriptionAsCause() {
        String child = createMachine(single("{\"Type\":\"Fail\",\"Error\":\"Rack.Full\",\"Cause\":\"no U\"}"));
        DescribeExecutionResponse d = run(parent("startExecution.sync", child, ""), "{\"rack\":\"R1\"}");
        assertThat(d.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(d.error()).isEqualTo("States.TaskFailed");
        JsonNode cause = json(d.cause());
        assertThat(cause.get("Error").asText()).isEqualTo("Rack.Full");
        assertThat(cause.get("Cause").asText()).isEqualTo("no U");
        assertThat(cause.get("Status").asText()).isEqualTo("FAILED");
    }

    @Test
    void withoutSyncItReturnsAtOnceWithTheExecutionArn() {
        String child = createMachine(single("{\"Type\":\"Wait\",\"Seconds\":100000,\"End\":true}"));
        JsonNode out = output(parent("startExecution", child, ""), "{\"rack\":\"R1\"}");
        String childExec = out.get("ExecutionArn").asText();
        assertThat(out.get("StartDate").isNumber()).isTrue();
        assertThat(sfn.describeExecution(b -> b.executionArn(childExec)).status()).isEqualTo(ExecutionStatus.RUNNING);
        sfn.stopExecution(b -> b.executionArn(childExec));
    }

    @Test
    void stoppingTheParentStopsASyncChild() {
        String child = createMachine(single("{\"Type\":\"Wait\",\"Seconds\":100000,\"End\":true}"));
        String exec = start(createMachine(parent("startExecution.sync", child, ",\"Name\":\"stopped-child\"")),
                "{\"rack\":\"R1\"}");
        String childExec = child.replace(":stateMachine:", ":execution:") + ":stopped-child";
        for (int i = 0; i < 2000 && sfn.listExecutions(b -> b.stateMachineArn(child)).executions().isEmpty(); i++) {
            sleep(5);
        }
        sfn.stopExecution(b -> b.executionArn(exec));
        assertThat(await(exec).status()).isEqualTo(ExecutionStatus.ABORTED);
        assertThat(await(childExec).status()).isEqualTo(ExecutionStatus.ABORTED);
    }

    @Test
    void anUnknownChildMachineFailsWithTheServiceError() {
        DescribeExecutionResponse d = run(parent("startExecution.sync", "arn:aws:states:us-east-1:123456789012:"
                + "stateMachine:nope", ""), "{\"rack\":\"R1\"}");
        assertThat(d.error()).isEqualTo("StepFunctions.StateMachineDoesNotExistException");
    }
}
