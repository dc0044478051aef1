package com.rackflow.local.stack.seed;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rackflow.local.stack.log.JsonLog;

/**
 * Creates the demo customers through the running API, as their owners, so customer codes, validation and duplicate
 * checks run through the real handlers. Each has a fixed Idempotency-Key: seeding a persisted stack again creates
 * nothing new.
 */
public final class CustomerSeeder {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonLog LOG = JsonLog.of("seed");

    /**
     * @param ready answered 201: created now, or replayed by the Idempotency-Key of an earlier run (persisted data)
     * @param alreadyPresent refused as a duplicate of an existing customer (409)
     * @param apiMissing the API has no {@code POST /customers} yet (404/403 from the gateway)
     */
    public record Outcome(int ready, int alreadyPresent, int failed, boolean apiMissing) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** @param accessToken the local identity provider's token for a user id; throws when it refuses one */
    public Outcome seed(URI apiBase, Function<String, String> accessToken, DemoCustomers demo) {
        int ready = 0;
        int present = 0;
        int failed = 0;
        for (DemoCustomers.DemoCustomer c : demo.customers()) {
            String token;
            try {
                token = accessToken.apply(c.owner());
            } catch (RuntimeException refused) {
                // e.g. the owner left (DEPARTED) in a persisted directory: their demo customer stays as it was
                LOG.warn("demo customer skipped: its owner gets no token", "idempotencyKey", c.idempotencyKey(),
                        "owner", c.owner(), "reason", refused.getMessage());
                failed++;
                continue;
            }
            HttpResponse<String> response;
            try {
                HttpRequest request = HttpRequest.newBuilder(apiBase.resolve("/customers"))
                        .timeout(Duration.ofSeconds(60))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .header("Idempotency-Key", c.idempotencyKey())
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(c.customer())))
                        .build();
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                LOG.error("demo customer not created", "idempotencyKey", c.idempotencyKey(), "error", e.toString());
                failed++;
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome(ready, present, failed + 1, false);
            }
            int status = response.statusCode();
            JsonNode body = parse(response.body());
            if (status == 404 || (status == 403 && isMissingRoute(body))) {
                LOG.warn("POST /customers is not served yet; demo customers skipped", "status", status);
                return new Outcome(ready, present, failed, true);
            }
            if (status == 200 || status == 201) {
                ready++;
                LOG.info("demo customer ready", "idempotencyKey", c.idempotencyKey(), "owner", c.owner(),
                        "customerCode", body.path("code").asText(null), "status", status);
            } else if (status == 409) {
                present++;
                LOG.info("demo customer already present", "idempotencyKey", c.idempotencyKey(),
                        "errorCode", errorCode(body));
            } else {
                failed++;
                LOG.error("demo customer refused", "idempotencyKey", c.idempotencyKey(), "status", status,
                        "errorCode", errorCode(body));
            }
        }
        return new Outcome(ready, present, failed, false);
    }

    private static boolean isMissingRoute(JsonNode body) {
        return body.toString().contains("Missing Authentication Token");
    }

    private static String errorCode(JsonNode body) {
        JsonNode error = body.path("error");
        return error.isObject() ? error.path("code").asText(null) : body.path("message").asText(null);
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
