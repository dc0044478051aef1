package com.rackflow.local.stack.testfunctions;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A TOKEN authorizer for gateway tests: the token {@code Bearer <scenario>.<anything>} picks the answer, so each test
 * uses its own token (and so its own cache entry).
 */
public final class TestAuthorizer implements RequestStreamHandler {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API = "arn:aws:execute-api:us-east-1:123456789012:local/test/";

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = JSON.readTree(input);
        if (!event.path("type").asText().equals("TOKEN")) {
            throw new IllegalArgumentException("not a TOKEN event: " + event);
        }
        String token = event.path("authorizationToken").asText().substring("Bearer ".length());
        String scenario = token.contains(".") ? token.substring(0, token.indexOf('.')) : token;
        String methodArn = event.path("methodArn").asText();
        Object answer = switch (scenario) {
            case "allow-all" -> answer(List.of(statement("Allow", API + "*")), methodArn);
            case "get-only" -> answer(List.of(statement("Allow", List.of(API + "GET/items", API + "GET/items/?"))), methodArn);
            case "deny-delete" -> answer(List.of(statement("Allow", "*"), statement("Deny", API + "DELETE/*")), methodArn);
            case "other-api" -> answer(List.of(statement("Allow", "arn:aws:execute-api:us-east-1:123456789012:other/*")), methodArn);
            case "unauthorized" -> throw new RuntimeException("Unauthorized");
            case "broken" -> throw new IllegalStateException("cannot reach the directory");
            case "no-policy" -> Map.of("principalId", "someone");
            default -> throw new RuntimeException("Unauthorized");
        };
        JSON.writeValue(output, answer);
    }

    private static Map<String, Object> statement(String effect, Object resource) {
        return Map.of("Action", "execute-api:Invoke", "Effect", effect, "Resource", resource);
    }

    private static Map<String, Object> answer(List<Map<String, Object>> statements, String methodArn) {
        return Map.of("principalId", "u-42",
                "policyDocument", Map.of("Version", "2012-10-17", "Statement", statements),
                "context", Map.of("userId", "u-42", "role", "SALES", "departmentId", "east", "level", 3,
                        "manager", false, "authorizedArn", methodArn));
    }
}
