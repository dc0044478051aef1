package com.rackflow.local.stack.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rackflow.local.cloudformation.TemplateException;
import com.rackflow.local.dynalite.Dynalite;
import com.rackflow.local.stack.template.EventRuleSpec;
import com.rackflow.local.stack.template.SamApplication;

/** Event patterns and schedule expressions as EventBridge evaluates them, and the rules the template declares. */
class EventRulesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode event(String status, String machine) throws Exception {
        return JSON.readTree("{\"source\":\"aws.states\",\"detail-type\":\"Step Functions Execution Status Change\","
                + "\"resources\":[\"arn:x\"],\"detail\":{\"status\":\"" + status + "\",\"stateMachineArn\":\"" + machine
                + "\",\"redriveCount\":0,\"error\":null}}");
    }

    @Test
    void patternsMatchAsEventBridgeMatchesThem() throws Exception {
        EventPattern p = EventPattern.of(Map.of("source", List.of("aws.states"), "detail", Map.of(
                "status", List.of("FAILED", "TIMED_OUT", "ABORTED"), "stateMachineArn", List.of("arn:m1", "arn:m2"))), "test");
        assertThat(p.matches(event("ABORTED", "arn:m2"))).isTrue();
        assertThat(p.matches(event("SUCCEEDED", "arn:m2"))).isFalse();
        assertThat(p.matches(event("FAILED", "arn:other"))).isFalse();
        assertThat(p.matches(JSON.readTree("{\"source\":\"aws.states\"}"))).as("a missing field").isFalse();

        assertThat(EventPattern.of(Map.of("resources", List.of("arn:x")), "t").matches(event("FAILED", "m"))).as("array").isTrue();
        assertThat(EventPattern.of(Map.of("detail", Map.of("stateMachineArn", List.of(Map.of("prefix", "arn:rack")))), "t")
                .matches(event("FAILED", "arn:racking"))).isTrue();
        assertThat(EventPattern.of(Map.of("detail", Map.of("status", List.of(Map.of("anything-but", List.of("RUNNING", "SUCCEEDED"))))), "t")
                .matches(event("FAILED", "m"))).isTrue();
        assertThat(EventPattern.of(Map.of("detail", Map.of("status", List.of(Map.of("anything-but", "FAILED")))), "t")
                .matches(event("FAILED", "m"))).isFalse();
        assertThat(EventPattern.of(Map.of("detail", Map.of("cause", List.of(Map.of("exists", false)))), "t")
                .matches(event("FAILED", "m"))).isTrue();
        assertThat(EventPattern.of(Map.of("detail", Map.of("error", java.util.Arrays.asList((Object) null))), "t").matches(event("FAILED", "m"))).isTrue();
        assertThat(EventPattern.of(Map.of("detail", Map.of("redriveCount", List.of(Map.of("numeric", List.of(">=", 0, "<", 1))))), "t")
                .matches(event("FAILED", "m"))).isTrue();
        assertThatThrownBy(() -> EventPattern.of(Map.of("detail", Map.of("ip", List.of(Map.of("cidr", "10.0.0.0/8")))), "t"))
                .isInstanceOf(TemplateException.class).hasMessageContaining("not supported");
    }

    @Test
    void schedulesFireAtTheirRateOrCronTimesInUtc() {
        Instant start = Instant.parse("2026-12-02T10:00:00Z");
        assertThat(ScheduleExpression.parse("rate(5 minutes)").next(start, start)).isEqualTo(Instant.parse("2026-12-02T10:05:00Z"));
        assertThat(ScheduleExpression.parse("rate(1 hour)").next(start, Instant.parse("2026-12-02T12:30:00Z")))
                .isEqualTo(Instant.parse("2026-12-02T13:00:00Z"));
        assertThat(ScheduleExpression.parse("cron(0 17 * * ? *)").next(start, start)).isEqualTo(Instant.parse("2026-12-02T17:00:00Z"));
        assertThat(ScheduleExpression.parse("cron(0/15 * * * ? *)").next(start, Instant.parse("2026-12-02T10:01:00Z")))
                .isEqualTo(Instant.parse("2026-12-02T10:15:00Z"));
        // 2026-12-02 is a Wednesday; MON-FRI at 08:30
        assertThat(ScheduleExpression.parse("cron(30 8 ? * MON-FRI *)").next(start, Instant.parse("2026-12-04T09:00:00Z")))
                .isEqualTo(Instant.parse("2026-12-07T08:30:00Z"));
        assertThatThrownBy(() -> ScheduleExpression.parse("cron(0 0 L * ? *)")).isInstanceOf(TemplateException.class);
        assertThatThrownBy(() -> ScheduleExpression.parse("every day")).isInstanceOf(TemplateException.class);
    }

    @Test
    void theTemplateRoutesAbnormalFlowExecutionEndsToTheReconciler() {
        SamApplication app = SamApplication.load(Dynalite.repositoryRoot().resolve("template.yaml"), Map.of());
        EventRuleSpec rule = app.eventRules().stream().filter(r -> r.functionLogicalId().equals("FlowExecutionEndsFunction"))
                .findFirst().orElseThrow();
        EventPattern p = EventPattern.of(rule.pattern(), "rule");
        String racking = app.evaluator().stateMachineArn("RackingStateMachine");
        for (String machine : List.of(racking, app.evaluator().stateMachineArn("TerminationStateMachine"),
                app.evaluator().stateMachineArn("StaffDepartureStateMachine"))) {
            for (String status : List.of("FAILED", "TIMED_OUT", "ABORTED")) {
                assertThat(p.matches(JSON.valueToTree(Map.of("source", "aws.states", "detail-type",
                        "Step Functions Execution Status Change", "detail", Map.of("status", status, "stateMachineArn", machine)))))
                        .as(machine + " " + status).isTrue();
            }
        }
        assertThat(p.matches(JSON.valueToTree(Map.of("source", "aws.states", "detail-type", "Step Functions Execution Status Change",
                "detail", Map.of("status", "SUCCEEDED", "stateMachineArn", racking))))).isFalse();
        assertThat(app.eventRules().stream().filter(EventRuleSpec::isSchedule).map(r -> ScheduleExpression.parse(r.scheduleExpression())))
                .isNotEmpty();
    }
}
