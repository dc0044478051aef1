package com.rackflow.local.stack;

import static com.rackflow.local.stack.ApiClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * kill -9 of the whole local stack (its JVM and every process it started) during a burst of keyed creates (customers,
 * activities, contracts, service records, racking starts), then a restart on the same {@code --persist} folder and
 * every request retried with its Idempotency-Key: each answers 2xx with its one record, nothing exists twice (one
 * racking flow per contract, with its one execution).
 */
class StackKillTest {
    private static final int EACH = 20;
    private static final int RACKING_STARTS = 10;

    /** One keyed create: who sends it, where, what, and the id field of its answer. */
    private record Create(String kind, String user, String path, Map<String, Object> body, String key, String idField) {
    }

    @TempDir
    Path root;

    @Test
    void keyedCreatesAreEachMadeOnceAcrossAKillNineAndRetries() throws Exception {
        StackProcess.killAndRestart(root, this::burstKillRestartRetry);
    }

    private void burstKillRestartRetry(StackProcess first, StackProcess.Restart restart) throws Exception {
        String run = String.format("%05d", System.nanoTime() % 100_000);

        ApiClient api = first.client();
        String prospect = expect(api.call("POST", "/customers", "zhao.min", customer("杀进程演练甲" + run + "数据有限公司", "135" + run + "001"),
                "Idempotency-Key", "kill9-prospect-" + run), 201).path("customerId").asText();
        String signed = expect(api.call("POST", "/customers", "zhao.min", customer("杀进程演练乙" + run + "网络有限公司", "135" + run + "002"),
                "Idempotency-Key", "kill9-signed-" + run), 201).path("customerId").asText();
        String racked = expect(api.call("POST", "/customers", "zhao.min", customer("杀进程演练丙" + run + "科技有限公司", "135" + run + "003"),
                "Idempotency-Key", "kill9-racked-" + run), 201).path("customerId").asText();
        for (String customerId : List.of(signed, racked)) {
            long v = 1;
            for (String to : List.of("CONTACTED", "NEGOTIATING", "SIGNED")) {
                v = expect(api.call("POST", "/customers/" + customerId + "/transitions", "zhao.min", Map.of("to", to, "version", v)), 200)
                        .path("version").asLong();
            }
        }
        // racking starts need an ACTIVE contract each (one open flow per contract)
        Map<String, String> contractOfSerial = new HashMap<>();
        for (int i = 0; i < RACKING_STARTS; i++) {
            JsonNode k = expect(api.call("POST", "/contracts", "zhao.min", contract(racked), "Idempotency-Key", "kill9-rk-" + run + "-" + i), 201);
            expect(api.call("POST", "/contracts/" + k.path("contractId").asText() + "/transitions", "zhao.min",
                    Map.of("to", "ACTIVE", "version", k.path("version").asLong())), 200);
            contractOfSerial.put(k.path("serial").asText(), k.path("contractId").asText());
        }

        List<Create> creates = new ArrayList<>();
        for (int i = 0; i < EACH; i++) {
            String n = String.format("%02d", i);
            creates.add(new Create("customer", "li.lei", "/customers",
                    customer("并发演练" + run + "号" + (char) ('甲' + i) + "云服务有限公司", "139" + run + "0" + n), "kill9-c-" + run + "-" + n, "customerId"));
            creates.add(new Create("activity", "zhao.min", "/customers/" + prospect + "/activities", Map.of("type", "CALL",
                    "occurredAt", "2026-11-27T02:" + n + ":00Z", "summary", "演练电话 " + n), "kill9-a-" + run + "-" + n, "activityId"));
            creates.add(new Create("contract", "zhao.min", "/contracts", contract(signed), "kill9-k-" + run + "-" + n, "contractId"));
            creates.add(new Create("service record", "zhou.qiang", "/service-records", Map.of("customerId", signed,
                    "type", "REMOTE_HANDS", "priority", "P3", "title", "演练工单 " + n, "description", "重启服务器 " + n),
                    "kill9-s-" + run + "-" + n, "serviceRecordId"));
        }
        int r = 0;
        for (String serial : contractOfSerial.keySet()) {
            creates.add(r++ * creates.size() / RACKING_STARTS, new Create("racking flow", "zhao.min", "/racking-flows",
                    Map.of("contractSerial", serial, "plannedDate", "2026-12-03", "devices", List.of(Map.of("model", "Dell R750", "uHeight", 2))),
                    "kill9-r-" + run + "-" + serial, "flowId"));
        }
        for (String user : List.of("li.lei", "zhao.min", "zhou.qiang")) {
            api.token(user);
        }

        Map<String, String> idsBeforeKill = new ConcurrentHashMap<>();
        AtomicInteger answered = new AtomicInteger();
        ExecutorService burst = Executors.newFixedThreadPool(8);
        for (Create c : creates) {
            burst.submit(() -> {
                try {
                    ApiClient.Answer a = api.call("POST", c.path(), c.user(), c.body(), "Idempotency-Key", c.key());
                    if (a.status() / 100 == 2) {
                        idsBeforeKill.put(c.key(), a.body().path(c.idField()).asText());
                    }
                } catch (Exception cutOff) {
                    // the stack was killed under this request
                }
                answered.incrementAndGet();
            });
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (answered.get() < creates.size() / 4 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        int answeredAtKill = answered.get();
        int createdAtKill = idsBeforeKill.size();
        first.killNine();
        burst.shutdown();
        assertThat(burst.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        assertThat(idsBeforeKill.size()).as("the kill came in the middle of the burst").isBetween(1, creates.size() - 1);

        System.out.printf("kill -9 when %d of %d keyed creates were answered (%d with 2xx); %d answered 2xx in all before the stack died%n",
                answeredAtKill, creates.size(), createdAtKill, idsBeforeKill.size());
        ApiClient again = restart.secondStack();
        Map<String, Set<String>> idsByKind = new HashMap<>();
        for (Create c : creates) {
            ApiClient.Answer a = again.call("POST", c.path(), c.user(), c.body(), "Idempotency-Key", c.key());
            assertThat(a.status() / 100).as("retry of %s %s: %s", c.kind(), c.key(), a.body()).isEqualTo(2);
            String id = a.body().path(c.idField()).asText();
            assertThat(id).isNotBlank();
            if (idsBeforeKill.containsKey(c.key())) {
                assertThat(id).as("the retry of an answered %s names the same record", c.kind()).isEqualTo(idsBeforeKill.get(c.key()));
            }
            assertThat(idsByKind.computeIfAbsent(c.kind(), k -> new HashSet<>()).add(id)).as("%s answered twice", id).isTrue();
        }

        assertThat(ids(again, "li.lei", "/customers?q=" + java.net.URLEncoder.encode("并发演练" + run, StandardCharsets.UTF_8), "customerId"))
                .as("customers").isEqualTo(idsByKind.get("customer"));
        assertThat(ids(again, "zhao.min", "/customers/" + prospect + "/activities", "activityId"))
                .as("activities").isEqualTo(idsByKind.get("activity"));
        assertThat(ids(again, "zhao.min", "/contracts?customer=" + signed, "contractId"))
                .as("contracts").isEqualTo(idsByKind.get("contract"));
        assertThat(ids(again, "zhou.qiang", "/service-records?customer=" + signed, "serviceRecordId"))
                .as("service records").isEqualTo(idsByKind.get("service record"));
        // one flow per contract, with its execution (named after the flow: a second start of it cannot exist)
        Set<String> flows = new HashSet<>();
        for (String contractId : contractOfSerial.values()) {
            JsonNode list = expect(again.call("GET", "/contracts/" + contractId + "/racking-flows", "zhao.min", null), 200);
            assertThat(list.path("items")).as("racking flows of contract %s", contractId).hasSize(1);
            JsonNode f = list.path("items").path(0);
            assertThat(f.path("executionArn").asText()).as("the execution of %s", f.path("flowId").asText())
                    .endsWith(":" + f.path("flowId").asText());
            flows.add(f.path("flowId").asText());
        }
        assertThat(flows).as("racking flows").isEqualTo(idsByKind.get("racking flow"));
    }

    private static Map<String, Object> contract(String customerId) {
        return Map.of("customerId", customerId, "cabinets", 1, "uCount", 42, "powerKw", "4.40", "bandwidthMbps", 100,
                "ipCount", 8, "monthlyFee", "6800.00", "startDate", "2026-12-01", "endDate", "2027-11-30");
    }

    private static Map<String, Object> customer(String name, String phone) {
        return Map.of("companyName", name, "region", "east", "source", "REFERRAL",
                "contacts", List.of(Map.of("name", "王强", "phone", phone, "serviceContact", true)));
    }

    /** Every id on every page of a list, failing on an id listed twice. */
    private static Set<String> ids(ApiClient api, String user, String path, String idField) throws Exception {
        Set<String> ids = new HashSet<>();
        String cursor = null;
        do {
            String page = path + (path.contains("?") ? "&" : "?") + "limit=100"
                    + (cursor == null ? "" : "&cursor=" + java.net.URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            JsonNode body = expect(api.call("GET", page, user, null), 200);
            for (JsonNode item : body.path("items")) {
                assertThat(ids.add(item.path(idField).asText())).as("%s listed twice", item.path(idField).asText()).isTrue();
            }
            cursor = body.path("nextCursor").isTextual() ? body.path("nextCursor").asText() : null;
        } while (cursor != null);
        return ids;
    }
}
