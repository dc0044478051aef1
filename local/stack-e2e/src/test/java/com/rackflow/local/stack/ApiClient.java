package com.rackflow.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rackflow.testing.OpenApi;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A client of a running local stack, as a web front end would be: tokens from the local IdP, JSON over HTTP. */
final class ApiClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final URI apiBase;
    private final String tokenUrl;
    private final Map<String, String> tokens = new HashMap<>();

    ApiClient(LocalStack stack) {
        this(stack.apiBaseUrl(), stack.identityProvider().tokenUrl());
    }

    /** A client of a stack running in another process, by the URLs its banner prints. */
    ApiClient(URI apiBase, String tokenUrl) {
        this.apiBase = apiBase;
        this.tokenUrl = tokenUrl;
    }

    record Answer(int status, Map<String, java.util.List<String>> headers, JsonNode body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        JsonNode error() {
            return body.path("error");
        }
    }

    synchronized String token(String userId) throws Exception {
        if (!tokens.containsKey(userId)) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(tokenUrl))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + userId + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("token for " + userId).isEqualTo(200);
            tokens.put(userId, JSON.readTree(r.body()).path("access_token").asText());
        }
        return tokens.get(userId);
    }

    /** A call as {@code userId}; {@code headers} alternate name, value (e.g. "If-Match", "\"1\""). */
    Answer call(String method, String path, String userId, Object body, String... headers) throws Exception {
        String json = body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body);
        HttpRequest.Builder b = HttpRequest.newBuilder(apiBase.resolve(path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (userId != null) {
            b.header("Authorization", "Bearer " + token(userId));
        }
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        conformsToOpenApi(method, path, json, r);
        JsonNode parsed = r.body() == null || r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
        return new Answer(r.statusCode(), r.headers().map(), parsed);
    }

    /** Every answer through the gateway (functions' and the gateway's own) as openapi.yaml describes it. */
    static void conformsToOpenApi(String method, String path, String requestBody, HttpResponse<String> r) {
        String resource = OpenApi.resourceOf(path).orElse(null);
        if (resource == null || OpenApi.operation(method, resource).isEmpty()
                || !r.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
            return;
        }
        var problems = new java.util.TreeSet<>(OpenApi.answerProblems(method, resource, r.statusCode(), r.body()));
        if (r.statusCode() < 300) {
            problems.addAll(OpenApi.requestProblems(method, resource, requestBody));
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("not as openapi.yaml describes it: " + problems + "\nanswer: " + r.body());
        }
    }

    static JsonNode expect(Answer a, int status) {
        assertThat(a.status()).as(a.body().toString()).isEqualTo(status);
        return a.body();
    }
}
