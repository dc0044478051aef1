package com.rackflow.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static com.rackflow.local.stack.ApiClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reports over HTTP through the local stack: li.lei (east sales) signs a contract that ends within 30 days; the east
 * manager wang.fang downloads the contract-expiry report as CSV (BOM, zh-CN headings, the name quoted), runs the
 * report job on demand (the local stack runs no schedules), and li.lei finds the reminder; sales may open no report.
 */
@ExtendWith(TestStacks.class)
class ReportsEndToEndTest {
    private static final LocalDate TODAY = LocalDate.now(ZoneId.of("Asia/Shanghai"));
    private static LocalStack stack;
    private static ApiClient api;
    private static final String SUFFIX = Long.toString(System.nanoTime() % 1_000_000);

    @BeforeAll
    static void start(LocalStack shared) {
        stack = shared;
        api = new ApiClient(shared);
    }

    private static HttpResponse<byte[]> download(String path, String userId) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(stack.apiBaseUrl().resolve(path))
                .header("Authorization", "Bearer " + api.token(userId)).header("Accept", "text/csv").GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void aManagerDownloadsTheContractExpiryReportAsCsvAndTheOwnerIsReminded() throws Exception {
        String name = "上海\"星河\",数据" + SUFFIX + "有限公司";
        JsonNode c = expect(api.call("POST", "/customers", "li.lei", Map.of("companyName", name, "region", "east", "source", "REFERRAL",
                "contacts", List.of(Map.of("name", "王强", "phone", "1391234" + String.format("%04d", Long.parseLong(SUFFIX) % 10000),
                        "serviceContact", true)))), 201);
        String id = c.path("customerId").asText();
        long v = 1;
        for (String to : List.of("CONTACTED", "NEGOTIATING", "SIGNED")) {
            v = expect(api.call("POST", "/customers/" + id + "/transitions", "li.lei", Map.of("to", to), "If-Match", "\"" + v + "\""), 200)
                    .path("version").asLong();
        }
        JsonNode k = expect(api.call("POST", "/contracts", "li.lei", Map.of("customerId", id, "cabinets", 1, "uCount", 42,
                "powerKw", "4.40", "bandwidthMbps", 100, "ipCount", 8, "monthlyFee", "6800.00",
                "startDate", TODAY.minusDays(335).toString(), "endDate", TODAY.plusDays(25).toString())), 201);
        String serial = k.path("serial").asText();
        expect(api.call("POST", "/contracts/" + k.path("contractId").asText() + "/transitions", "li.lei", Map.of("to", "ACTIVE"),
                "If-Match", "\"1\""), 200);

        HttpResponse<byte[]> csv = download("/reports/contract-expiry?within=30&format=csv", "wang.fang");
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type")).contains("text/csv; charset=utf-8");
        assertThat(csv.headers().firstValue("Content-Disposition").orElse("")).contains("contract-expiry_" + TODAY);
        byte[] bytes = csv.body();
        assertThat(new byte[]{bytes[0], bytes[1], bytes[2]}).as("UTF-8 byte-order mark").containsExactly(0xEF, 0xBB, 0xBF);
        String text = new String(bytes, StandardCharsets.UTF_8).substring(1);
        assertThat(text).startsWith("合同编号,客户编号,客户名称,业务员账号,业务员,部门,到期日,剩余天数,到期提醒档（天）,月费（元）\r\n");
        assertThat(text).contains(serial + "," + c.path("code").asText() + ",\"上海\"\"星河\"\",数据" + SUFFIX + "有限公司\",li.lei,李雷,east,"
                + TODAY.plusDays(25) + ",25,30,6800.00\r\n");

        HttpResponse<byte[]> south = download("/reports/contract-expiry?within=30&format=csv", "chen.jing");
        assertThat(new String(south.body(), StandardCharsets.UTF_8)).doesNotContain(serial);
        assertThat(download("/reports/contract-expiry?within=30&format=csv", "li.lei").statusCode()).as("sales: gateway 403").isEqualTo(403);
        ApiClient.Answer bad = api.call("GET", "/reports/racking?from=" + TODAY + "&to=" + TODAY.minusDays(1), "wang.fang", null);
        expect(bad, 400);
        assertThat(bad.error().path("violations").path(0).path("field").asText()).isEqualTo("to");

        // the stack is shared with other classes: count this test's invocations of the job function only
        int jobInvocations = stack.lambda().invocationCount("ReportJobFunction");
        JsonNode queued = expect(api.call("POST", "/reports/jobs", "wang.fang", Map.of()), 202);
        assertThat(queued.path("status").asText()).as("the API only queues it").isEqualTo("QUEUED");
        String runId = queued.path("runId").asText();
        JsonNode run = null;
        for (int i = 0; i < 300 && (run == null || !run.path("status").asText().equals("FINISHED")); i++) {
            Thread.sleep(100);
            JsonNode runs = expect(api.call("GET", "/reports/jobs?from=" + TODAY + "&to=" + TODAY, "wang.fang", null), 200);
            for (JsonNode r : runs.path("items")) {
                if (r.path("runId").asText().equals(runId)) {
                    run = r;
                }
            }
            assertThat(run).as("the queued run is in the log at once").isNotNull();
            assertThat(run.path("status").asText()).isNotEqualTo("FAILED");
        }
        assertThat(run.path("status").asText()).as("the job function ran it (Lambda asynchronous invocation)").isEqualTo("FINISHED");
        assertThat(run.path("scope").asText()).isEqualTo("DEPT#east");
        assertThat(stack.lambda().invocationCount("ReportJobFunction")).isEqualTo(jobInvocations + 1);
        JsonNode snapshots = expect(api.call("GET", "/reports/snapshots?day=" + TODAY.minusDays(1), "wang.fang", null), 200);
        assertThat(snapshots.path("items")).hasSize(6).allMatch(s -> s.path("scope").asText().equals("DEPT#east")
                && s.path("runId").asText().equals(runId));
        JsonNode reminders = expect(api.call("GET", "/reminders", "li.lei", null), 200);
        assertThat(reminders.path("items").toString()).contains(serial).contains("将于 " + TODAY.plusDays(25) + " 到期");
    }
}
