package com.rackflow.local.stack.lambda;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A function invocation that failed the way Lambda reports it ({@code errorMessage}, {@code errorType}): the handler
 * threw, its class could not be loaded, or it timed out.
 */
public final class LambdaInvocationException extends RuntimeException {

    private final String functionName;
    private final String errorType;
    private final String errorMessage;

    public LambdaInvocationException(String functionName, String errorType, String errorMessage, Throwable cause) {
        super(functionName + " failed: " + errorType + ": " + errorMessage, cause);
        this.functionName = functionName;
        this.errorType = errorType;
        this.errorMessage = errorMessage;
    }

    public String functionName() {
        return functionName;
    }

    public String errorType() {
        return errorType;
    }

    /** The message as Lambda returns it; API Gateway compares it with {@code Unauthorized} for authorizers. */
    public String errorMessage() {
        return errorMessage;
    }

    /** Lambda's error payload. */
    public Map<String, Object> payload() {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("errorMessage", errorMessage);
        payload.put("errorType", errorType);
        return payload;
    }
}
