package com.rackflow.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Executions that end without their flow's own failure path — stopped from the console, timed out after the racking
 * state machine's 90 days — reach the flow through the template's EventBridge rule (Step Functions "Execution Status
 * Change", FAILED / TIMED_OUT / ABORTED) and its target function, which the local stack delivers as EventBridge does:
 * the flow ends FAILED, its reservations are released, its open work items cancelled, the end recorded once.
 */
@ExtendWith(TestStacks.class)
// the Step Functions clock so fast that the racking flow's 90-day TimeoutSeconds passes in about 39 s: time enough for the
// stopped flow to pass two stages first even on a loaded machine (at 16 s it once timed out before its first stage
// opened, with functions' cold starts of 5-8 s at a load of 22)
@TestStacks.OwnStack(timeScale = 0.000005)
class FlowExecutionEndsEndToEndTest {

    private static LocalStack stack;
    private static FlowApi flows;

    @BeforeAll
    static void start(LocalStack own) throws Exception {
        stack = own;
        // stage deadlines longer than the flow's timeout (the scaled clock makes a day 0.43 s): nothing is escalated
        // meanwhile. The flow's function reads them from its environment, as in AWS (UpdateFunctionConfiguration).
        stack.lambda().updateEnvironment("RackingFunction",
                Map.of("STAGE_DEADLINES", "OPS_REVIEW=99999999,RESOURCE_ALLOCATION=99999999,PHYSICAL_RACKING=99999999,ACCEPTANCE=99999999"));
        flows = new FlowApi(new ApiClient(stack), stack.stateMachinesEndpoint().orElseThrow()).withInventory();
    }

    @Test
    void stoppedAndTimedOutExecutionsEndTheirFlowsAndReleaseWhatTheyHeld() throws Exception {
        long started = System.nanoTime();
        FlowApi.Deal timedOut = flows.activeContract();
        String waiting = flows.startRacking(timedOut);
        FlowApi.Deal stopped = flows.activeContract();
        String flowId = flows.startRacking(stopped);
        assertThat(flows.complete("sun.wei", flowId, "OPS_REVIEW", Map.of()).status()).isEqualTo(200);
        assertThat(flows.complete("ma.jun", flowId, "RESOURCE_ALLOCATION", flows.allocation()).status()).isEqualTo(200);
        JsonNode reserved = flows.await("/racking-flows/" + flowId, "li.lei", f -> f.path("currentStage").asText().equals("PHYSICAL_RACKING"));
        assertThat(reserved.path("allocations").toString()).contains("RESERVED");

        flows.sfn("StopExecution", Map.of("executionArn", reserved.path("executionArn").asText(), "error", "Operator",
                "cause", "stopped from the console"));
        JsonNode ended = flows.await("/racking-flows/" + flowId, "li.lei", f -> !f.path("status").asText().equals("RUNNING"));
        assertThat(ended.path("status").asText()).isEqualTo("FAILED");
        assertThat(ended.path("rejection").path("reason").asText()).contains("ExecutionAborted", "stopped from the console");
        assertThat(ended.path("allocations").toString()).contains("RELEASED").doesNotContain("RESERVED");
        assertThat(ended.path("stages").toString()).contains("CANCELLED").doesNotContain("\"OPEN\"");
        assertThat(ended.path("history").toString()).contains("\"FAILED\"");
        JsonNode elevation = flows.api.call("GET", "/racks/" + flows.rackId() + "/elevation", "sun.wei", null).body();
        assertThat(elevation.path("units").toString()).doesNotContain("RESERVED");
        // the contract is free for a new racking flow
        assertThat(flows.startRacking(stopped)).endsWith("-2");

        JsonNode out = flows.await("/racking-flows/" + waiting, "li.lei", f -> !f.path("status").asText().equals("RUNNING"));
        System.out.println("racking flow timed out after " + (System.nanoTime() - started) / 1_000_000 + " ms (90 days scaled)");
        assertThat(out.path("status").asText()).isEqualTo("FAILED");
        assertThat(out.path("rejection").path("reason").asText()).contains("States.Timeout", "timed out");
        assertThat(out.path("stages").path(0).path("status").asText()).isEqualTo("CANCELLED");
        assertThat(flows.sfn("DescribeExecution", Map.of("executionArn", out.path("executionArn").asText())).path("status").asText())
                .isEqualTo("TIMED_OUT");
    }
}
