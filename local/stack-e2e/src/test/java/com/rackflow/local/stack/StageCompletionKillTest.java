package com.rackflow.local.stack;

import static com.rackflow.local.stack.ApiClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * kill -9 of the whole local stack (functions, Step Functions, DynamoDB and the front) while people complete racking
 * stages, then a restart on the same data and the clients retrying what they were doing: every flow reaches its end
 * with one STAGE_COMPLETED per stage, and nothing is left RESERVED (issue 12's operator finding, as a test).
 */
class StageCompletionKillTest {
    private static final int FLOWS = 4;
    private static final List<String> STAGES = List.of("OPS_REVIEW", "RESOURCE_ALLOCATION", "PHYSICAL_RACKING", "ACCEPTANCE");

    @TempDir
    Path root;

    /** One flow's stages: who completes each and with which form (the same form on every retry). */
    private record Plan(String flowId, Map<String, String> who, Map<String, Map<String, Object>> forms) {
    }

    @Test
    void completionsCutByAKillNineAreFinishedByTheRetriesAndEveryFlowEnds() throws Exception {
        StackProcess.killAndRestart(root, (first, restart) -> {
            FlowApi flows = new FlowApi(first.client(), first.stepFunctions()).withInventory();
            List<Plan> plans = new ArrayList<>();
            for (int i = 0; i < FLOWS; i++) {
                String flowId = flows.startRacking(flows.activeContract());
                Map<String, Object> allocation = flows.allocation();
                int u = (Integer) allocation.get("uFrom");
                Map<String, Map<String, Object>> forms = new LinkedHashMap<>();
                forms.put("OPS_REVIEW", Map.of("note", "同意"));
                forms.put("RESOURCE_ALLOCATION", allocation);
                forms.put("PHYSICAL_RACKING", Map.of("devices", List.of(Map.of("model", "Dell PowerEdge R750",
                        "serial", "KILL" + flowId.hashCode() + "U" + u, "u", u, "uHeight", 2))));
                forms.put("ACCEPTANCE", Map.of("note", "客户已验收"));
                plans.add(new Plan(flowId, Map.of("OPS_REVIEW", "sun.wei", "RESOURCE_ALLOCATION", "ma.jun",
                        "PHYSICAL_RACKING", "ma.jun", "ACCEPTANCE", "li.lei"), forms));
            }
            for (String user : List.of("sun.wei", "ma.jun", "li.lei")) {
                flows.api.token(user);
            }

            AtomicInteger answered = new AtomicInteger();
            ExecutorService people = Executors.newFixedThreadPool(FLOWS);
            for (Plan plan : plans) {
                people.submit(() -> {
                    try {
                        for (String stage : STAGES) {
                            finish(flows.api, plan, stage);
                            answered.incrementAndGet();
                        }
                    } catch (Throwable cutOff) {
                        // the stack was killed under this person's request
                    }
                });
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (answered.get() < FLOWS * STAGES.size() / 3 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            int atKill = answered.get();
            first.killNine();
            people.shutdown();
            assertThat(people.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            assertThat(atKill).as("the kill came in the middle of the completions").isBetween(1, FLOWS * STAGES.size() - 1);
            System.out.printf("kill -9 when %d of %d stage completions were answered%n", atKill, FLOWS * STAGES.size());

            ApiClient again = restart.secondStack();
            for (Plan plan : plans) {
                for (String stage : STAGES) {
                    finish(again, plan, stage);
                }
            }
            for (Plan plan : plans) {
                JsonNode flow = awaitFlow(again, plan.flowId());
                assertThat(flow.path("status").asText()).as(plan.flowId()).isEqualTo("COMPLETED");
                long completions = 0;
                for (JsonNode h : flow.path("history")) {
                    completions += h.path("action").asText().equals("STAGE_COMPLETED") ? 1 : 0;
                }
                assertThat(completions).as("%s: one STAGE_COMPLETED per stage", plan.flowId()).isEqualTo(STAGES.size());
                assertThat(flow.path("allocations").toString()).as(plan.flowId()).contains("OCCUPIED")
                        .doesNotContain("RESERVED").doesNotContain("RELEASED");
            }
        });
    }

    /**
     * What a person does until a stage is done: wait for the work item, complete it; a completion whose answer was
     * lost is sent again. 409 ALREADY_COMPLETED means it was done (and its flow answered); REQUEST_IN_PROGRESS means
     * the deciding request's delivery window is still open: ask again a moment later.
     */
    private static void finish(ApiClient api, Plan plan, String stage) throws Exception {
        String id = plan.flowId() + "." + stage;
        String who = plan.who().get(stage);
        for (int attempt = 0; attempt < 240; attempt++) {
            ApiClient.Answer item = api.call("GET", "/work-items/" + id, who, null);
            if (item.status() == 200) {
                ApiClient.Answer done = api.call("POST", "/work-items/" + id + "/complete", who, plan.forms().get(stage));
                String code = done.error().path("code").asText();
                if (done.status() == 200 || done.status() == 409 && code.equals("ALREADY_COMPLETED")) {
                    return;
                }
                assertThat(done.status() == 409 && code.equals("REQUEST_IN_PROGRESS") || done.status() == 503)
                        .as("completing %s: %s %s", id, done.status(), done.body()).isTrue();
            } else {
                assertThat(item.status()).as("%s: %s", id, item.body()).isIn(404, 503);
            }
            Thread.sleep(250);
        }
        throw new AssertionError(id + " was never completed");
    }

    private static JsonNode awaitFlow(ApiClient api, String flowId) throws Exception {
        JsonNode last = null;
        for (int i = 0; i < 240; i++) {
            last = expect(api.call("GET", "/racking-flows/" + flowId, "li.lei", null), 200);
            if (!last.path("status").asText().equals("RUNNING")) {
                return last;
            }
            Thread.sleep(250);
        }
        return last;
    }
}
