package com.rackflow.local.stepfunctions;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.local.stepfunctions.asl.Json;
import java.time.Instant;
import java.util.List;

/**
 * One change of an execution's status, carrying what AWS puts in the {@code detail} of the EventBridge event
 * {@code "Step Functions Execution Status Change"} (source {@code aws.states}). {@link #detail()} builds that detail in
 * AWS's shape: dates are epoch milliseconds, {@code stopDate}/{@code output}/{@code error}/{@code cause} are JSON null
 * when they do not apply, input and output are JSON text.
 */
public record ExecutionStatusChange(String executionArn, String stateMachineArn, String name, String status,
                                    Instant startDate, Instant stopDate, String input, String output, String error,
                                    String cause, int redriveCount, String region, String account, Instant time) {

    public static final String SOURCE = "aws.states";
    public static final String DETAIL_TYPE = "Step Functions Execution Status Change";

    /** The event's {@code resources}: the execution's ARN. */
    public List<String> resources() {
        return List.of(executionArn);
    }

    /** The event's {@code detail} object. */
    public ObjectNode detail() {
        ObjectNode d = Json.object();
        d.put("executionArn", executionArn);
        d.put("stateMachineArn", stateMachineArn);
        d.put("name", name);
        d.put("status", status);
        d.put("startDate", startDate.toEpochMilli());
        if (stopDate == null) {
            d.putNull("stopDate");
        } else {
            d.put("stopDate", stopDate.toEpochMilli());
        }
        d.put("input", input);
        d.putObject("inputDetails").put("included", true);
        if (output == null) {
            d.putNull("output");
            d.putNull("outputDetails");
        } else {
            d.put("output", output);
            d.putObject("outputDetails").put("included", true);
        }
        putOrNull(d, "error", error);
        putOrNull(d, "cause", cause);
        d.put("redriveCount", redriveCount);
        d.putNull("redriveDate");
        // AWS: only FAILED, TIMED_OUT and ABORTED executions can be redriven
        boolean redrivable = "FAILED".equals(status) || "TIMED_OUT".equals(status) || "ABORTED".equals(status);
        d.put("redriveStatus", redrivable ? "REDRIVABLE" : "NOT_REDRIVABLE");
        if (redrivable) {
            d.putNull("redriveStatusReason");
        } else {
            d.put("redriveStatusReason", "RUNNING".equals(status) ? "Execution is RUNNING and cannot be redriven"
                    : "Execution is SUCCEEDED and cannot be redriven");
        }
        return d;
    }

    /** {@link #detail()} as JSON text. */
    public String detailJson() {
        return Json.write(detail());
    }

    private static void putOrNull(ObjectNode d, String field, String value) {
        if (value == null) {
            d.putNull(field);
        } else {
            d.put(field, value);
        }
    }
}
