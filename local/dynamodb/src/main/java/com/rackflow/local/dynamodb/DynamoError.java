package com.rackflow.local.dynamodb;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** An error answer in DynamoDB's JSON 1.0 shape: {@code __type}, {@code message} and any extra members. */
final class DynamoError extends RuntimeException {
    private static final String PREFIX = "com.amazonaws.dynamodb.v20120810#";

    private final int status;
    private final String type;
    private final ObjectNode body;
    /** The units billed for the failed request ({@link Billing#HEADER}), when it is billed. */
    private String billed;

    DynamoError(int status, String type, String message) {
        super(type + ": " + message);
        this.status = status;
        this.type = type;
        this.body = JsonNodeFactory.instance.objectNode();
        body.put("__type", type.contains("#") ? type : PREFIX + type);
        body.put("message", message);
    }

    static DynamoError validation(String message) {
        return new DynamoError(400, "ValidationException", message);
    }

    /** The error dynalite answered, passed on as it is. */
    static DynamoError of(DynaliteHttp.Answer answer) {
        DynamoError e = new DynamoError(answer.status(), answer.errorType(), answer.errorMessage());
        if (answer.body().isObject()) {
            e.body.setAll((ObjectNode) answer.body());
        }
        return e;
    }

    int status() {
        return status;
    }

    /** The short name, e.g. {@code ConditionalCheckFailedException}. */
    String type() {
        return type.substring(type.indexOf('#') + 1);
    }

    void billed(String header) {
        this.billed = header;
    }

    String billed() {
        return billed;
    }

    ObjectNode body() {
        return body;
    }
}
