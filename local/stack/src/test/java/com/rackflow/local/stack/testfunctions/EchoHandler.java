package com.rackflow.local.stack.testfunctions;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Answers with the proxy event it received as the body, plus what it saw of its Lambda context and configuration;
 * {@code ?status=N} sets the status code.
 */
public final class EchoHandler implements RequestStreamHandler {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = JSON.readTree(input);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event", event);
        body.put("functionName", context.getFunctionName());
        body.put("functionVersion", context.getFunctionVersion());
        body.put("invokedFunctionArn", context.getInvokedFunctionArn());
        body.put("memoryLimitInMB", context.getMemoryLimitInMB());
        body.put("remainingTimeInMillis", context.getRemainingTimeInMillis());
        body.put("awsRequestId", context.getAwsRequestId());
        body.put("sharedSetting", System.getenv("SHARED_SETTING"));
        int status = event.path("queryStringParameters").path("status").asInt(200);
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("statusCode", status);
        response.put("headers", Map.of("Content-Type", "application/json", "X-Echo", "yes"));
        response.put("multiValueHeaders", Map.of("Set-Cookie", List.of("a=1", "b=2")));
        response.put("body", JSON.writeValueAsString(body));
        response.put("isBase64Encoded", false);
        JSON.writeValue(output, response);
    }
}
