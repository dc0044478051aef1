package com.rackflow.local.stack.seed;

import java.io.IOException;
import java.net.URI;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.rackflow.local.stack.log.JsonLog;

/**
 * Creates the demo customers through the running API, as their owners, so customer codes, validation and duplicate
 * checks run through the real handlers. Each has a fixed Idempotency-Key: seeding a persisted stack again creates
 * nothing new.
 */
public final class CustomerSeeder {

    private static final JsonLog LOG = JsonLog.of("seed");

    /**
     * @param ready answered 201: created now, or replayed by the Idempotency-Key of an earlier run (persisted data)
     * @param alreadyPresent refused as a duplicate of an existing customer (409)
     * @param apiMissing the API has no {@code POST /customers} yet (404/403 from the gateway)
     */
    public record Outcome(int ready, int alreadyPresent, int failed, boolean apiMissing) {
    }

    /** @param accessToken the local identity provider's token for a user id; throws when it refuses one */
    public Outcome seed(URI apiBase, Function<String, String> accessToken, DemoCustomers demo) {
        SeedApi api = new SeedApi(apiBase);
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
            SeedApi.Answer answer;
            try {
                answer = api.post("/customers", token, c.idempotencyKey(), c.customer());
            } catch (IOException e) {
                LOG.error("demo customer not created", "idempotencyKey", c.idempotencyKey(), "error", e.toString());
                failed++;
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome(ready, present, failed + 1, false);
            }
            int status = answer.status();
            JsonNode body = answer.body();
            if (answer.missingRoute()) {
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
                        "errorCode", answer.errorCode());
            } else {
                failed++;
                LOG.error("demo customer refused", "idempotencyKey", c.idempotencyKey(), "status", status,
                        "errorCode", answer.errorCode());
            }
        }
        return new Outcome(ready, present, failed, false);
    }
}
