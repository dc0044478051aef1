package com.rackflow.core.logging;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.core.config.Config;
import com.rackflow.core.json.Json;

import java.io.PrintStream;
import java.time.Clock;

/**
 * Business metrics in CloudWatch's embedded metric format: one JSON line on stdout per event, which CloudWatch Logs
 * turns into a metric of namespace {@value #NAMESPACE} (no API call, no extra permission, nothing on the request's
 * path). Every metric has the deployment stage as a dimension, plus at most one of the event's own (e.g. the flow
 * type), so alarms and dashboards can name it exactly.
 */
public final class Metrics {
    public static final String NAMESPACE = "RackFlow";
    private static volatile PrintStream out = System.out;
    private static volatile Clock clock = Clock.systemUTC();

    private Metrics() {
    }

    /** One occurrence of {@code name} (unit Count), e.g. {@code CustomersCreated}. */
    public static void count(String name) {
        write(name, null, null);
    }

    /** One occurrence of {@code name} for one value of a dimension, e.g. {@code FlowsStarted}, FlowType=RACKING. */
    public static void count(String name, String dimension, String value) {
        write(name, dimension, value);
    }

    private static void write(String name, String dimension, String value) {
        String stage = Config.optional("STAGE").orElse("dev");
        ObjectNode line = Json.object();
        ObjectNode aws = line.putObject("_aws");
        aws.put("Timestamp", clock.millis());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", NAMESPACE);
        ArrayNode dimensions = directive.putArray("Dimensions").addArray().add("Stage");
        directive.putArray("Metrics").addObject().put("Name", name).put("Unit", "Count");
        line.put("Stage", stage);
        if (dimension != null) {
            dimensions.add(dimension);
            line.put(dimension, value);
        }
        line.put(name, 1);
        line.put("message", "metric " + name);
        out.println(line);
    }

    /** Where the lines go (tests read them back). */
    public static void redirect(PrintStream to) {
        out = to == null ? System.out : to;
    }
}
