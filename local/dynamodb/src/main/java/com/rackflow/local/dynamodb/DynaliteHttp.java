package com.rackflow.local.dynamodb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** HTTP calls to the dynalite behind the front: raw pass-through, and JSON calls made by the front itself. */
final class DynaliteHttp {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final String TARGET_PREFIX = "DynamoDB_20120810.";
    /** dynalite checks that a request is signed, not the signature; the front's own calls carry this one. */
    private static final String AUTHORIZATION = "AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/dynamodb/aws4_request, "
            + "SignedHeaders=host;x-amz-date;x-amz-target, Signature=0";
    private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "content-length", "expect", "upgrade",
            "transfer-encoding", "keep-alive", "te", "trailer", "proxy-connection", "http2-settings");

    record Answer(int status, JsonNode body) {
        boolean ok() {
            return status == 200;
        }

        String errorType() {
            String t = body.path("__type").asText("InternalServerError");
            return t.substring(t.indexOf('#') + 1);
        }

        String errorMessage() {
            JsonNode m = body.has("message") ? body.get("message") : body.path("Message");
            return m.asText("");
        }
    }

    record Raw(int status, HttpHeaders headers, byte[] body) {
    }

    private final URI endpoint;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    DynaliteHttp(URI endpoint) {
        this.endpoint = endpoint;
    }

    URI endpoint() {
        return endpoint;
    }

    /** Sends a request as the client sent it (headers and body unchanged). */
    Raw forward(Map<String, List<String>> headers, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase())) {
                for (String v : values) {
                    try {
                        b.header(name, v);
                    } catch (IllegalArgumentException restricted) {
                        // a header the JDK client sets itself
                    }
                }
            }
        });
        try {
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Raw(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException("dynalite at " + endpoint + " did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** One operation with a JSON body, e.g. {@code call("GetItem", body)}. */
    Answer call(String operation, ObjectNode body) {
        try {
            HttpRequest r = HttpRequest.newBuilder(endpoint).timeout(Duration.ofMinutes(2))
                    .header("Content-Type", "application/x-amz-json-1.0")
                    .header("X-Amz-Target", TARGET_PREFIX + operation)
                    .header("X-Amz-Date", "20200101T000000Z")
                    .header("Authorization", AUTHORIZATION)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build();
            HttpResponse<byte[]> a = http.send(r, HttpResponse.BodyHandlers.ofByteArray());
            JsonNode parsed = a.body().length == 0 ? MissingNode.getInstance() : JSON.readTree(a.body());
            return new Answer(a.statusCode(), parsed);
        } catch (IOException e) {
            throw new UncheckedIOException("dynalite at " + endpoint + " did not answer " + operation + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Like {@link #call} but any error is thrown as it is. */
    JsonNode require(String operation, ObjectNode body) {
        Answer a = call(operation, body);
        if (!a.ok()) {
            throw DynamoError.of(a);
        }
        return a.body();
    }
}
