package com.rackflow.local.stepfunctions.integrations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.local.stepfunctions.LambdaFailure;
import com.rackflow.local.stepfunctions.LambdaInvoker;
import com.rackflow.local.stepfunctions.asl.Json;
import com.rackflow.local.stepfunctions.asl.StatesError;
import com.rackflow.local.stepfunctions.asl.StatesException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Calls what a Task state names: Lambda functions through the host's {@link LambdaInvoker} (for lambda:invoke and
 * plain function ARNs, with AWS's result shape and error mapping) and DynamoDB.
 */
public final class ServiceIntegrations {

    /** Payload limit for a function's result (256 KiB). */
    static final int MAX_PAYLOAD_BYTES = 262_144;

    private final LambdaInvoker lambda;
    private final DynamoDbIntegration dynamo;
    private final String region;
    private final String accountId;

    public ServiceIntegrations(LambdaInvoker lambda, DynamoDbIntegration dynamo, String region, String accountId) {
        this.lambda = lambda;
        this.dynamo = dynamo;
        this.region = region;
        this.accountId = accountId;
    }

    /** Calls a service integration with its (already evaluated) parameters; returns its result. */
    public JsonNode call(TaskResource r, JsonNode input) {
        if ("lambda".equals(r.service()) && "invoke".equals(r.action())) {
            return lambdaInvoke(input);
        }
        if ("dynamodb".equals(r.service()) || "aws-sdk:dynamodb".equals(r.service())) {
            DynamoDbIntegration.Operation op = DynamoDbIntegration.operation(r.action());
            boolean optimised = "dynamodb".equals(r.service());
            if (op == null || optimised && op == DynamoDbIntegration.Operation.query || !r.pattern().isEmpty()) {
                throw unsupported(r);
            }
            return dynamo.call(op, input, optimised ? "DynamoDB" : "DynamoDb");
        }
        throw unsupported(r);
    }

    private static StatesException unsupported(TaskResource r) {
        return new StatesException(StatesError.RUNTIME, "The resource '" + r.arn()
                + "' is not supported by the local Step Functions emulator");
    }

    /** A function name or partial ARN as lambda:invoke accepts it, completed to a function ARN. */
    String functionArn(String nameOrArn) {
        if (nameOrArn.startsWith("arn:")) {
            return nameOrArn;
        }
        return "arn:aws:lambda:" + region + ":" + accountId + ":function:" + nameOrArn;
    }

    /** arn:aws:states:::lambda:invoke: the Invoke API response, with the function's result under Payload. */
    private JsonNode lambdaInvoke(JsonNode parameters) {
        JsonNode fn = parameters.get("FunctionName");
        if (fn == null || !fn.isTextual()) {
            throw new StatesException(StatesError.RUNTIME, "The field 'FunctionName' is required by lambda:invoke");
        }
        JsonNode payload = parameters.has("Payload") ? parameters.get("Payload") : Json.object();
        byte[] body = (payload.isTextual() ? payload.textValue() : Json.write(payload))
                .getBytes(StandardCharsets.UTF_8);
        JsonNode result = invokeLambda(functionArn(fn.textValue()), body);
        ObjectNode out = Json.object();
        out.put("ExecutedVersion", "$LATEST");
        out.set("Payload", result);
        String requestId = UUID.randomUUID().toString();
        ObjectNode http = out.putObject("SdkHttpMetadata");
        ObjectNode headers = Json.object();
        headers.put("Connection", "keep-alive");
        headers.put("Content-Type", "application/json");
        headers.put("X-Amz-Executed-Version", "$LATEST");
        headers.put("x-amzn-RequestId", requestId);
        http.set("HttpHeaders", headers);
        http.put("HttpStatusCode", 200);
        out.putObject("SdkResponseMetadata").put("RequestId", requestId);
        out.put("StatusCode", 200);
        return out;
    }

    /**
     * Invokes a function and returns its parsed result. A function error becomes a Step Functions error named by the
     * function's error type with the error payload as cause; a failure without a type is {@code Lambda.Unknown}.
     */
    public JsonNode invokeLambda(String arn, byte[] payload) {
        byte[] raw;
        try {
            raw = lambda.invoke(arn, payload);
        } catch (LambdaFailure e) {
            String error = e.errorType() == null || e.errorType().isBlank() ? "Lambda.Unknown" : e.errorType();
            String cause;
            if (e.errorType() == null) {
                cause = "The cause could not be determined because Lambda did not return an error type. Returned "
                        + "payload: " + e.errorMessage();
            } else {
                ObjectNode c = Json.object();
                c.put("errorMessage", e.errorMessage());
                c.put("errorType", e.errorType());
                ArrayNode trace = c.putArray("stackTrace");
                e.stackTrace().forEach(trace::add);
                cause = Json.write(c);
            }
            throw new StatesException(error, cause);
        } catch (RuntimeException e) {
            throw new StatesException("Lambda.Unknown", "The cause could not be determined because Lambda did not "
                    + "return an error type. Returned payload: " + e);
        }
        if (raw == null || raw.length == 0) {
            return Json.NODES.nullNode();
        }
        String text = new String(raw, StandardCharsets.UTF_8);
        if (Json.utf8Length(text) > MAX_PAYLOAD_BYTES) {
            throw new StatesException(StatesError.DATA_LIMIT_EXCEEDED, "The state/task returned a result with a size "
                    + "exceeding the maximum number of bytes service limit.");
        }
        try {
            return Json.parse(text);
        } catch (IllegalArgumentException e) {
            return Json.NODES.textNode(text);
        }
    }
}
