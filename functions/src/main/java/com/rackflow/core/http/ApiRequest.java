package com.rackflow.core.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.access.Caller;
import com.rackflow.access.Role;
import com.rackflow.core.json.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** An API Gateway REST (v1 proxy) event, reduced to what handlers use. */
public record ApiRequest(String requestId, String method, String resource, String path,
                         Map<String, String> pathParameters, Map<String, String> query,
                         Map<String, String> headers, String body, Caller caller, java.time.Instant deadline) {

    public static ApiRequest from(JsonNode event) {
        JsonNode ctx = event.path("requestContext");
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(strings(event.path("headers")));
        String body = event.path("body").isTextual() ? event.path("body").asText() : null;
        if (body != null && event.path("isBase64Encoded").asBoolean(false)) {
            body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
        }
        return new ApiRequest(ctx.path("requestId").asText(""), event.path("httpMethod").asText(""),
                event.path("resource").asText(""), event.path("path").asText(""),
                strings(event.path("pathParameters")), strings(event.path("queryStringParameters")),
                headers, body, caller(ctx.path("authorizer")), null);
    }

    private static Caller caller(JsonNode authorizer) {
        String userId = authorizer.path("userId").asText(null);
        Optional<Role> role = Role.parse(authorizer.path("role").asText(""));
        if (userId == null || role.isEmpty()) {
            return null;
        }
        return new Caller(userId, role.get(), authorizer.path("departmentId").asText(""));
    }

    private static Map<String, String> strings(JsonNode node) {
        Map<String, String> m = new TreeMap<>();
        if (node != null && node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (!e.getValue().isNull()) {
                    m.put(e.getKey(), e.getValue().asText());
                }
            });
        }
        return m;
    }

    /** The same request on behalf of {@code c} (the caller as the directory knows them now). */
    public ApiRequest withCaller(Caller c) {
        return new ApiRequest(requestId, method, resource, path, pathParameters, query, headers, body, c, deadline);
    }

    /**
     * The same request with the moment its function is stopped (now + the Lambda context's remaining time); null
     * when the request is served without a Lambda context (tests, priming).
     */
    public ApiRequest withDeadline(java.time.Instant at) {
        return new ApiRequest(requestId, method, resource, path, pathParameters, query, headers, body, caller, at);
    }

    /** The verified caller; a request without the authorizer's context is refused. */
    public Caller requireCaller() {
        if (caller == null) {
            throw ApiException.unauthorized();
        }
        return caller;
    }

    public String pathParam(String name) {
        String v = pathParameters.get(name);
        if (v == null || v.isBlank()) {
            throw ApiException.invalid(name, "required", "path parameter is required");
        }
        return v;
    }

    public Optional<String> queryParam(String name) {
        String v = query.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    public Optional<String> header(String name) {
        String v = headers.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    /** The body as a JSON object; anything else is a 400 naming the body. */
    public ObjectNode jsonBody() {
        if (body == null || body.isBlank()) {
            throw ApiException.invalid("body", "required", "a JSON object body is required");
        }
        if (body.indexOf('\uFFFD') >= 0) {
            // API Gateway (and Base64 decoding here) turn bytes that are not UTF-8 into U+FFFD: the text is already lost
            throw ApiException.invalid("body", "encoding", "the body is not valid UTF-8; send it encoded as UTF-8");
        }
        JsonNode node;
        try {
            node = Json.read(body);
        } catch (IOException e) {
            throw ApiException.invalid("body", "json", "the body is not valid JSON");
        }
        if (!(node instanceof ObjectNode o)) {
            throw ApiException.invalid("body", "object", "the body must be a JSON object");
        }
        return o;
    }

    /** An empty body is allowed and reads as {}. */
    public ObjectNode jsonBodyOrEmpty() {
        return body == null || body.isBlank() ? Json.object() : jsonBody();
    }

    /** The expected version of a change, from If-Match ("3" or 3) or the body's "version". */
    public Optional<Long> ifMatchVersion() {
        return header("If-Match").map(v -> {
            String s = v.startsWith("W/") ? v.substring(2) : v;
            s = s.replace("\"", "").trim();
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw ApiException.invalid("If-Match", "format", "must be the record's version as returned in its ETag, e.g. \"3\"");
            }
        });
    }
}
