package com.rackflow.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static com.rackflow.local.stack.ApiClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CRM through the local API over HTTP, with tokens from the local identity provider and the demo staff
 * (li.lei and zhao.min: east sales; wang.fang: east manager; liu.yang: south sales; zhou.qiang: maintenance):
 * the README's curl session, and sales → activities → SIGNED → contract → maintenance's picker and service record.
 */
@ExtendWith(TestStacks.class)
class CrmEndToEndTest {
    private static ApiClient api;
    private static final String SUFFIX = Long.toString(System.nanoTime() % 1_000_000);

    @BeforeAll
    static void start(LocalStack stack) {
        api = new ApiClient(stack);
    }

    private static Map<String, Object> customer(String name, String phone) {
        return Map.of("companyName", name, "region", "east", "source", "REFERRAL",
                "contacts", List.of(Map.of("name", "王强", "phone", phone, "serviceContact", true)));
    }

    @Test
    void createDuplicateTransitionListAsInTheReadme() throws Exception {
        String name = "南京紫金云计算" + SUFFIX + "有限公司";
        ApiClient.Answer created = api.call("POST", "/customers", "li.lei", customer(name, "1390000" + SUFFIX.substring(0, 4)),
                "Idempotency-Key", "e2e-readme-" + SUFFIX);
        JsonNode c = expect(created, 201);
        assertThat(c.path("code").asText()).matches("C\\d{4}-\\d{6}");
        assertThat(created.header("ETag")).isEqualTo("\"1\"");
        assertThat(created.header("Access-Control-Expose-Headers")).contains("ETag");
        assertThat(created.header("Access-Control-Allow-Origin")).isEqualTo("*");
        String id = c.path("customerId").asText();

        ApiClient.Answer retried = api.call("POST", "/customers", "li.lei", customer(name, "1390000" + SUFFIX.substring(0, 4)),
                "Idempotency-Key", "e2e-readme-" + SUFFIX);
        assertThat(expect(retried, 201).path("customerId").asText()).isEqualTo(id);

        ApiClient.Answer dup = api.call("POST", "/customers", "liu.yang",
                customer("南京 紫金云计算" + SUFFIX + "（集团）股份有限公司", "1370000" + SUFFIX.substring(0, 4)));
        expect(dup, 409);
        assertThat(dup.error().path("code").asText()).isEqualTo("DUPLICATE_CUSTOMER");
        assertThat(dup.error().path("details").path("existingCode").asText()).isEqualTo(c.path("code").asText());
        assertThat(dup.error().path("details").path("existingOwnerName").asText()).isEqualTo("李雷");

        JsonNode contacted = expect(api.call("POST", "/customers/" + id + "/transitions", "li.lei", Map.of("to", "CONTACTED"),
                "If-Match", "\"1\""), 200);
        assertThat(contacted.path("status").asText()).isEqualTo("CONTACTED");
        ApiClient.Answer skip = api.call("POST", "/customers/" + id + "/transitions", "li.lei", Map.of("to", "SIGNED"),
                "If-Match", "\"2\"");
        expect(skip, 409);
        assertThat(skip.error().path("details").path("allowed").toString()).contains("NEGOTIATING");
        ApiClient.Answer stale = api.call("PATCH", "/customers/" + id, "wang.fang", Map.of("notes", "x"), "If-Match", "\"1\"");
        expect(stale, 409);
        assertThat(stale.error().path("code").asText()).isEqualTo("VERSION_CONFLICT");

        JsonNode list = expect(api.call("GET", "/customers?status=CONTACTED&limit=100", "li.lei", null), 200);
        assertThat(list.path("items").toString()).contains(id);
        expect(api.call("GET", "/customers/" + id, "liu.yang", null), 404);
        expect(api.call("GET", "/customers/" + id, "wang.fang", null), 200);
        JsonNode history = expect(api.call("GET", "/customers/" + id + "/history", "li.lei", null), 200);
        assertThat(history.path("items").path(0).path("action").asText()).isEqualTo("STATUS_CHANGED");
    }

    @Test
    void badInputIsA400NamingFieldAndRuleThroughTheGateway() throws Exception {
        ApiClient.Answer bad = api.call("POST", "/customers", "li.lei",
                "{\"companyName\":\"\",\"creditCode\":\"123\",\"contacts\":[{\"name\":\"x\",\"phone\":\"12\"}],\"colour\":\"red\"}");
        expect(bad, 400);
        assertThat(bad.error().path("violations").toString()).contains("\"field\":\"colour\"", "\"rule\":\"unknown\"",
                "\"field\":\"companyName\"", "\"field\":\"creditCode\"", "\"field\":\"contacts[0].phone\"");
        ApiClient.Answer malformed = api.call("POST", "/customers", "li.lei", "{\"companyName\": ");
        expect(malformed, 400);
        assertThat(malformed.error().path("violations").path(0).path("field").asText()).isEqualTo("body");
        assertThat(malformed.body().toString()).doesNotContain("Exception").doesNotContain("at com.");
    }

