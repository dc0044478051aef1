package com.rackflow.local.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.rackflow.local.stepfunctions.asl.Json;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.StateMachineType;

/** The host's listener hears each status change with the detail of EventBridge's execution status change event. */
class ExecutionStatusEventsTest extends SfnTestSupport {

    static final List<ExecutionStatusChange> CHANGES = new CopyOnWriteArrayList<>();
    static AutoCloseable subscription;

    @BeforeAll
    static void listen() {
        subscription = sfnLocal.onExecutionStatusChange(CHANGES::add);
    }

    @AfterAll
    static void unsubscribe() throws Exception {
        subscription.close();
    }

    /** The details delivered for one execution, once it has reached {@code count} changes. */
    private static List<JsonNode> details(String executionArn, int count) {
        for (int i = 0; i < 2000; i++) {
            List<JsonNode> mine = CHANGES.stream().filter(c -> c.executionArn().equals(executionArn))
                    .map(c -> Json.parse(c.detailJson())).toList();
            if (mine.size() >= count) {
                return mine;
            }
            sleep(5);
        }
        throw new AssertionError("fewer than " + count + " status changes for " + executionArn);
    }

    @Test
    void aSucceededExecutionReportsRunningThenSucceededWithItsOutput() {
        String machine = createMachine(single("{\"Type\":\"Pass\",\"Result\":{\"ok\":true},\"End\":true}"));
        String exec = sfn.startExecution(b -> b.stateMachineArn(machine).name("ok-1").input("{\"a\":1}"))
                .executionArn();
        DescribeExecutionResponse d = await(exec);
        List<JsonNode> details = details(exec, 2);
        JsonNode running = details.get(0);
        assertThat(running.get("status").asText()).isEqualTo("RUNNING");
        assertThat(running.get("executionArn").asText()).isEqualTo(exec);
        assertThat(running.get("stateMachineArn").asText()).isEqualTo(machine);
        assertThat(running.get("name").asText()).isEqualTo("ok-1");
        assertThat(running.get("startDate").asLong()).isEqualTo(d.startDate().toEpochMilli());
        assertThat(running.get("stopDate").isNull()).isTrue();
        assertThat(running.get("input").asText()).isEqualTo("{\"a\":1}");
        assertThat(running.get("inputDetails")).isEqualTo(Json.parse("{\"included\":true}"));
        assertThat(running.get("output").isNull()).isTrue();
        assertThat(running.get("outputDetails").isNull()).isTrue();
        assertThat(running.get("error").isNull()).isTrue();
        assertThat(running.get("cause").isNull()).isTrue();
        JsonNode done = details.get(1);
        assertThat(done.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(done.get("stopDate").asLong()).isEqualTo(d.stopDate().toEpochMilli());
        assertThat(done.get("output").asText()).isEqualTo("{\"ok\":true}");
        assertThat(done.get("outputDetails")).isEqualTo(Json.parse("{\"included\":true}"));
        assertThat(done.get("redriveStatus").asText()).isEqualTo("NOT_REDRIVABLE");
        ExecutionStatusChange change = CHANGES.stream().filter(c -> c.executionArn().equals(exec)).toList().get(1);
        assertThat(change.resources()).containsExactly(exec);
        assertThat(change.region()).isEqualTo("us-east-1");
        assertThat(change.account()).isEqualTo("123456789012");
    }

    @Test
    void aFailedExecutionReportsItsErrorAndCause() {
        String exec = start(createMachine(single("{\"Type\":\"Fail\",\"Error\":\"Rack.Full\",\"Cause\":\"no U left\"}")),
                "{}");
        await(exec);
        JsonNode failed = details(exec, 2).get(1);
        assertThat(failed.get("status").asText()).isEqualTo("FAILED");
        assertThat(failed.get("error").asText()).isEqualTo("Rack.Full");
        assertThat(failed.get("cause").asText()).isEqualTo("no U left");
        assertThat(failed.get("output").isNull()).isTrue();
        assertThat(failed.get("stopDate").isNumber()).isTrue();
        assertThat(failed.get("redriveStatus").asText()).isEqualTo("REDRIVABLE");
    }

    @Test
    void stopExecutionReportsAborted() {
        String exec = start(createMachine(single("{\"Type\":\"Wait\",\"Seconds\":100000,\"End\":true}")), "{}");
        assertThat(details(exec, 1).get(0).get("status").asText()).isEqualTo("RUNNING");
        sfn.stopExecution(b -> b.executionArn(exec).error("Ops.Cancelled").cause("operator"));
        JsonNode aborted = details(exec, 2).get(1);
        assertThat(aborted.get("status").asText()).isEqualTo("ABORTED");
        assertThat(aborted.get("error").asText()).isEqualTo("Ops.Cancelled");
        assertThat(aborted.get("cause").asText()).isEqualTo("operator");
    }

    @Test
    void theStateMachineTimeoutReportsTimedOut() {
        String exec = start(createMachine("{\"TimeoutSeconds\":5,\"StartAt\":\"S\",\"States\":{\"S\":"
                + "{\"Type\":\"Wait\",\"Seconds\":100000,\"End\":true}}}"), "{}");
        List<JsonNode> details = details(exec, 2);
        assertThat(details.get(1).get("status").asText()).isEqualTo("TIMED_OUT");
        assertThat(details.get(1).get("stopDate").isNumber()).isTrue();
        assertThat(details).hasSize(2);
    }

    @Test
    void expressExecutionsSendNone() {
        String machine = createMachine(single("{\"Type\":\"Pass\",\"End\":true}"), StateMachineType.EXPRESS);
        String exec = sfn.startSyncExecution(b -> b.stateMachineArn(machine).input("{}")).executionArn();
        String marker = start(createMachine(single("{\"Type\":\"Pass\",\"End\":true}")), "{}");
        details(marker, 2); // delivered in order: the express one would have come before
        assertThat(CHANGES).noneMatch(c -> c.executionArn().equals(exec));
    }
}
