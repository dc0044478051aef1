package com.rackflow.core;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.fasterxml.jackson.databind.JsonNode;
import com.rackflow.core.http.ApiHandler;
import com.rackflow.core.http.ApiResponse;
import com.rackflow.core.http.Idempotency;
import com.rackflow.core.http.Route;
import com.rackflow.core.json.Json;
import com.rackflow.core.persistence.Keys;
import com.rackflow.core.persistence.Table;
import com.rackflow.testing.Events;
import com.rackflow.testing.LocalTable;
import com.rackflow.testing.Staff;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static com.rackflow.testing.Staff.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code Idempotency.once}: the IN_PROGRESS record holds its key until the deadline of the function serving the request
 * (the Lambda context's remaining time, as Powertools for AWS Lambda does), not for a fixed time: a retry after a
 * killed request is refused while the dead function could still be running, and done at once after its deadline.
 */
class IdempotencyDeadlineTest {
    static Table table;
    static final AtomicInteger runs = new AtomicInteger();
    static volatile boolean die;

    /** The process dies in the middle of the request: nothing after this point runs (no clean-up, no answer). */
    static final class Killed extends Error {
    }

    /** A function with one keyed route that is not a record create (as report runs and staff departures are). */
    static final class Runs extends ApiHandler {
        private final Idempotency idempotency;

        Runs(Table table) {
            super(table);
            this.idempotency = new Idempotency(table);
        }

        @Override
        protected List<Route> routes() {
            return List.of(Route.post("/reports/runs", r -> idempotency.once(r, r.requireCaller(), () -> {
                if (die) {
                    die = false;
                    throw new Killed();
                }
                return ApiResponse.json(202, Map.of("run", runs.incrementAndGet()));
            })));
        }
    }

    @BeforeAll
    static void setUp() {
        table = LocalTable.create();
        Staff.seed(table);
    }

    @Test
    void theInProgressRecordHoldsTheKeyUntilTheFunctionsDeadline() throws IOException {
        Runs function = new Runs(table);
        String key = "run-" + System.nanoTime();
        long killedAt = killed(function, key, 1_500);
        long until = inProgressUntil(key);
        assertThat(until).as("the dead request's remaining time, not a fixed minute").isBetween(killedAt + 1_000, killedAt + 2_500);

        // while the killed function could still be running, the key is its own
        JsonNode early = invoke(function, key, 600_000);
        if (System.currentTimeMillis() < until) {
            assertThat(early.path("statusCode").asInt()).isEqualTo(409);
            assertThat(Json.read(early.path("body").asText()).path("error").path("code").asText()).isEqualTo("REQUEST_IN_PROGRESS");
        }
        // past its deadline the retry runs the request: once
        JsonNode done = early;
        while (done.path("statusCode").asInt() == 409 && System.currentTimeMillis() < killedAt + 10_000) {
            Thread.onSpinWait();
            done = invoke(function, key, 600_000);
        }
        assertThat(done.path("statusCode").asInt()).isEqualTo(202);
        assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(until);
        int run = Json.read(done.path("body").asText()).path("run").asInt();
        JsonNode replay = invoke(function, key, 600_000);
        assertThat(replay.path("headers").path("Idempotent-Replayed").asText()).isEqualTo("true");
        assertThat(Json.read(replay.path("body").asText()).path("run").asInt()).isEqualTo(run);
        assertThat(runs.get()).isEqualTo(run);
    }

    @Test
    void aLongerRemainingTimeHoldsTheKeyLonger() throws IOException {
        Runs function = new Runs(table);
        String key = "long-" + System.nanoTime();
        long killedAt = killed(function, key, 840_000);
        assertThat(inProgressUntil(key)).isBetween(killedAt + 839_000, killedAt + 841_000 + 1_000);
        JsonNode retry = invoke(function, key, 600_000);
        assertThat(retry.path("statusCode").asInt()).isEqualTo(409);
        assertThat(Json.read(retry.path("body").asText()).path("error").path("code").asText()).isEqualTo("REQUEST_IN_PROGRESS");
    }

    /** The request with {@code remainingMillis} left of its function's time, killed in the middle; when it started. */
    private static long killed(Runs function, String key, long remainingMillis) {
        die = true;
        long at = System.currentTimeMillis();
        assertThatThrownBy(() -> invoke(function, key, remainingMillis)).isInstanceOf(Killed.class);
        return at;
    }

    private static long inProgressUntil(String key) {
        var item = table.get(Keys.idempotency(ADMIN.userId(), "/reports/runs", key)).orElseThrow();
        assertThat(item.get("state").s()).isEqualTo("IN_PROGRESS");
        return Long.parseLong(item.get("inProgressUntil").n());
    }

    /** The function invoked as Lambda invokes it, with {@code remainingMillis} left of its timeout. */
    private static JsonNode invoke(ApiHandler function, String key, long remainingMillis) throws IOException {
        var event = Events.load("reports/run-report-job.json").as(ADMIN).header("Idempotency-Key", key)
                .body(Map.of("kind", "CALL_VOLUME")).json();
        ((com.fasterxml.jackson.databind.node.ObjectNode) event).put("resource", "/reports/runs").put("path", "/reports/runs")
                .put("httpMethod", "POST");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        function.handleRequest(new ByteArrayInputStream(Json.write(event).getBytes(StandardCharsets.UTF_8)), out,
                context(System.currentTimeMillis() + remainingMillis));
        return Json.read(out.toString(StandardCharsets.UTF_8));
    }

    private static Context context(long deadlineMillis) {
        return new Context() {
            @Override
            public String getAwsRequestId() {
                return "req-" + deadlineMillis;
            }

            @Override
            public String getLogGroupName() {
                return null;
            }

            @Override
            public String getLogStreamName() {
                return null;
            }

            @Override
            public String getFunctionName() {
                return "ReportsFunction";
            }

            @Override
            public String getFunctionVersion() {
                return "$LATEST";
            }

            @Override
            public String getInvokedFunctionArn() {
                return null;
            }

            @Override
            public CognitoIdentity getIdentity() {
                return null;
            }

            @Override
            public ClientContext getClientContext() {
                return null;
            }

            @Override
            public int getRemainingTimeInMillis() {
                return (int) Math.max(0, deadlineMillis - System.currentTimeMillis());
            }

            @Override
            public int getMemoryLimitInMB() {
                return 512;
            }

            @Override
            public LambdaLogger getLogger() {
                return null;
            }
        };
    }
}
