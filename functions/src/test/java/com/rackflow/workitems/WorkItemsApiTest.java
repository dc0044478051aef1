package com.rackflow.workitems;

import com.rackflow.access.Caller;
import com.rackflow.access.Role;
import com.rackflow.core.persistence.Table;
import com.rackflow.testing.Events;
import com.rackflow.testing.FlowStaff;
import com.rackflow.testing.LocalTable;
import com.rackflow.testing.RecordingCallbacks;
import com.rackflow.testing.Reply;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.Map;

import static com.rackflow.testing.Staff.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The inbox API with work items opened as the flows' stage tasks open them; answers to the flow are recorded. */
class WorkItemsApiTest {
    static final Caller OPS_LEAD = FlowStaff.OPS_LEAD;
    static Table table;
    static RecordingCallbacks sent;
    static WorkItemsHandler handler;
    static WorkItemService service;
    static int seq;

    @BeforeAll
    static void setUp() {
        table = LocalTable.create();
        FlowStaff.seed(table);
        sent = new RecordingCallbacks();
        handler = new WorkItemsHandler(table, sent);
        service = new WorkItemService(table, sent, Map.of(), Clock.systemUTC());
    }

    static WorkItem open(Stage stage, String token, String assignee, String dept) {
        String flowId = "RF-HT2026" + String.format("%06d", ++seq) + "-1";
        return service.open(new OpenStage(FlowType.RACKING, flowId, stage, token, "arn:aws:states:us-east-1:123456789012:execution:racking:" + flowId,
                3600, assignee, stage.role(), dept, "contract-" + seq, "HT2026" + String.format("%06d", seq), "cust-" + seq,
                "C2026-000001", "east.sales1", "east"));
    }

    static Reply complete(Caller c, String id, Object body) {
        return Reply.of(handler, Events.load("work-items/complete-work-item.json").as(c).id(id).body(body));
    }

