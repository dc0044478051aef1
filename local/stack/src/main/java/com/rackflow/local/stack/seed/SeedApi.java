package com.rackflow.local.stack.seed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Demo data goes in through the running API, as a client would send it: POSTs with a token and an Idempotency-Key. */
final class SeedApi {
    static final ObjectMapper JSON = new ObjectMapper();

    record Answer(int status, JsonNode body) {
        String errorCode() {
            JsonNode error = body.path("error");
            return error.isObject() ? error.path("code").asText(null) : body.path("message").asText(null);
        }

        boolean missingRoute() {
            return status == 404 || (status == 403 && body.toString().contains("Missing Authentication Token"));
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI apiBase;

    SeedApi(URI apiBase) {
        this.apiBase = apiBase;
    }

    Answer post(String path, String token, String idempotencyKey, Object body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(apiBase.resolve(path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), parse(response.body()));
    }

    private static JsonNode parse(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            return node == null ? JSON.createObjectNode() : node;
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }
}