    @Test
    void salesToSignedContractThenMaintenanceServesTheCustomer() throws Exception {
        String name = "苏州星链数据" + SUFFIX + "有限公司";
        JsonNode c = expect(api.call("POST", "/customers", "zhao.min", customer(name, "1360000" + SUFFIX.substring(0, 4)),
                "Idempotency-Key", "e2e-crm-" + SUFFIX), 201);
        String id = c.path("customerId").asText();
        expect(api.call("POST", "/customers/" + id + "/activities", "zhao.min", Map.of("type", "CALL",
                "occurredAt", "2026-11-27T02:30:00Z", "durationMinutes", 15, "summary", "电话沟通机柜需求",
                "outcome", "约定现场参观", "nextFollowUpDate", "2026-12-02"), "Idempotency-Key", "e2e-call-" + SUFFIX), 201);
        expect(api.call("POST", "/customers/" + id + "/activities", "zhao.min", Map.of("type", "VISIT",
                "occurredAt", "2026-11-27T06:00:00Z", "summary", "现场参观机房"), "Idempotency-Key", "e2e-visit-" + SUFFIX), 201);
        JsonNode activities = expect(api.call("GET", "/customers/" + id + "/activities", "zhao.min", null), 200);
        assertThat(activities.path("items")).hasSize(2);
        assertThat(activities.path("items").path(0).path("type").asText()).isEqualTo("VISIT");

        // maintenance may not open a customer that is not signed, nor record service for it
        ApiClient.Answer early = api.call("POST", "/service-records", "zhou.qiang", Map.of("customerId", id, "type", "FAULT",
                "priority", "P2", "title", "端口故障", "description", "上联端口频繁断开"));
        expect(early, 409);

        long v = 1;
        for (String to : List.of("CONTACTED", "NEGOTIATING", "SIGNED")) {
            v = expect(api.call("POST", "/customers/" + id + "/transitions", "zhao.min", Map.of("to", to, "version", v)), 200)
                    .path("version").asLong();
        }
        JsonNode contract = expect(api.call("POST", "/contracts", "zhao.min", Map.of("customerId", id, "cabinets", 1,
                "uCount", 42, "powerKw", "4.40", "bandwidthMbps", 100, "ipCount", 8, "monthlyFee", "6800.00",
                "startDate", "2026-12-01", "endDate", "2027-11-30"), "Idempotency-Key", "e2e-contract-" + SUFFIX), 201);
        String serial = contract.path("serial").asText();
        assertThat(serial).matches("HT\\d{10}").hasSize(12);
        expect(api.call("GET", "/contracts/by-serial/" + serial, "zhao.min", null), 200);
        ApiClient.Answer badSerial = api.call("GET", "/contracts/by-serial/HT12", "zhao.min", null);
        expect(badSerial, 400);

        ApiClient.Answer denied = api.call("GET", "/customers/" + id, "zhou.qiang", null);
        expect(denied, 403);
        assertThat(denied.body().toString()).doesNotContain(name);
        String q = URLEncoder.encode("星链数据" + SUFFIX, StandardCharsets.UTF_8);
        JsonNode picker = expect(api.call("GET", "/pickers/signed-customers?q=" + q, "zhou.qiang", null), 200);
        assertThat(picker.path("items")).hasSize(1);
        JsonNode entry = picker.path("items").path(0);
        assertThat(entry.path("code").asText()).isEqualTo(c.path("code").asText());
        assertThat(entry.path("contractSerials").toString()).contains(serial);
        assertThat(entry.has("notes") || entry.has("creditCode") || entry.has("ownerId") || entry.has("region")).isFalse();

        JsonNode record = expect(api.call("POST", "/service-records", "zhou.qiang", Map.of("customerId", id,
                "type", "REMOTE_HANDS", "priority", "P3", "title", "重启服务器", "description", "客户请求重启服务器"),
                "Idempotency-Key", "e2e-sr-" + SUFFIX), 201);
        assertThat(record.path("ticketNumber").asText()).startsWith("SR");
        assertThat(record.path("status").asText()).isEqualTo("OPEN");
        // the owner reads service records of their own customer; another region's salesperson cannot
        expect(api.call("GET", "/service-records/" + record.path("serviceRecordId").asText(), "zhao.min", null), 200);
        expect(api.call("GET", "/service-records/" + record.path("serviceRecordId").asText(), "liu.yang", null), 404);
    }
}
