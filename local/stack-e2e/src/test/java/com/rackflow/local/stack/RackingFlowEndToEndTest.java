package com.rackflow.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The racking and termination flows end to end through the local API and the local Step Functions engine, using only
 * API calls, one role at a time (demo staff: li.lei sales, wang.fang east manager, sun.wei operations manager, ma.jun
 * operations, admin). Stage deadlines come from STAGE_DEADLINES (seconds, template parameter StageDeadlines), read when a flow
 * starts; the deadline test gives its flow's first stage a few seconds, so the deadline passes while the test waits.
 */
@ExtendWith(TestStacks.class)
class RackingFlowEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final AtomicInteger SEQ = new AtomicInteger((int) (System.nanoTime() % 100_000));
    private static final Map<String, String> TOKENS = new HashMap<>();

    private static LocalStack stack;
    private static String rackId;
    private static String prefixId;
    private static int nextU = 1;

    @BeforeAll
    static void start(LocalStack shared) throws Exception {
        stack = shared;
        String site = created(call("POST", "/sites", "admin", Map.of("code", "E2E-" + SEQ.incrementAndGet(), "name", "端到端机房"))).path("siteId").asText();
        String room = created(call("POST", "/rooms", "admin", Map.of("siteId", site, "name", "M1"))).path("roomId").asText();
        rackId = created(call("POST", "/racks", "sun.wei", Map.of("roomId", room, "name", "E-01", "uHeight", 42,
                "powerCapKw", 40, "uplinkPorts", 8))).path("rackId").asText();
        prefixId = created(call("POST", "/ip-prefixes", "sun.wei", Map.of("siteId", site, "cidr", "198.51.100.0/24"))).path("prefixId").asText();
    }

    // ---- HTTP ----

    record Answer(int status, JsonNode body) {
    }

    private static synchronized String token(String userId) throws Exception {
        if (!TOKENS.containsKey(userId)) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(stack.identityProvider().tokenUrl()))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + userId + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("token for " + userId).isEqualTo(200);
            TOKENS.put(userId, JSON.readTree(r.body()).path("access_token").asText());
        }
        return TOKENS.get(userId);
    }

    private static Answer call(String method, String path, String userId, Object body) throws Exception {
        String json = body == null ? null : JSON.writeValueAsString(body);
        HttpRequest.Builder b = HttpRequest.newBuilder(stack.apiBaseUrl().resolve(path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .header("Authorization", "Bearer " + token(userId));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        if (method.equals("POST") && !path.contains("/complete") && !path.contains("/transitions")) {
            b.header("Idempotency-Key", "e2e-" + UUID.randomUUID());
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body() == null || r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body()));
    }

    private static JsonNode created(Answer a) {
        assertThat(a.status()).as(a.body().toString()).isEqualTo(201);
        return a.body();
    }

    private static JsonNode ok(Answer a) {
        assertThat(a.status()).as(a.body().toString()).isEqualTo(200);
        return a.body();
    }

    private static JsonNode sfn(String operation, Map<String, Object> request) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(stack.stateMachinesEndpoint().orElseThrow())
                .header("Content-Type", "application/x-amz-json-1.0")
                .header("X-Amz-Target", "AWSStepFunctions." + operation)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(operation + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** Polls a GET until the answer matches (the engine runs executions on its own threads). */
    private static JsonNode await(String path, String userId, Predicate<JsonNode> until) throws Exception {
        JsonNode last = null;
        for (int i = 0; i < 300; i++) {
            Answer a = call("GET", path, userId, null);
            last = a.body();
            if (a.status() == 200 && until.test(a.body())) {
                return a.body();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("GET " + path + " as " + userId + " never matched; last: " + last);
    }

    /** The caller's open work item of a flow's stage, once the flow has opened it. */
    private static JsonNode inboxItem(String userId, String flowId, String stage) throws Exception {
        String id = flowId + "." + stage;
        JsonNode inbox = await("/work-items?status=open&limit=100", userId, b -> b.path("items").toString().contains(id));
        for (JsonNode item : inbox.path("items")) {
            if (item.path("workItemId").asText().equals(id)) {
                return item;
            }
        }
        throw new AssertionError(id);
    }

    private static JsonNode complete(String userId, String flowId, String stage, Map<String, Object> form) throws Exception {
        inboxItem(userId, flowId, stage);
        return ok(call("POST", "/work-items/" + flowId + "." + stage + "/complete", userId, form));
    }

    // ---- the deal, made through the API by sales ----

    record Deal(String customerId, String contractId, String serial) {
    }

    private static Deal activeContract(String sales) throws Exception {
        int n = SEQ.incrementAndGet();
        JsonNode c = created(call("POST", "/customers", sales, Map.of("companyName", "端到端上架客户" + n + "有限公司", "region", "east",
                "source", "REFERRAL", "contacts", List.of(Map.of("name", "周工", "phone", "137" + String.format("%08d", n))))));
        String customerId = c.path("customerId").asText();
        long v = c.path("version").asLong();
        for (String to : List.of("CONTACTED", "NEGOTIATING", "SIGNED")) {
            v = ok(call("POST", "/customers/" + customerId + "/transitions", sales, Map.of("to", to, "version", v))).path("version").asLong();
        }
        return contractFor(sales, customerId);
    }

    private static Deal contractFor(String sales, String customerId) throws Exception {
        JsonNode k = created(call("POST", "/contracts", sales, Map.of("customerId", customerId, "cabinets", 1, "uCount", 10,
                "powerKw", "4.0", "bandwidthMbps", 100, "ipCount", 8, "monthlyFee", "6800.00", "startDate", "2026-12-01",
                "endDate", "2027-11-30")));
        String contractId = k.path("contractId").asText();
        ok(call("POST", "/contracts/" + contractId + "/transitions", sales, Map.of("to", "ACTIVE", "version", k.path("version").asLong())));
        return new Deal(customerId, contractId, k.path("serial").asText());
    }

    private static String startRacking(Deal d) throws Exception {
        return created(call("POST", "/racking-flows", "li.lei", Map.of("contractSerial", d.serial(), "plannedDate", "2026-12-03",
                "devices", List.of(Map.of("model", "Dell PowerEdge R750", "uHeight", 2))))).path("flowId").asText();
    }

    private static synchronized int units() {
        int u = nextU;
        nextU += 3;
        return u;
    }

    private static int approveAndAllocate(String flowId) throws Exception {
        complete("sun.wei", flowId, "OPS_REVIEW", Map.of("note", "设备清单已核对"));
        int u = units();
        complete("ma.jun", flowId, "RESOURCE_ALLOCATION", Map.of("rackId", rackId, "uFrom", u, "uTo", u + 1, "powerKw", 2,
                "prefixId", prefixId, "ipCount", 4, "bandwidthMbps", 100));
        return u;
    }

    private static JsonNode flowEnded(String flowId, String user) throws Exception {
        return await("/racking-flows/" + flowId, user, b -> !b.path("status").asText().equals("RUNNING"));
    }

    private static String executionStatus(String executionArn) throws Exception {
        for (int i = 0; i < 200; i++) {
            String s = sfn("DescribeExecution", Map.of("executionArn", executionArn)).path("status").asText();
            if (!s.equals("RUNNING")) {
                return s;
            }
            Thread.sleep(50);
        }
        return "RUNNING";
    }

    private static Deal racked(Deal d) throws Exception {
        String flowId = startRacking(d);
        int u = approveAndAllocate(flowId);
        complete("ma.jun", flowId, "PHYSICAL_RACKING", Map.of("devices", List.of(Map.of("model", "Dell PowerEdge R750",
                "serial", "SN" + SEQ.incrementAndGet(), "u", u, "uHeight", 2))));
        complete("li.lei", flowId, "ACCEPTANCE", Map.of("note", "客户现场验收通过"));
        assertThat(flowEnded(flowId, "li.lei").path("status").asText()).isEqualTo("COMPLETED");
        return d;
    }

    // ---- the tests ----

    @Test
    void happyPathFromContractToInServiceAsEachRole() throws Exception {
        Deal d = activeContract("li.lei");
        String flowId = startRacking(d);
        JsonNode review = inboxItem("sun.wei", flowId, "OPS_REVIEW");
        assertThat(review.path("stageLabel").asText()).isEqualTo("运维审核");
        // sales follows the flow but may not do operations' stage
        assertThat(call("POST", "/work-items/" + flowId + ".OPS_REVIEW/complete", "li.lei", Map.of()).status()).isEqualTo(403);
        int u = approveAndAllocate(flowId);
        complete("ma.jun", flowId, "PHYSICAL_RACKING", Map.of("devices", List.of(Map.of("model", "Dell PowerEdge R750",
                "serial", "CN7X2A1E2E", "u", u, "uHeight", 2))));
        complete("li.lei", flowId, "ACCEPTANCE", Map.of("note", "客户现场验收通过"));
        JsonNode done = flowEnded(flowId, "li.lei");
        assertThat(done.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(done.path("stages")).hasSize(4);
        assertThat(done.path("allocations").toString()).contains("OCCUPIED").doesNotContain("RESERVED");
        assertThat(ok(call("GET", "/customers/" + d.customerId(), "li.lei", null)).path("status").asText()).isEqualTo("IN_SERVICE");
        assertThat(ok(call("GET", "/contracts/" + d.contractId() + "/racking-flows", "wang.fang", null)).path("items")).hasSize(1);
        JsonNode elevation = ok(call("GET", "/racks/" + rackId + "/elevation", "sun.wei", null));
        assertThat(elevation.path("units").toString()).contains("OCCUPIED");

        String executionArn = done.path("executionArn").asText();
        assertThat(executionStatus(executionArn)).isEqualTo("SUCCEEDED");
        JsonNode events = sfn("GetExecutionHistory", Map.of("executionArn", executionArn, "maxResults", 1000)).path("events");
        long transitions = 0;
        for (JsonNode e : events) {
            if (e.path("type").asText().endsWith("StateEntered")) {
                transitions++;
            }
        }
        System.out.println("racking happy path: " + transitions + " state transitions (states entered), " + events.size() + " history events");
        assertThat(transitions).isEqualTo(5);
    }

    @Test
    void rejectionAtReviewEndsTheFlowRejected() throws Exception {
        Deal d = activeContract("li.lei");
        String flowId = startRacking(d);
        complete("ma.jun", flowId, "OPS_REVIEW", Map.of("decision", "REJECT", "reason", "设备功耗超出合同"));
        JsonNode ended = flowEnded(flowId, "li.lei");
        assertThat(ended.path("status").asText()).isEqualTo("REJECTED");
        assertThat(ended.path("rejection").path("reason").asText()).isEqualTo("设备功耗超出合同");
        // a business rejection is an outcome, not a failed execution: it ends in a Succeed state with the outcome
        String arn = ended.path("executionArn").asText();
        assertThat(executionStatus(arn)).isEqualTo("SUCCEEDED");
        JsonNode output = JSON.readTree(sfn("DescribeExecution", Map.of("executionArn", arn)).path("output").asText());
        assertThat(output.path("status").asText()).isEqualTo("REJECTED");
        assertThat(output.path("rejection").path("stage").asText()).isEqualTo("OPS_REVIEW");
        assertThat(ok(call("GET", "/customers/" + d.customerId(), "li.lei", null)).path("status").asText()).isEqualTo("SIGNED");
    }

    @Test
    void rejectionAfterAllocationReleasesTheReservation() throws Exception {
        Deal d = activeContract("li.lei");
        String flowId = startRacking(d);
        int u = approveAndAllocate(flowId);
        JsonNode reserved = ok(call("GET", "/racks/" + rackId + "/elevation", "sun.wei", null));
        assertThat(unit(reserved, u).path("front").path("status").asText()).isEqualTo("RESERVED");
        complete("ma.jun", flowId, "PHYSICAL_RACKING", Map.of("decision", "REJECT", "reason", "客户设备未到货"));
        JsonNode ended = flowEnded(flowId, "li.lei");
        assertThat(ended.path("status").asText()).isEqualTo("REJECTED");
        assertThat(ended.path("allocations").toString()).contains("RELEASED").doesNotContain("RESERVED");
        JsonNode free = ok(call("GET", "/racks/" + rackId + "/elevation", "sun.wei", null));
        assertThat(unit(free, u).path("front").path("status").asText()).isEqualTo("FREE");
    }

    private static JsonNode unit(JsonNode elevation, int u) {
        for (JsonNode row : elevation.path("units")) {
            if (row.path("u").asInt() == u) {
                return row;
            }
        }
        throw new AssertionError("U" + u);
    }

    @Test
    void deadlinePassingEscalatesToTheManagerAndTheFlowKeepsWaiting() throws Exception {
        Deal d = activeContract("li.lei");
        String flowId;
        synchronized (RackingFlowEndToEndTest.class) {
            // UpdateFunctionConfiguration, as one would in AWS: environments started from now on get the new variable
            stack.lambda().updateEnvironment("RackingFunction", Map.of("STAGE_DEADLINES", "OPS_REVIEW=4"));
            try {
                flowId = startRacking(d);
            } finally {
                stack.lambda().updateEnvironment("RackingFunction", Map.of("STAGE_DEADLINES", ""));
            }
        }
        // the escalation step flags the stage, then writes its history entry: wait for both
        JsonNode escalated = await("/racking-flows/" + flowId, "li.lei",
                b -> b.path("stages").path(0).path("escalated").asBoolean(false)
                        && b.path("history").toString().contains("STAGE_ESCALATED"));
        assertThat(escalated.path("stages").path(0).path("escalatedTo").asText()).isEqualTo("sun.wei");
        assertThat(escalated.path("history").toString()).contains("STAGE_ESCALATED");
        assertThat(escalated.path("status").asText()).isEqualTo("RUNNING");
        // the manager's inbox has it, and completing it moves the flow on
        complete("sun.wei", flowId, "OPS_REVIEW", Map.of("note", "经理批准"));
        inboxItem("ma.jun", flowId, "RESOURCE_ALLOCATION");
    }

    @Test
    void terminationReleasesResourcesAndTerminatesTheCustomer() throws Exception {
        Deal d = racked(activeContract("li.lei"));
        assertThat(call("POST", "/terminations", "li.lei", Map.of("contractSerial", d.serial(), "reason", "x")).status()).isEqualTo(403);
        String flowId = created(call("POST", "/terminations", "wang.fang", Map.of("contractSerial", d.serial(),
                "reason", "客户业务迁移"))).path("flowId").asText();
        complete("sun.wei", flowId, "UNRACKING", Map.of("note", "安排周五下架"));
        complete("ma.jun", flowId, "REMOVAL_CONFIRMATION", Map.of("removedDevices", List.of("CN7X2A1")));
        JsonNode done = await("/terminations/" + flowId, "wang.fang", b -> !b.path("status").asText().equals("RUNNING"));
        assertThat(done.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(done.path("customerTerminated").asBoolean()).isTrue();
        assertThat(done.path("allocations").toString()).contains("RELEASED").doesNotContain("OCCUPIED");
        assertThat(ok(call("GET", "/contracts/" + d.contractId(), "li.lei", null)).path("status").asText()).isEqualTo("TERMINATED");
        assertThat(ok(call("GET", "/customers/" + d.customerId(), "li.lei", null)).path("status").asText()).isEqualTo("TERMINATED");
        assertThat(executionStatus(done.path("executionArn").asText())).isEqualTo("SUCCEEDED");
    }
}
