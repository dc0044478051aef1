package com.rackflow.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.rackflow.core.http.ApiHandler;
import com.rackflow.core.http.ApiResponse;
import com.rackflow.core.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;

/** An API answer as a test reads it; every one is checked against openapi.yaml (request and answer). */
public record Reply(int status, java.util.Map<String, String> headers, JsonNode body) {

    public static Reply of(ApiHandler handler, Events event) {
        ApiResponse r = handler.handle(event.json());
        String method = event.json().path("httpMethod").asText();
        String resource = event.json().path("resource").asText();
        if (r.headers().getOrDefault("Content-Type", "").startsWith("application/json")) {
            var problems = new java.util.TreeSet<>(OpenApi.answerProblems(method, resource, r.status(), r.body()));
            if (r.status() < 300) {
                JsonNode body = event.json().path("body");
                String text = body.isTextual() ? body.asText() : null;
                if (text != null && event.json().path("isBase64Encoded").asBoolean(false)) {
                    text = new String(java.util.Base64.getDecoder().decode(text), java.nio.charset.StandardCharsets.UTF_8);
                }
                problems.addAll(OpenApi.requestProblems(method, resource, text));
            }
            if (!problems.isEmpty()) {
                throw new AssertionError("not as openapi.yaml describes it: " + problems + "\nanswer: " + r.body());
            }
        }
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
