package com.rackflow.local.stack;

import static com.rackflow.local.stack.ApiClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Racking flows through a running local stack's API, one role at a time (demo staff: li.lei sales, sun.wei operations
 * manager, ma.jun operations), and the stack's Step Functions endpoint as an operator's console would use it.
 */
final class FlowApi {
    private static final AtomicInteger SEQ = new AtomicInteger((int) (System.nanoTime() % 100_000));
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final ApiClient api;
    private final URI stepFunctions;
    private String rackId;
    private String prefixId;
    private int nextU = 1;

    FlowApi(ApiClient api, URI stepFunctions) {
        this.api = api;
        this.stepFunctions = stepFunctions;
    }

    record Deal(String customerId, String contractId, String serial) {
    }

    /** A site, room, 42U rack and a /24 of its own for this test's allocations. */
    FlowApi withInventory() throws Exception {
        int n = SEQ.incrementAndGet();
        String cidr = "100.64." + (n % 250) + ".0/24";
        String site = expect(api.call("POST", "/sites", "admin", Map.of("code", "FL-" + n, "name", "流程机房" + n)), 201).path("siteId").asText();
        String room = expect(api.call("POST", "/rooms", "admin", Map.of("siteId", site, "name", "M1")), 201).path("roomId").asText();
        rackId = expect(api.call("POST", "/racks", "sun.wei", Map.of("roomId", room, "name", "F-01", "uHeight", 42,
                "powerCapKw", 80, "uplinkPorts", 48)), 201).path("rackId").asText();
        prefixId = expect(api.call("POST", "/ip-prefixes", "sun.wei", Map.of("siteId", site, "cidr", cidr)), 201).path("prefixId").asText();
        return this;
    }

    String rackId() {
        return rackId;
    }

    /** A signed customer of li.lei with an ACTIVE contract. */
    Deal activeContract() throws Exception {
        int n = SEQ.incrementAndGet();
        JsonNode c = expect(api.call("POST", "/customers", "li.lei", Map.of("companyName", "流程测试客户" + n + "有限公司",
                "region", "east", "source", "REFERRAL", "contacts", List.of(Map.of("name", "周工", "phone", "136" + String.format("%08d", n)))),
                "Idempotency-Key", "c-" + UUID.randomUUID()), 201);
        String customerId = c.path("customerId").asText();
        long v = c.path("version").asLong();
        for (String to : List.of("CONTACTED", "NEGOTIATING", "SIGNED")) {
            v = expect(api.call("POST", "/customers/" + customerId + "/transitions", "li.lei", Map.of("to", to, "version", v)), 200)
                    .path("version").asLong();
        }
        JsonNode k = expect(api.call("POST", "/contracts", "li.lei", Map.of("customerId", customerId, "cabinets", 1, "uCount", 10,
                "powerKw", "4.0", "bandwidthMbps", 100, "ipCount", 8, "monthlyFee", "6800.00", "startDate", "2026-12-01",
                "endDate", "2027-11-30"), "Idempotency-Key", "k-" + UUID.randomUUID()), 201);
        String contractId = k.path("contractId").asText();
        expect(api.call("POST", "/contracts/" + contractId + "/transitions", "li.lei", Map.of("to", "ACTIVE", "version",
                k.path("version").asLong())), 200);
        return new Deal(customerId, contractId, k.path("serial").asText());
    }

    String startRacking(Deal d) throws Exception {
        return expect(api.call("POST", "/racking-flows", "li.lei", Map.of("contractSerial", d.serial(), "plannedDate", "2026-12-03",
                "devices", List.of(Map.of("model", "Dell PowerEdge R750", "uHeight", 2))), "Idempotency-Key", "r-" + UUID.randomUUID()), 201)
                .path("flowId").asText();
    }

    /** Waits until the stage's work item is open, then completes it; the answer as it came. */
    ApiClient.Answer complete(String userId, String flowId, String stage, Map<String, Object> form) throws Exception {
        String id = flowId + "." + stage;
        await("/work-items/" + id, userId, w -> w.path("status").asText().equals("OPEN"));
        return api.call("POST", "/work-items/" + id + "/complete", userId, form);
    }

    /** The allocation form for the next free U range of the test rack (2 U, 4 addresses, 100 Mbps). */
    synchronized Map<String, Object> allocation() {
        int u = nextU;
        nextU += 2;
        return Map.of("rackId", rackId, "uFrom", u, "uTo", u + 1, "powerKw", 2, "prefixId", prefixId, "ipCount", 4,
                "bandwidthMbps", 100);
    }

    /** Polls a GET until the answer is a 200 that matches. */
    JsonNode await(String path, String userId, Predicate<JsonNode> until) throws Exception {
        JsonNode last = null;
        for (int i = 0; i < 600; i++) {
            ApiClient.Answer a = api.call("GET", path, userId, null);
            last = a.body();
            if (a.status() == 200 && until.test(a.body())) {
                return a.body();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("GET " + path + " as " + userId + " never matched; last: " + last);
    }

    JsonNode sfn(String operation, Map<String, Object> request) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(stepFunctions)
                .header("Content-Type", "application/x-amz-json-1.0")
                .header("X-Amz-Target", "AWSStepFunctions." + operation)
                .POST(HttpRequest.BodyPublishers.ofString(ApiClient.JSON.writeValueAsString(request))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(operation + ": " + r.body()).isEqualTo(200);
        return ApiClient.JSON.readTree(r.body());
    }
}
