package com.rackflow.flows;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.core.config.Config;
import com.rackflow.core.json.Json;
import com.rackflow.core.logging.Log;
import com.rackflow.core.persistence.Dynamo;
import com.rackflow.core.persistence.Table;
import com.rackflow.core.stepfunctions.StepFunctions;
import com.rackflow.racking.RackingTasksHandler;
import com.rackflow.staffdepartures.StaffDepartureTasksHandler;
import com.rackflow.terminations.TerminationTasksHandler;
import com.rackflow.workitems.FlowSteps;
import com.rackflow.workitems.TaskCallbacks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The target of the EventBridge rule on Step Functions "Execution Status Change" (FAILED, TIMED_OUT, ABORTED) of
 * RackFlow's state machines. An execution can end without its flow's Compensate step — its TimeoutSeconds, a
 * StopExecution from the console, Compensate itself failing for good — and would leave the flow RUNNING, the contract
 * blocked by its open-flow guard and its reservations held. Here the flow ends as its own failure path would end it
 * ({@link FlowSteps#endEarly}): what it held is released, its open work items are cancelled, the end is in its
 * history. Idempotent: a flow already ended (e.g. compensated before its Fail state) is left as it is, so a redelivered
 * event changes nothing; an event of an earlier run of the flow, or of an attempt of its execution that a redrive
 * (RedriveExecution; the event's {@code redriveCount}) followed, is left to the flow to recognise.
 */
public class ExecutionEndsHandler implements RequestStreamHandler {
    static final Set<String> ABNORMAL = Set.of("FAILED", "TIMED_OUT", "ABORTED");

    /** One kind of flow: its steps, and the field of the execution input that names the flow. */
    public record FlowKind(FlowSteps flow, String idField) {
    }

    private final Map<String, FlowKind> byStateMachine;

    public ExecutionEndsHandler() {
        this(Dynamo.table(), TaskCallbacks.of(StepFunctions.client()));
    }

    public ExecutionEndsHandler(Table table, TaskCallbacks callbacks) {
        this(kinds(table, callbacks));
    }

    public ExecutionEndsHandler(Map<String, FlowKind> byStateMachine) {
        this.byStateMachine = byStateMachine;
    }

    private static Map<String, FlowKind> kinds(Table table, TaskCallbacks callbacks) {
        Map<String, FlowKind> m = new LinkedHashMap<>();
        Config.optional("RACKING_STATE_MACHINE_ARN").ifPresent(arn -> m.put(arn,
                new FlowKind(RackingTasksHandler.flow(table, callbacks), "flowId")));
        Config.optional("TERMINATION_STATE_MACHINE_ARN").ifPresent(arn -> m.put(arn,
                new FlowKind(TerminationTasksHandler.flow(table, callbacks), "flowId")));
        Config.optional("STAFF_DEPARTURE_STATE_MACHINE_ARN").ifPresent(arn -> m.put(arn,
                new FlowKind(StaffDepartureTasksHandler.flow(table, callbacks), "departureId")));
        // an import's end reads no file: its steps without the files bucket
        Config.optional("CUSTOMER_IMPORT_STATE_MACHINE_ARN").ifPresent(arn -> m.put(arn,
                new FlowKind(com.rackflow.customerimports.CustomerImportTasksHandler.flow(table, null), "importId")));
        return m;
    }

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode result = handle(Json.MAPPER.readTree(input));
        output.write(Json.write(result).getBytes(StandardCharsets.UTF_8));
    }

    public JsonNode handle(JsonNode event) {
        JsonNode detail = event.path("detail");
        String arn = detail.path("executionArn").asText("");
        String status = detail.path("status").asText("");
        Log.begin(event.path("id").asText(""), "system:execution-ends", "execution " + status);
        try {
            ObjectNode out = Json.object().put("executionArn", arn).put("executionStatus", status);
            FlowKind kind = byStateMachine.get(detail.path("stateMachineArn").asText(""));
            if (kind == null || !ABNORMAL.contains(status)) {
                Log.warn("execution status change ignored", "executionArn", arn, "status", status);
                return out.put("outcome", "IGNORED");
            }
            String flowId = flowId(detail, kind.idField());
            String name = detail.path("name").asText("");
            // the attempt that ended: a redriven execution's earlier attempt may be reported after the redrive began
            int redriveCount = detail.path("redriveCount").asInt(0);
            if (!kind.flow().isCurrentExecution(flowId, name, redriveCount)) {
                Log.info("an earlier run of the flow ended; the flow runs on", "flowId", flowId, "executionArn", arn);
                return out.put("flowId", flowId).put("outcome", "EARLIER_RUN");
            }
            if (!kind.flow().exists(flowId)) {
                Log.warn("no flow of that execution", "flowId", flowId, "executionArn", arn);
                return out.put("flowId", flowId).put("outcome", "UNKNOWN_FLOW");
            }
            String flowStatus = kind.flow().endEarly(flowId, name, redriveCount, error(status, detail), cause(status, detail));
            Log.info("flow reconciled with its ended execution", "flowId", flowId, "executionArn", arn,
                    "executionStatus", status, "flowStatus", flowStatus);
            return out.put("flowId", flowId).put("flowStatus", flowStatus).put("outcome", "RECONCILED");
        } finally {
            Log.end();
        }
    }

    /** The flow's id from the execution input; the execution name when the input does not say (or was not included). */
    static String flowId(JsonNode detail, String idField) {
        try {
            JsonNode input = Json.read(detail.path("input").asText("{}"));
            String id = input.path(idField).asText(null);
            if (id != null) {
                return id;
            }
        } catch (IOException e) {
            Log.warn("execution input is not JSON; the execution name names the flow", "executionArn",
                    detail.path("executionArn").asText(""));
        }
        return detail.path("name").asText();
    }

    private static String error(String status, JsonNode detail) {
        return switch (status) {
            case "TIMED_OUT" -> "States.Timeout";
            case "ABORTED" -> "ExecutionAborted";
            default -> detail.path("error").asText("ExecutionFailed");
        };
    }

    private static String cause(String status, JsonNode detail) {
        String given = detail.path("cause").asText(null);
        String what = switch (status) {
            case "TIMED_OUT" -> "the execution timed out";
            case "ABORTED" -> "the execution was stopped";
            default -> "the execution failed";
        };
        return given == null || given.isBlank() ? what : what + ": " + given;
    }
}
