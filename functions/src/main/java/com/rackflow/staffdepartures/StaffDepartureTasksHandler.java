package com.rackflow.staffdepartures;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.core.http.ApiException;
import com.rackflow.core.json.Json;
import com.rackflow.core.logging.Log;
import com.rackflow.core.persistence.Dynamo;
import com.rackflow.core.persistence.Table;
import com.rackflow.core.stepfunctions.StepFunctions;
import com.rackflow.workitems.RetryableStepException;
import com.rackflow.workitems.TaskCallbacks;
import com.rackflow.workitems.WorkItemService;
import software.amazon.awssdk.core.exception.SdkException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The staff departure state machine's task function. Payload {@code action}: {@code moveBatch} (answers
 * {@code more}), {@code finish} (answers {@code completed}), {@code fail} (the caught error: Error, Cause). Passing failures (DynamoDB
 * errors, a record that kept changing) are thrown as {@link RetryableStepException}, which the state machine Retries.
 */
public class StaffDepartureTasksHandler implements RequestStreamHandler {
    private final DepartureMoves moves;

    public StaffDepartureTasksHandler() {
        this(Dynamo.table(), TaskCallbacks.of(StepFunctions.client()));
    }

    public StaffDepartureTasksHandler(Table table, TaskCallbacks callbacks) {
        this(new DepartureMoves(table, WorkItemService.forTasks(table, callbacks)));
    }

    StaffDepartureTasksHandler(DepartureMoves moves) {
        this.moves = moves;
    }

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode result = handle(Json.MAPPER.readTree(input));
        output.write(Json.write(result).getBytes(StandardCharsets.UTF_8));
    }

    public JsonNode handle(JsonNode event) {
        String action = event.path("action").asText("");
        String departureId = event.path("departureId").asText(null);
        Log.begin(departureId == null ? "" : departureId, "system:staff-departure", "task " + action);
        try {
            ObjectNode out = Json.object().put("departureId", departureId).put("action", action);
            switch (action) {
                case "moveBatch" -> out.put("more", moves.moveBatch(departureId));
                case "finish" -> out.put("completed", moves.finish(departureId));
                // the Catch's error object: Error, and Cause when the error has one
                case "fail" -> out.put("status", moves.fail(departureId, event.path("error").path("Error").asText(null),
                        event.path("error").path("Cause").asText(null)).status().name());
                default -> throw new IllegalArgumentException("unknown action " + action);
            }
            Log.info("staff departure task done", "departureId", departureId, "action", action);
            return out;
        } catch (SdkException | ApiException | IllegalStateException e) {
            Log.error("staff departure task failed, will be retried", e, "departureId", departureId, "action", action);
            throw new RetryableStepException(action + " of " + departureId + " failed: " + e.getMessage(), e);
        } finally {
            Log.end();
        }
    }
}
