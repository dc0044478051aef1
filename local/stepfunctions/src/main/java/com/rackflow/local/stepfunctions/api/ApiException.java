package com.rackflow.local.stepfunctions.api;

/** An API error: the AWS error code (the `__type`) and its message, answered with HTTP 400. */
public final class ApiException extends RuntimeException {

    private final String type;

    public ApiException(String type, String message) {
        super(message, null, false, false);
        this.type = type;
    }

    public String type() {
        return type;
    }
}
