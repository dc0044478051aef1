package com.rackflow.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static com.rackflow.local.stack.ApiClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Staff changes end to end on the shared local stack. A staff departure through the local API and the local Step
 * Functions engine (east region: wang.fang manager): a salesperson leaves; the manager hands her customers, with their
 * activities and contract, to a colleague and herself in one request; the flow moves them in batches; the colleagues see
 * the records; the departed gets no token any more. A departure or a role change takes effect on the person's next
 * request, although API Gateway still holds the authorizer's decision for their token (ReauthorizeEvery 300 s): the
 * functions read the caller's profile each time. The people who leave, are disabled or demoted are made by the admin for
 * each test (the demo staff stay as other classes on the stack expect them); chen.jing, the south manager, checks that
 * another region's manager does not see the departing salesperson.
 */
@ExtendWith(TestStacks.class)
class StaffChangesEndToEndTest {
    private static final String SUFFIX = Long.toString(System.nanoTime() % 1_000_000);
    private static LocalStack stack;
    private static ApiClient api;

    @BeforeAll
    static void start(LocalStack shared) {
        stack = shared;
        api = new ApiClient(shared);
    }

    /** A new ACTIVE member of staff, made by the admin through the directory API. */
    private static String member(String name, String displayName, String role, String departmentId) throws Exception {
        String userId = "e2e." + name + "." + SUFFIX;
        expect(api.call("POST", "/directory/users", "admin", Map.of("userId", userId, "displayName", displayName, "role", role,
                "departmentId", departmentId), "Idempotency-Key", "staff-" + userId), 201);
        return userId;
    }

    private static String customer(String owner, String name, String phone) throws Exception {
        return expect(api.call("POST", "/customers", owner, Map.of("companyName", name, "region", "east", "source", "REFERRAL",
                "contacts", List.of(Map.of("name", "周工", "phone", phone))), "Idempotency-Key", "dep-" + phone), 201)
                .path("customerId").asText();
    }

    private static List<String> customerIds(String user) throws Exception {
        List<String> ids = new ArrayList<>();
        expect(api.call("GET", "/customers?limit=100", user, null), 200).path("items").forEach(c -> ids.add(c.path("customerId").asText()));
        return ids;
    }