    @Test
    void operationsSeesRoleItemsAndCompletingAnswersTheFlow() {
        WorkItem w = open(Stage.OPS_REVIEW, "token-a-" + seq, null, "operations");
        Reply inbox = Reply.of(handler, Events.load("work-items/list-work-items.json").as(OPERATIONS));
        assertThat(inbox.status()).isEqualTo(200);
        assertThat(inbox.body().path("items").toString()).contains(w.workItemId()).doesNotContain("taskToken");
        Reply salesInbox = Reply.of(handler, Events.load("work-items/list-work-items.json").as(EAST_SALES_1));
        assertThat(salesInbox.body().path("items").toString()).doesNotContain(w.workItemId());
        Reply get = Reply.of(handler, Events.load("work-items/get-work-item.json").as(OPERATIONS).id(w.workItemId()));
        assertThat(get.text("stageLabel")).isEqualTo("运维审核");
        assertThat(get.body().has("taskToken")).isFalse();
        Reply done = complete(OPERATIONS, w.workItemId(), Map.of("decision", "APPROVE", "note", "ok"));
        assertThat(done.status()).isEqualTo(200);
        assertThat(done.text("status")).isEqualTo("COMPLETED");
        assertThat(done.text("completedBy")).isEqualTo(OPERATIONS.userId());
        assertThat(sent.forToken(w.taskToken())).hasSize(1).allMatch(RecordingCallbacks.Sent::success);
        Reply again = complete(OPERATIONS, w.workItemId(), Map.of("decision", "APPROVE"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.errorCode()).isEqualTo("ALREADY_COMPLETED");
        assertThat(sent.forToken(w.taskToken())).hasSize(1);
        Reply doneList = Reply.of(handler, Events.load("work-items/list-work-items.json").as(OPERATIONS).clearQuery().query("status", "done"));
        assertThat(doneList.body().path("items").toString()).contains(w.workItemId());
    }

    @Test
    void wrongRoleIs403OutOfScopeIs404() {
        WorkItem w = open(Stage.OPS_REVIEW, "token-b-" + seq, null, "operations");
        // the contract's salesperson may follow the item but not complete an operations stage
        assertThat(Reply.of(handler, Events.load("work-items/get-work-item.json").as(EAST_SALES_1).id(w.workItemId())).status()).isEqualTo(200);
        assertThat(complete(EAST_SALES_1, w.workItemId(), Map.of()).status()).isEqualTo(403);
        // another region's salesperson does not even see it
        assertThat(Reply.of(handler, Events.load("work-items/get-work-item.json").as(SOUTH_SALES_1).id(w.workItemId())).status()).isEqualTo(404);
        assertThat(complete(SOUTH_SALES_1, w.workItemId(), Map.of()).status()).isEqualTo(404);
        assertThat(Reply.of(handler, Events.load("work-items/get-work-item.json").as(MAINTENANCE).id(w.workItemId())).status()).isEqualTo(404);
        assertThat(Reply.of(handler, Events.load("work-items/get-work-item.json").as(OPERATIONS).id("nonsense")).status()).isEqualTo(404);
        assertThat(sent.forToken(w.taskToken())).isEmpty();
    }

    @Test
    void personalItemOnlyForTheAssignee() {
        WorkItem w = open(Stage.ACCEPTANCE, "token-c-" + seq, "east.sales1", "east");
        Reply mine = Reply.of(handler, Events.load("work-items/list-work-items.json").as(EAST_SALES_1));
        assertThat(mine.body().path("items").toString()).contains(w.workItemId());
        assertThat(complete(EAST_SALES_2, w.workItemId(), Map.of()).status()).isEqualTo(404);
        assertThat(complete(OPERATIONS, w.workItemId(), Map.of()).status()).isEqualTo(403);
        assertThat(complete(EAST_SALES_1, w.workItemId(), Map.of("note", "客户确认")).status()).isEqualTo(200);
    }

    @Test
    void rejectionNeedsAReasonAndFailsTheTask() {
        WorkItem w = open(Stage.OPS_REVIEW, "token-d-" + seq, null, "operations");
        Reply noReason = complete(OPERATIONS, w.workItemId(), Map.of("decision", "REJECT"));
        assertThat(noReason.status()).isEqualTo(400);
        assertThat(noReason.firstViolationField()).isEqualTo("reason");
        Reply unknown = complete(OPERATIONS, w.workItemId(), Map.of("decision", "MAYBE", "colour", "red"));
        assertThat(unknown.status()).isEqualTo(400);
        Reply stale = complete(OPERATIONS, w.workItemId(), Map.of("decision", "APPROVE", "version", 99));
        assertThat(stale.errorCode()).isEqualTo("VERSION_CONFLICT");
        Reply rejected = complete(OPERATIONS, w.workItemId(), Map.of("decision", "REJECT", "reason", "机柜电力不足"));
        assertThat(rejected.status()).isEqualTo(200);
        assertThat(rejected.text("status")).isEqualTo("REJECTED");
        assertThat(sent.forToken(w.taskToken())).hasSize(1);
        RecordingCallbacks.Sent s = sent.forToken(w.taskToken()).get(0);
        assertThat(s.success()).isFalse();
        assertThat(s.error()).isEqualTo("Rejected");
        assertThat(s.cause()).contains("机柜电力不足");
    }

    @Test
    void openIsIdempotentAndReentryAfterDecisionAnswersAgain() {
        WorkItem w = open(Stage.OPS_REVIEW, "token-e-" + seq, null, "operations");
        OpenStage same = new OpenStage(FlowType.RACKING, w.flowId(), Stage.OPS_REVIEW, w.taskToken(), w.executionArn(), 3600, null,
                Role.OPERATIONS, "operations", w.contractId(), w.contractSerial(), w.customerId(), w.customerCode(), w.ownerId(), w.departmentId());
        assertThat(service.open(same).version()).isEqualTo(w.version());
        assertThat(service.ofFlow(FlowType.RACKING, w.flowId())).hasSize(1);
        complete(OPERATIONS, w.workItemId(), Map.of());
        OpenStage reentry = new OpenStage(FlowType.RACKING, w.flowId(), Stage.OPS_REVIEW, "token-e2", w.executionArn(), 3600, null,
                Role.OPERATIONS, "operations", w.contractId(), w.contractSerial(), w.customerId(), w.customerCode(), w.ownerId(), w.departmentId());
        service.open(reentry);
        assertThat(sent.forToken("token-e2")).hasSize(1).allMatch(RecordingCallbacks.Sent::success);
    }

    @Test
    void overdueStageIsEscalatedToTheDepartmentManagerOncePerDeadline() {
        WorkItem w = open(Stage.RESOURCE_ALLOCATION, "token-f-" + seq, null, "operations");
        WorkItem e = service.escalate(w.flowId(), Stage.RESOURCE_ALLOCATION).orElseThrow();
        assertThat(e.escalated()).isTrue();
        assertThat(e.escalatedTo()).isEqualTo(OPS_LEAD.userId());
        assertThat(service.escalate(w.flowId(), Stage.RESOURCE_ALLOCATION).orElseThrow().escalations()).isEqualTo(1);
        Reply lead = Reply.of(handler, Events.load("work-items/list-work-items.json").as(OPS_LEAD));
        assertThat(lead.body().path("items").toString()).contains(w.workItemId()).contains("\"escalated\":true");
        var history = new com.rackflow.core.history.History(table).list("RACKING_FLOW", w.flowId(), null, 20);
        assertThat(history.items()).anyMatch(h -> h.action().equals("STAGE_ESCALATED"));
    }

    @Test
    void parallelCompletionsDecideOnceAndAnswerTheFlowOnce() throws Exception {
        WorkItem w = open(Stage.OPS_REVIEW, "token-h-" + seq, null, "operations");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(10);
        java.util.List<java.util.concurrent.Future<Reply>> futures = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            futures.add(pool.submit(() -> complete(OPERATIONS, w.workItemId(), Map.of("note", "ok"))));
        }
        java.util.List<Integer> statuses = new java.util.ArrayList<>();
        for (var f : futures) {
            statuses.add(f.get().status());
        }
        pool.shutdown();
        assertThat(statuses.stream().filter(x -> x == 200).count()).isEqualTo(1);
        assertThat(statuses).containsOnly(200, 409);
        assertThat(sent.forToken(w.taskToken())).hasSize(1);
    }
}
