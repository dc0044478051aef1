package com.rackflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.rackflow.core.json.Json;
import com.rackflow.core.logging.Metrics;
import com.rackflow.testing.LocalTable;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operations template.yaml declares: alarms (every function's errors, API 5XX rate, state machine failures, the
 * daily report job, table throttles) notifying the alarm topic, JSON access logs, X-Ray, and retention of the data.
 */
class OperationsTemplateTest {
    final JsonNode template = LocalTable.template();
    final JsonNode resources = template.path("Resources");

    Map<String, JsonNode> ofType(String type) {
        Map<String, JsonNode> out = new TreeMap<>();
        resources.fields().forEachRemaining(e -> {
            if (e.getValue().path("Type").asText().equals(type)) {
                out.put(e.getKey(), e.getValue());
            }
        });
        return out;
    }

    /** Every metric an alarm watches: its own, or the MetricStat of each of its math inputs. */
    static List<JsonNode> watched(JsonNode alarm) {
        JsonNode p = alarm.path("Properties");
        List<JsonNode> out = new ArrayList<>();
        if (p.has("MetricName")) {
            out.add(p);
        }
        p.path("Metrics").forEach(m -> {
            if (m.has("MetricStat")) {
                out.add(m.path("MetricStat").path("Metric"));
            }
        });
        return out;
    }

    static String dimension(JsonNode metric, String name) {
        for (JsonNode d : metric.path("Dimensions")) {
            if (d.path("Name").asText().equals(name)) {
                JsonNode v = d.path("Value");
                return v.has("Ref") ? "Ref:" + v.path("Ref").asText() : v.isTextual() ? v.asText() : v.toString();
            }
        }
        return null;
    }

    List<JsonNode> alarmsWatching(Predicate<JsonNode> metric) {
        return ofType("AWS::CloudWatch::Alarm").values().stream().filter(a -> watched(a).stream().anyMatch(metric)).toList();
    }

    static boolean is(JsonNode metric, String namespace, String name) {
        return metric.path("Namespace").asText().equals(namespace) && metric.path("MetricName").asText().equals(name);
    }

    @Test
    void everyAlarmNotifiesTheAlarmTopicWhichMailsTheOperator() {
        Map<String, JsonNode> alarms = ofType("AWS::CloudWatch::Alarm");
        assertThat(alarms).isNotEmpty();
        alarms.forEach((id, a) -> assertThat(a.path("Properties").path("AlarmActions").path(0).path("Ref").asText())
                .as(id).isEqualTo("AlarmTopic"));
        assertThat(resources.path("AlarmTopic").path("Type").asText()).isEqualTo("AWS::SNS::Topic");
        JsonNode subscription = resources.path("AlarmEmailSubscription");
        assertThat(subscription.path("Properties").path("Protocol").asText()).isEqualTo("email");
        assertThat(subscription.path("Properties").path("Endpoint").path("Ref").asText()).isEqualTo("AlarmEmail");
        assertThat(subscription.path("Condition").asText()).isEqualTo("HasAlarmEmail");
        assertThat(template.path("Parameters").has("AlarmEmail")).isTrue();
    }

    @Test
    void everyFunctionIsCoveredByAnErrorAlarm() {
        Set<String> functions = ofType("AWS::Serverless::Function").keySet();
        Set<String> covered = new TreeSet<>();
        for (JsonNode a : alarmsWatching(m -> is(m, "AWS/Lambda", "Errors"))) {
            watched(a).forEach(m -> {
                String fn = dimension(m, "FunctionName");
                if (fn != null && fn.startsWith("Ref:")) {
                    covered.add(fn.substring(4));
                }
            });
            assertThat(a.path("Properties").path("Threshold").asDouble()).isEqualTo(1.0);
            assertThat(a.path("Properties").path("ComparisonOperator").asText()).isEqualTo("GreaterThanOrEqualToThreshold");
        }
        assertThat(covered).as("functions with an Errors alarm").isEqualTo(functions);
    }

    @Test
    void apiServerErrorsStateMachineFailuresAndTableThrottlesAlarm() {
        String apiName = resources.path("RackFlowApi").path("Properties").path("Name").path("Fn::Sub").asText();
        List<JsonNode> api5xx = alarmsWatching(m -> is(m, "AWS/ApiGateway", "5XXError"));
        assertThat(api5xx).hasSize(1);
        JsonNode apiAlarm = api5xx.get(0).path("Properties");
        assertThat(apiAlarm.path("Statistic").asText()).as("a rate").isEqualTo("Average");
        assertThat(apiAlarm.path("Dimensions").path(0).path("Value").path("Fn::Sub").asText()).isEqualTo(apiName);

        for (String machine : ofType("AWS::Serverless::StateMachine").keySet()) {
            for (String metric : List.of("ExecutionsFailed", "ExecutionsTimedOut")) {
                assertThat(alarmsWatching(m -> is(m, "AWS/States", metric) && ("Ref:" + machine).equals(dimension(m, "StateMachineArn"))))
                        .as(machine + " " + metric).isNotEmpty();
            }
        }

        Set<String> indexes = new TreeSet<>();
        resources.path("RackFlowTable").path("Properties").path("GlobalSecondaryIndexes").forEach(g -> indexes.add(g.path("IndexName").asText()));
        List<JsonNode> throttles = alarmsWatching(m -> m.path("Namespace").asText().equals("AWS/DynamoDB"));
        assertThat(throttles).hasSize(1);
        Set<String> seen = new TreeSet<>();
        watched(throttles.get(0)).forEach(m -> {
            assertThat(dimension(m, "TableName")).isEqualTo("Ref:RackFlowTable");
            String index = dimension(m, "GlobalSecondaryIndexName");
            seen.add(m.path("MetricName").asText() + "@" + (index == null ? "table" : index));
        });
        Set<String> expected = new TreeSet<>();
        for (String on : concat("table", indexes)) {
            expected.add("ReadThrottleEvents@" + on);
            expected.add("WriteThrottleEvents@" + on);
        }
        assertThat(seen).isEqualTo(expected);
    }

