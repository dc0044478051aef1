package com.rackflow.workitems;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.core.http.ApiException;
import com.rackflow.core.json.Json;
import com.rackflow.core.logging.Log;
import software.amazon.awssdk.core.exception.SdkException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Base of every flow's task function (racking, termination, staff departure). The payload names the {@code action}
 * and the {@code flowId}; the flow's {@link FlowSteps} run it. A caught error arrives as the Catch's error object
 * ({@code error}: {@code Error} and, when there is one, {@code Cause}), so a missing Cause cannot break the step
 * that records it. Passing failures (SDK errors, a record that kept changing, a conflict) are thrown as
 * {@link RetryableStepException}, which every state machine Retries with backoff.
 */
public abstract class FlowTaskHandler implements RequestStreamHandler {
    private final FlowSteps flow;
    private final String actor;

    protected FlowTaskHandler(FlowSteps flow, String actor) {
        this.flow = flow;
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
        Log.begin(flowId == null ? "" : flowId, actor, "task " + action);
        try {
            FlowSteps.Step step = flow.steps().get(action);
            if (step == null) {
                throw new IllegalArgumentException("unknown action " + action);
            }
            ObjectNode out = Json.object().put("flowId", flowId).put("action", action);
            step.run(flowId, event, out);
            Log.info("flow task done", "flowId", flowId, "action", action);
            return out;
        } catch (SdkException | ApiException | IllegalStateException e) {
            Log.error("flow task failed, will be retried", e, "flowId", flowId, "action", action);
            throw new RetryableStepException(action + " of " + flowId + " failed: " + e.getMessage(), e);
        } finally {
            Log.end();
        }
    }

    /** The caught error's name ({@code error.Error}); null when there is none. */
    public static String error(JsonNode event) {
        return event.path("error").path("Error").asText(null);
    }

    /** The caught error's cause ({@code error.Cause}); null when there is none. */
    public static String cause(JsonNode event) {
        return event.path("error").path("Cause").asText(null);
    }
}
