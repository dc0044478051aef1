package com.rackflow.racking;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.core.json.Json;
import com.rackflow.core.logging.Log;
import com.rackflow.core.persistence.Dynamo;
import com.rackflow.core.persistence.Table;
import com.rackflow.core.stepfunctions.StepFunctions;
import com.rackflow.workitems.FlowStarter;
import com.rackflow.workitems.RetryableStepException;
import com.rackflow.workitems.Stage;
import com.rackflow.workitems.TaskCallbacks;
import com.rackflow.workitems.WorkItem;
import com.rackflow.workitems.WorkItemService;
import software.amazon.awssdk.core.exception.SdkException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

/**
 * The racking state machine's task function. {@code action}: {@code openStage} (a stage's callback task: opens the
 * work item with the task token), {@code escalate} (the stage's deadline passed), {@code finish} (allocations
 * OCCUPIED, customer IN_SERVICE), {@code compensate} (reservations released, flow REJECTED / FAILED). Every action is
 * idempotent; passing failures are thrown as {@link RetryableStepException} for the state machine's Retry.
 */
public class RackingTasksHandler implements RequestStreamHandler {
    private final RackingService racking;

    public RackingTasksHandler() {
        this(Dynamo.table(), TaskCallbacks.of(StepFunctions.client()));
    }

    public RackingTasksHandler(Table table, TaskCallbacks callbacks) {
        FlowStarter none = (arn, name, input) -> {
            throw new IllegalStateException("tasks do not start flows");
        };
        this.racking = new RackingService(table, new WorkItemService(table, callbacks, Map.of(), Clock.systemUTC()), none, "");
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode result = handle(Json.MAPPER.readTree(input));
        output.write(Json.write(result).getBytes(StandardCharsets.UTF_8));
    }

    public JsonNode handle(JsonNode event) {
        String action = event.path("action").asText("");
        String flowId = event.path("flowId").asText(null);
        Log.begin(event.path("executionArn").asText(""), "system:racking-flow", "task " + action);
        try {
            ObjectNode out = Json.object().put("flowId", flowId).put("action", action);
            switch (action) {
                case "openStage" -> {
                    WorkItem w = racking.openStage(flowId, Stage.valueOf(event.path("stage").asText()),
                            event.path("taskToken").asText(), event.path("executionArn").asText(null),
                            event.path("deadlineSeconds").asLong(Stage.valueOf(event.path("stage").asText()).defaultDeadlineSeconds()));
                    out.put("workItemId", w.workItemId());
                }
                case "escalate" -> racking.escalate(flowId, Stage.valueOf(event.path("stage").asText()))
                        .ifPresent(w -> out.put("workItemId", w.workItemId()).put("escalatedTo", w.escalatedTo()));
                case "finish" -> out.put("status", racking.finish(flowId).status().name());
                case "compensate" -> out.put("status", racking.compensate(flowId, event.path("error").asText(null),
                        event.path("cause").asText(null)).status().name());
                default -> throw new IllegalArgumentException("unknown action " + action);
            }
            Log.info("flow task done", "flowId", flowId, "action", action);
            return out;
        } catch (SdkException e) {
            Log.error("flow task failed, will be retried", e, "flowId", flowId, "action", action);
            throw new RetryableStepException(action + " of " + flowId + " failed: " + e.getMessage(), e);
        } finally {
            Log.end();
        }
    }
}