    static List<String> concat(String first, Set<String> rest) {
        List<String> out = new ArrayList<>(List.of(first));
        out.addAll(rest);
        return out;
    }

    @Test
    void theReportJobAlarmsWhenNoScheduledRunFinishedFor26HoursOnTheMetricTheJobWrites() throws Exception {
        List<JsonNode> alarms = alarmsWatching(m -> is(m, Metrics.NAMESPACE, "ReportJobsFinished"));
        assertThat(alarms).hasSize(1);
        JsonNode a = alarms.get(0).path("Properties");
        assertThat(a.path("Period").asInt() * a.path("EvaluationPeriods").asInt()).isEqualTo(26 * 3600);
        assertThat(a.path("DatapointsToAlarm").asInt()).isEqualTo(a.path("EvaluationPeriods").asInt());
        assertThat(a.path("ComparisonOperator").asText()).isEqualTo("LessThanThreshold");
        assertThat(a.path("TreatMissingData").asText()).as("no data is no run").isEqualTo("breaching");

        // the embedded-metric line the job writes has exactly the alarm's dimensions
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        Metrics.redirect(new PrintStream(lines, true, StandardCharsets.UTF_8));
        try {
            Metrics.count("ReportJobsFinished", "Trigger", "SCHEDULE");
        } finally {
            Metrics.redirect(null);
        }
        JsonNode emf = Json.read(lines.toString(StandardCharsets.UTF_8).trim());
        JsonNode directive = emf.path("_aws").path("CloudWatchMetrics").path(0);
        assertThat(directive.path("Namespace").asText()).isEqualTo(a.path("Namespace").asText());
        Set<String> dims = new TreeSet<>();
        directive.path("Dimensions").path(0).forEach(d -> dims.add(d.asText()));
        Set<String> alarmDims = new TreeSet<>();
        a.path("Dimensions").forEach(d -> alarmDims.add(d.path("Name").asText()));
        assertThat(dims).isEqualTo(alarmDims);
        assertThat(emf.path("Trigger").asText()).isEqualTo("SCHEDULE");
        assertThat(emf.path("ReportJobsFinished").asInt()).isEqualTo(1);
        assertThat(emf.path("_aws").path("Timestamp").isIntegralNumber()).isTrue();

        JsonNode job = resources.path("ReportJobFunction").path("Properties");
        assertThat(job.path("EventInvokeConfig").path("MaximumRetryAttempts").asInt(-1)).isZero();
        JsonNode api = resources.path("ReportsFunction").path("Properties");
        assertThat(api.path("Environment").path("Variables").path("REPORT_JOB_FUNCTION").path("Ref").asText())
                .isEqualTo("ReportJobFunction.Alias");
        assertThat(api.path("Policies").findValues("LambdaInvokePolicy")).as("IAM: the API function may invoke the job")
                .anyMatch(p -> p.path("FunctionName").path("Ref").asText().equals("ReportJobFunction"));
    }

    @Test
    void theApiWritesJsonAccessLogsWithoutTokensOrBodiesAndEverythingIsTraced() throws Exception {
        JsonNode api = resources.path("RackFlowApi").path("Properties");
        JsonNode access = api.path("AccessLogSetting");
        JsonNode destination = access.path("DestinationArn").path("Fn::GetAtt");
        String group = destination.isArray() ? destination.path(0).asText() : destination.asText().split("\\.")[0];
        assertThat(resources.path(group).path("Type").asText()).isEqualTo("AWS::Logs::LogGroup");
        assertThat(resources.path(group).path("Properties").path("RetentionInDays").asInt()).isPositive();
        JsonNode format = Json.read(access.path("Format").asText());
        assertThat(format.path("requestId").asText()).isEqualTo("$context.requestId");
        assertThat(format.path("status").asText()).isEqualTo("$context.status");
        assertThat(format.path("userId").asText()).isEqualTo("$context.authorizer.userId");
        assertThat(access.path("Format").asText()).doesNotContain("$input", "authorizationToken", "$context.identity.apiKey");
        assertThat(resources.path("ApiGatewayAccount").path("Type").asText()).isEqualTo("AWS::ApiGateway::Account");

        assertThat(api.path("TracingEnabled").asBoolean()).isTrue();
        assertThat(template.path("Globals").path("Function").path("Tracing").asText()).isEqualTo("Active");
        ofType("AWS::Serverless::StateMachine").forEach((id, m) ->
                assertThat(m.path("Properties").path("Tracing").path("Enabled").asBoolean()).as(id).isTrue());
    }

    @Test
    void theTableAndTheUserPoolOutliveTheStack() {
        JsonNode table = resources.path("RackFlowTable");
        assertThat(table.path("DeletionPolicy").asText()).isEqualTo("Retain");
        assertThat(table.path("UpdateReplacePolicy").asText()).isEqualTo("Retain");
        assertThat(table.path("Properties").path("DeletionProtectionEnabled").asBoolean()).isTrue();
        assertThat(table.path("Properties").path("PointInTimeRecoverySpecification").path("PointInTimeRecoveryEnabled").asBoolean()).isTrue();
        JsonNode pool = resources.path("StaffUserPool");
        assertThat(pool.path("DeletionPolicy").asText()).isEqualTo("Retain");
        assertThat(pool.path("UpdateReplacePolicy").asText()).isEqualTo("Retain");
        assertThat(pool.path("Properties").path("DeletionProtection").asText()).isEqualTo("ACTIVE");
    }
}