    @Test
    void aManagerHandsADepartingSalespersonsRecordsToTwoColleagues() throws Exception {
        String leaving = member("leaving", "离职销售", "SALES", "east");
        String colleague = member("colleague", "接手同事", "SALES", "east");
        String signed = customer(leaving, "离职交接测试云" + SUFFIX + "有限公司", "1351" + String.format("%07d", Integer.parseInt(SUFFIX)));
        customer(leaving, "离职交接测试数据" + SUFFIX + "有限公司", "1352" + String.format("%07d", Integer.parseInt(SUFFIX)));
        customer(leaving, "离职交接测试网络" + SUFFIX + "有限公司", "1353" + String.format("%07d", Integer.parseInt(SUFFIX)));
        long v = 1;
        for (String to : List.of("CONTACTED", "NEGOTIATING", "SIGNED")) {
            v = expect(api.call("POST", "/customers/" + signed + "/transitions", leaving, Map.of("to", to, "version", v)), 200)
                    .path("version").asLong();
        }
        for (String type : List.of("CALL", "VISIT")) {
            expect(api.call("POST", "/customers/" + signed + "/activities", leaving, Map.of("type", type,
                    "occurredAt", "2026-11-27T02:30:00Z", "summary", "沟通机柜需求"), "Idempotency-Key", "dep-act-" + type + SUFFIX), 201);
        }
        String contractId = expect(api.call("POST", "/contracts", leaving, Map.of("customerId", signed, "cabinets", 1, "uCount", 10,
                "powerKw", "4.0", "bandwidthMbps", 100, "ipCount", 8, "monthlyFee", "6800.00", "startDate", "2026-12-01",
                "endDate", "2027-11-30"), "Idempotency-Key", "dep-contract-" + SUFFIX), 201).path("contractId").asText();
        List<String> hers = customerIds(leaving);
        assertThat(hers).hasSize(3).contains(signed);
        Set<String> colleaguesBefore = new HashSet<>(customerIds(colleague));

        // sales may not start a departure; a manager of another region does not see her
        expect(api.call("POST", "/staff-departures", "li.lei", Map.of("departingUserId", leaving, "receivers", List.of("wang.fang"))), 403);
        expect(api.call("POST", "/staff-departures", "chen.jing", Map.of("departingUserId", leaving, "receivers", List.of("liu.yang"))), 404);
        ApiClient.Answer bad = api.call("POST", "/staff-departures", "wang.fang", Map.of("departingUserId", leaving,
                "receivers", List.of("liu.yang")));
        expect(bad, 400);
        assertThat(bad.error().path("violations").toString()).contains("receivers[0]", "sameDepartment");

        ApiClient.Answer started = api.call("POST", "/staff-departures", "wang.fang", Map.of("departingUserId", leaving,
                "receivers", List.of(colleague, "wang.fang"), "split", "ROUND_ROBIN", "note", "离职交接"),
                "Idempotency-Key", "dep-" + leaving);
        JsonNode d = expect(started, 201);
        String id = d.path("departureId").asText();
        assertThat(started.header("Location")).isEqualTo("/staff-departures/" + id);

        JsonNode done = null;
        for (int i = 0; i < 600 && done == null; i++) {
            JsonNode now = expect(api.call("GET", "/staff-departures/" + id, "wang.fang", null), 200);
            if (!now.path("status").asText().equals("RUNNING")) {
                done = now;
            } else {
                Thread.sleep(50);
            }
        }
        assertThat(done).as("the departure ended").isNotNull();
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("COMPLETED");
        assertThat(done.path("moved").path("customers").asInt()).isEqualTo(hers.size());
        assertThat(done.path("moved").path("activities").asInt()).isEqualTo(2);
        assertThat(done.path("moved").path("contracts").asInt()).isEqualTo(1);
        assertThat(done.path("startedBy").asText()).isEqualTo("wang.fang");
        assertThat(done.path("receivers").toString()).contains(colleague, "wang.fang", "接手同事");
        assertThat(expect(api.call("GET", "/staff-departures", "admin", null), 200).path("items").toString()).contains(id);

        // the colleagues see the records: round robin gives each at least one customer, the contract follows its customer
        List<String> colleagues = customerIds(colleague);
        List<String> moved = new ArrayList<>(colleagues);
        moved.removeAll(colleaguesBefore);
        assertThat(moved).isNotEmpty();
        JsonNode signedNow = expect(api.call("GET", "/customers/" + signed, "wang.fang", null), 200);
        String newOwner = signedNow.path("ownerId").asText();
        assertThat(newOwner).isIn(colleague, "wang.fang");
        for (String c : hers) {
            assertThat(expect(api.call("GET", "/customers/" + c, "wang.fang", null), 200).path("ownerId").asText()).isIn(colleague, "wang.fang");
        }
        assertThat(hers.stream().filter(colleagues::contains).count()).isBetween(1L, (long) hers.size() - 1);
        JsonNode contract = expect(api.call("GET", "/contracts/" + contractId, newOwner, null), 200);
        assertThat(contract.path("ownerId").asText()).isEqualTo(newOwner);
        JsonNode activities = expect(api.call("GET", "/customers/" + signed + "/activities", newOwner, null), 200);
        assertThat(activities.path("items")).hasSize(2);
        activities.path("items").forEach(a -> assertThat(a.path("ownerId").asText()).isEqualTo(newOwner));
        JsonNode history = expect(api.call("GET", "/customers/" + signed + "/history", "wang.fang", null), 200);
        assertThat(history.path("items").path(0).path("action").asText()).isEqualTo("REASSIGNED");
        assertThat(history.path("items").path(0).path("note").asText()).contains(id);

        // the departed salesperson gets no token any more
        HttpResponse<String> token = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(stack.identityProvider().tokenUrl()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + leaving + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(token.statusCode()).isEqualTo(403);
        assertThat(token.body()).contains("USER_NOT_ACTIVE");
    }

    private static String version(String userId) throws Exception {
        return "\"" + expect(api.call("GET", "/directory/users/" + userId, "admin", null), 200).path("version").asLong() + "\"";
    }

    @Test
    void aDisabledUsersNextRequestIsRefusedWhileTheGatewayStillCachesTheirToken() throws Exception {
        String disabled = member("disabled", "停用销售", "SALES", "south");
        expect(api.call("GET", "/customers", disabled, null), 200);
        String version = version(disabled);
        int authorizations = stack.lambda().invocationCount("AuthorizerFunction");
        expect(api.call("POST", "/directory/users/" + disabled + "/disable", "admin", Map.of(), "If-Match", version), 200);

        ApiClient.Answer refused = api.call("GET", "/customers", disabled, null);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.error().path("code").asText()).isEqualTo("UNAUTHORIZED");
        assertThat(refused.error().path("message").asText()).contains("not an active member of staff");
        assertThat(api.call("POST", "/customers", disabled, Map.of("companyName", "离职后创建的客户有限公司",
                "contacts", java.util.List.of(Map.of("name", "王五", "phone", "13900000077")))).status()).isEqualTo(401);
        assertThat(stack.lambda().invocationCount("AuthorizerFunction"))
                .as("both tokens' decisions came from the gateway's cache: the refusal is the function's").isEqualTo(authorizations);
    }

    @Test
    void aDemotedManagerLosesTheReportsAndTheDepartmentAtOnce() throws Exception {
        String demoted = member("demoted", "降职经理", "REGIONAL_MANAGER", "south");
        expect(api.call("GET", "/reports/contract-expiry", demoted, null), 200);
        JsonNode asManager = expect(api.call("GET", "/customers?limit=100", demoted, null), 200);
        expect(api.call("PATCH", "/directory/users/" + demoted, "admin", Map.of("role", "SALES"), "If-Match", version(demoted)), 200);

        ApiClient.Answer reports = api.call("GET", "/reports/contract-expiry", demoted, null);
        assertThat(reports.status()).isEqualTo(403);
        assertThat(reports.error().path("code").asText()).isEqualTo("FORBIDDEN");
        JsonNode asSales = expect(api.call("GET", "/customers?limit=100", demoted, null), 200);
        assertThat(asManager.path("items").size()).as("the south region's customers").isPositive();
        asSales.path("items").forEach(c -> assertThat(c.path("ownerId").asText()).as("only their own now").isEqualTo(demoted));
        assertThat(asSales.path("items").size()).isLessThan(asManager.path("items").size());
    }
}
