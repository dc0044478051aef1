package com.rackflow.workitems;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.core.json.Json;
import com.rackflow.core.logging.Log;
import software.amazon.awssdk.core.exception.SdkException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Base of a state machine's task function. The payload's {@code action}: {@code openStage} (with stage, taskToken,
 * executionArn, deadlineSeconds), {@code escalate} (stage), {@code finish}, {@code compensate} (error, cause).
 * Passing failures are thrown as {@link RetryableStepException}, which the state machines Retry.
 */
public abstract class FlowTaskHandler implements RequestStreamHandler {
    private final FlowTasks<?> tasks;
    private final String actor;

    protected FlowTaskHandler(FlowTasks<?> tasks, String actor) {
        this.tasks = tasks;
        this.actor = actor;
    }

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode result = handle(Json.MAPPER.readTree(input));
        output.write(Json.write(result).getBytes(StandardCharsets.UTF_8));
    }

    public JsonNode handle(JsonNode event) {
        String action = event.path("action").asText("");
        String flowId = event.path("flowId").asText(null);
        Log.begin(event.path("executionArn").asText(""), actor, "task " + action);
        try {
            ObjectNode out = Json.object().put("flowId", flowId).put("action", action);
            switch (action) {
                case "openStage" -> {
                    Stage stage = Stage.valueOf(event.path("stage").asText());
                    WorkItem w = tasks.openStage(flowId, stage, event.path("taskToken").asText(),
                            event.path("executionArn").asText(null), event.path("deadlineSeconds").asLong(stage.defaultDeadlineSeconds()));
                    out.put("workItemId", w.workItemId());
                }
                case "escalate" -> tasks.escalate(flowId, Stage.valueOf(event.path("stage").asText()))
                        .ifPresent(w -> out.put("workItemId", w.workItemId()).put("escalatedTo", w.escalatedTo()));
                case "finish" -> out.put("status", tasks.finish(flowId).status().name());
                case "compensate" -> out.put("status", tasks.compensate(flowId, event.path("error").asText(null),
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
