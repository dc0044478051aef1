package com.rackflow.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.rackflow.core.http.ApiHandler;
import com.rackflow.core.http.ApiResponse;
import com.rackflow.core.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;

/** An API answer as a test reads it. */
public record Reply(int status, java.util.Map<String, String> headers, JsonNode body) {

    public static Reply of(ApiHandler handler, Events event) {
        ApiResponse r = handler.handle(event.json());
        try {
            return new Reply(r.status(), r.headers(), r.body() == null ? Json.object() : Json.read(r.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String text(String field) {
        return body.path(field).asText(null);
    }

    public String errorCode() {
        return body.path("error").path("code").asText(null);
    }

    public String firstViolationField() {
        return body.path("error").path("violations").path(0).path("field").asText(null);
    }

    public String firstViolationRule() {
        return body.path("error").path("violations").path(0).path("rule").asText(null);
    }

    /** Every violation of a 400 as {@code field:rule}. */
    public java.util.List<String> violations() {
        java.util.List<String> out = new java.util.ArrayList<>();
        body.path("error").path("violations").forEach(v -> out.add(v.path("field").asText() + ":" + v.path("rule").asText()));
        return out;
    }

    public long version() {
        return body.path("version").asLong();
    }
}
