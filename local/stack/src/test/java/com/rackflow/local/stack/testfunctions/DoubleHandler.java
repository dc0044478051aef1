package com.rackflow.local.stack.testfunctions;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A state machine task: {@code {"n": 21}} → {@code {"n": 42, "table": <TABLE_NAME>}}; a negative n fails. */
public final class DoubleHandler implements RequestStreamHandler {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = JSON.readTree(input);
        int n = event.path("n").asInt();
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative");
        }
        JSON.writeValue(output, Map.of("n", n * 2, "table", System.getenv("TABLE_NAME"),
                "sfn", String.valueOf(System.getenv("AWS_ENDPOINT_URL_SFN"))));
    }
}
