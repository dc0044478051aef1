package com.rackflow.workitems;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.rackflow.core.json.Json;
import com.rackflow.core.logging.Log;
import com.rackflow.core.persistence.Dynamo;
import com.rackflow.core.persistence.Table;
import com.rackflow.core.stepfunctions.StepFunctions;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

/**
 * The scheduled sweeper of the work items' callback outbox: a decided stage whose answer to its flow is still pending
 * a minute later (the function that decided it died between its transaction and SendTaskSuccess, or Step Functions
 * did not answer) is answered now. Delivering twice is harmless: a token already answered no longer waits.
 */
public class PendingCallbacksHandler implements RequestStreamHandler {
    static final Duration GRACE = Duration.ofSeconds(60);
    static final int PER_RUN = 100;

    private final WorkItemService items;

    public PendingCallbacksHandler() {
        this(Dynamo.table(), TaskCallbacks.of(StepFunctions.client()), Clock.systemUTC());
    }

    public PendingCallbacksHandler(Table table, TaskCallbacks callbacks, Clock clock) {
        this.items = new WorkItemService(table, callbacks, java.util.Map.of(), clock);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = Json.MAPPER.readTree(input);
        Log.begin(event.path("id").asText(""), "system:callback-sweeper", "schedule");
        try {
            int delivered = items.redeliverPending(GRACE, PER_RUN);
            Log.info("pending stage answers delivered", "delivered", delivered);
            output.write(Json.write(Json.object().put("delivered", delivered)).getBytes(StandardCharsets.UTF_8));
        } finally {
            Log.end();
        }
    }
}
