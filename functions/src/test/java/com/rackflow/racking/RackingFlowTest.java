package com.rackflow.racking;

import com.fasterxml.jackson.databind.JsonNode;
import com.rackflow.access.Caller;
import com.rackflow.access.Role;
import com.rackflow.contracts.Contract;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.core.json.Json;
import com.rackflow.core.persistence.Table;
import com.rackflow.testing.CrashingDynamo;
import com.rackflow.flows.ExecutionEndsHandler;
import com.rackflow.customers.CustomerService;
import com.rackflow.customers.CustomerStatus;
import com.rackflow.customers.CustomerStore;
import com.rackflow.customers.CustomerTransitions;
import com.rackflow.inventory.InventoryHandler;
import com.rackflow.testing.Deals;
import com.rackflow.testing.Events;
import com.rackflow.testing.FlowStaff;
import com.rackflow.testing.LocalTable;
import com.rackflow.testing.RecordingCallbacks;
import com.rackflow.testing.Reply;
import com.rackflow.workitems.FlowStarter;
import com.rackflow.workitems.Stage;
import com.rackflow.workitems.WorkItemsHandler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static com.rackflow.testing.Staff.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The racking flow's logic end to end without a Step Functions engine: the API (start, inbox, tracking) and the task
 * function invoked with the sample task events in the order the state machine invokes them.
 */
class RackingFlowTest {
    static final Caller OPS_LEAD = FlowStaff.OPS_LEAD;
    static final String SM = "arn:aws:states:us-east-1:123456789012:stateMachine:rackflow-racking-dev";
    static Table table;
    static RecordingCallbacks sent;
    static List<String> started;
    static RackingHandler racking;
    static WorkItemsHandler inbox;
    static InventoryHandler inventory;
    static FlowDriver flow;
    static Deals deals;
    static String rackId;
    static String prefixId;

    @BeforeAll
    static void setUp() {
        table = LocalTable.create();
        FlowStaff.seed(table);
        sent = new RecordingCallbacks();
        started = new CopyOnWriteArrayList<>();
        FlowStarter starter = (arn, name, input) -> {
            started.add(name);
            assertThat(input.path("deadlines").path("OPS_REVIEW").asLong()).isPositive();
            return FlowStarter.executionArn(arn, name);
        };
        racking = new RackingHandler(table, starter, sent, SM);
        inbox = new WorkItemsHandler(table, sent);
        inventory = new InventoryHandler(table, id -> java.util.Optional.empty());
        flow = new FlowDriver(new RackingTasksHandler(table, sent), sent);
        deals = new Deals(table);
        var made = com.rackflow.testing.TestInventory.create(inventory, "SH-RF01", "A-01");
        String siteId = made.siteId();
        rackId = made.rackId();
        prefixId = Reply.of(inventory, Events.load("inventory/create-ip-prefix.json").as(ADMIN).header("Idempotency-Key", null)
                .body(Map.of("siteId", siteId, "cidr", "203.0.113.0/24"))).text("prefixId");
    }

    static Reply start(Caller c, String serial) {
        return Reply.of(racking, Events.load("racking/start-racking-flow.json").as(c).header("Idempotency-Key", null)
                .body(Map.of("contractSerial", serial, "plannedDate", "2026-12-03", "devices", List.of(Map.of("model", "Dell R750", "uHeight", 2)))));
    }

    static Reply complete(Caller c, String flowId, Stage stage, Object body) {
        return Reply.of(inbox, Events.load("work-items/complete-work-item.json").as(c).id(flowId + "." + stage.name()).body(body));
    }

    static JsonNode tracking(Caller c, String flowId) {
        Reply r = Reply.of(racking, Events.load("racking/get-racking-flow.json").as(c).id(flowId));
        assertThat(r.status()).isEqualTo(200);
        return r.body();
    }

    static int units = 0;

    /** Review approved, resources allocated (a fresh U range): returns the flow id at the racking stage. */
    static String throughAllocation(Contract k) {
        Reply s = start(EAST_SALES_1, k.serial());
        assertThat(s.status()).isEqualTo(201);
        String flowId = s.text("flowId");
        String t1 = flow.open(flowId, Stage.OPS_REVIEW);
        assertThat(complete(OPERATIONS, flowId, Stage.OPS_REVIEW, Map.of("note", "同意")).status()).isEqualTo(200);
        assertThat(flow.answer(t1).success()).isTrue();
        String t2 = flow.open(flowId, Stage.RESOURCE_ALLOCATION);
        int from = 1 + (units++ % 8) * 4;
        Reply alloc = complete(OPERATIONS, flowId, Stage.RESOURCE_ALLOCATION, Map.of("rackId", rackId, "uFrom", from, "uTo", from + 3,
                "powerKw", 2, "prefixId", prefixId, "ipCount", 4, "bandwidthMbps", 100));
        assertThat(alloc.status()).as(alloc.body().toString()).isEqualTo(200);
        assertThat(flow.answer(t2).success()).isTrue();
        return flowId;
    }

    @Test
    void happyPathToInServiceAsEachRole() {
        Contract k = deals.activeContract(EAST_SALES_1);
        String flowId = throughAllocation(k);
        assertThat(started).contains(flowId);
        assertThat(flowId).isEqualTo("RF-" + k.serial() + "-1");
        JsonNode mid = tracking(EAST_SALES_1, flowId);
        assertThat(mid.path("currentStage").asText()).isEqualTo("RESOURCE_ALLOCATION");
        assertThat(mid.path("allocations")).hasSize(3);
        assertThat(mid.path("allocations").toString()).contains("RESERVED");
        String t3 = flow.open(flowId, Stage.PHYSICAL_RACKING);
        Reply notAllocated = complete(OPERATIONS, flowId, Stage.PHYSICAL_RACKING,
                Map.of("devices", List.of(Map.of("model", "Dell R750", "serial", "SN-1", "u", 40))));
        assertThat(notAllocated.status()).isEqualTo(400);
        assertThat(notAllocated.firstViolationRule()).isEqualTo("allocated");
        int u = mid.path("allocations").path(0).path("uFrom").asInt();
        assertThat(complete(OPERATIONS, flowId, Stage.PHYSICAL_RACKING,
                Map.of("devices", List.of(Map.of("model", "Dell R750", "serial", "CN7X2A1", "u", u, "uHeight", 2)))).status()).isEqualTo(200);
        assertThat(flow.answer(t3).success()).isTrue();
        String t4 = flow.open(flowId, Stage.ACCEPTANCE);
        assertThat(complete(OPERATIONS, flowId, Stage.ACCEPTANCE, Map.of()).status()).isEqualTo(403);
        assertThat(complete(EAST_SALES_1, flowId, Stage.ACCEPTANCE, Map.of("note", "客户已验收")).status()).isEqualTo(200);
        assertThat(flow.answer(t4).success()).isTrue();
        assertThat(flow.run("task-finish.json", flowId).path("status").asText()).isEqualTo("COMPLETED");
        // a retried final step changes nothing
        assertThat(flow.run("task-finish.json", flowId).path("status").asText()).isEqualTo("COMPLETED");
        JsonNode done = tracking(EAST_MANAGER, flowId);
        assertThat(done.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(done.path("statusLabel").asText()).isEqualTo("已上架");
        assertThat(done.path("stages")).hasSize(4);
        assertThat(done.path("stages").path(0).path("completedBy").asText()).isEqualTo(OPERATIONS.userId());
        assertThat(done.path("stages").path(3).path("completedBy").asText()).isEqualTo(EAST_SALES_1.userId());
        assertThat(done.path("allocations").toString()).contains("OCCUPIED").doesNotContain("RESERVED");
        assertThat(done.path("executionArn").asText()).endsWith(":execution:rackflow-racking-dev:" + flowId);
        assertThat(done.path("history").toString()).contains("STAGE_COMPLETED", "COMPLETED", "STARTED");
        assertThat(new CustomerStore(table).find(k.customerId()).orElseThrow().status()).isEqualTo(CustomerStatus.IN_SERVICE);
        Reply list = Reply.of(racking, Events.load("racking/contract-racking-flows.json").as(EAST_SALES_1).id(k.contractId()));
        assertThat(list.body().path("items")).hasSize(1);
        assertThat(Reply.of(racking, Events.load("racking/get-racking-flow.json").as(SOUTH_SALES_1).id(flowId)).status()).isEqualTo(404);
        assertThat(tracking(OPERATIONS, flowId).path("flowId").asText()).isEqualTo(flowId);
    }

    @Test
    void oneOpenFlowPerContractAndTheStartIsNamedAfterTheContract() {
        Contract k = deals.activeContract(EAST_SALES_2);
        Reply first = start(EAST_SALES_2, k.serial());
        assertThat(first.status()).isEqualTo(201);
        Reply second = start(EAST_MANAGER, k.serial());
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.errorCode()).isEqualTo("RACKING_FLOW_RUNNING");
        assertThat(second.body().path("error").path("details").path("runningFlowId").asText()).isEqualTo(first.text("flowId"));
        assertThat(started.stream().filter(n -> n.contains(k.serial())).count()).isEqualTo(1);
        // rejected at review: the contract may be racked again, as a new execution name
        String t = flow.open(first.text("flowId"), Stage.OPS_REVIEW);
        complete(OPERATIONS, first.text("flowId"), Stage.OPS_REVIEW, Map.of("decision", "REJECT", "reason", "设备清单不完整"));
        flow.compensate(first.text("flowId"), flow.answer(t));
        Reply again = start(EAST_SALES_2, k.serial());
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.text("flowId")).isEqualTo("RF-" + k.serial() + "-2");
    }

    @Test
    void invalidSerialsAreRefusedAndNothingStarts() {
        int before = started.size();
        for (String[] c : new String[][]{{"HT20260001", "length"}, {"HT202600000123", "length"}, {"XX2026000123", "prefix"},
                {"HT2026ABC123", "digits"}}) {
            Reply r = start(EAST_SALES_1, c[0]);
            assertThat(r.status()).as(c[0]).isEqualTo(400);
            assertThat(r.firstViolationField()).isEqualTo("contractSerial");
            assertThat(r.firstViolationRule()).as(c[0]).isEqualTo(c[1]);
        }
        assertThat(start(EAST_SALES_1, "HT2099999999").status()).isEqualTo(404);
        Contract other = deals.activeContract(SOUTH_SALES_1);
        assertThat(start(EAST_SALES_1, other.serial()).status()).as("out of scope").isEqualTo(404);
        var customer = deals.signedCustomer(EAST_SALES_1);
        Contract draft = deals.draftContract(EAST_SALES_1, customer.customerId());
        Reply notActive = start(EAST_SALES_1, draft.serial());
        assertThat(notActive.status()).isEqualTo(409);
        assertThat(notActive.errorCode()).isEqualTo("CONTRACT_NOT_ACTIVE");
        Contract k = deals.activeContract(EAST_SALES_1);
        new CustomerService(table).flowTransition(k.customerId(), CustomerStatus.TERMINATED, CustomerTransitions.Mover.TERMINATION_FLOW,
                "test", "terminated elsewhere");
        Reply notSigned = start(EAST_SALES_1, k.serial());
        assertThat(notSigned.status()).isEqualTo(409);
        assertThat(notSigned.errorCode()).isEqualTo("CUSTOMER_NOT_SIGNED");
        Reply missing = Reply.of(racking, Events.load("racking/start-racking-flow.json").as(EAST_SALES_1).header("Idempotency-Key", null)
                .body(Map.of("plannedDate", "someday")));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(Reply.of(racking, Events.load("racking/start-racking-flow.json").as(MAINTENANCE).header("Idempotency-Key", null)
                .body(Map.of("contractSerial", k.serial()))).status()).isEqualTo(403);
        assertThat(started.size()).isEqualTo(before);
    }

    @Test
    void rejectionAfterAllocationReleasesTheReservations() {
        Contract k = deals.activeContract(EAST_SALES_1);
        String flowId = throughAllocation(k);
        JsonNode mid = tracking(OPERATIONS, flowId);
        int u = mid.path("allocations").path(0).path("uFrom").asInt();
        String t3 = flow.open(flowId, Stage.PHYSICAL_RACKING);
        assertThat(complete(OPERATIONS, flowId, Stage.PHYSICAL_RACKING, Map.of("decision", "REJECT", "reason", "客户设备未到货")).status()).isEqualTo(200);
        RecordingCallbacks.Sent failure = flow.answer(t3);
        assertThat(failure.success()).isFalse();
        assertThat(flow.compensate(flowId, failure).path("status").asText()).isEqualTo("REJECTED");
        // a retried compensation changes nothing and records nothing twice
        assertThat(flow.compensate(flowId, failure).path("status").asText()).isEqualTo("REJECTED");
        JsonNode after = tracking(EAST_SALES_1, flowId);
        assertThat(after.path("status").asText()).isEqualTo("REJECTED");
        assertThat(after.path("rejection").path("reason").asText()).isEqualTo("客户设备未到货");
        assertThat(after.path("rejection").path("stage").asText()).isEqualTo("PHYSICAL_RACKING");
        assertThat(after.path("allocations").toString()).contains("RELEASED").doesNotContain("RESERVED");
        long ends = 0;
        for (JsonNode h : after.path("history")) {
            ends += h.path("action").asText().equals("REJECTED") ? 1 : 0;
        }
        assertThat(ends).isEqualTo(1);
        JsonNode elevation = Reply.of(inventory, Events.load("inventory/rack-elevation.json").as(OPERATIONS).id(rackId)).body();
        for (JsonNode row : elevation.path("units")) {
            if (row.path("u").asInt() == u) {
                assertThat(row.path("front").path("status").asText()).isEqualTo("FREE");
            }
        }
        assertThat(new CustomerStore(table).find(k.customerId()).orElseThrow().status()).isEqualTo(CustomerStatus.SIGNED);
    }

    @Test
    void allocationIsCheckedAgainstTheContractAndTheInventory() {
        String flowId = waitingAtReview();
        complete(OPERATIONS, flowId, Stage.OPS_REVIEW, Map.of());
        String t = flow.open(flowId, Stage.RESOURCE_ALLOCATION);
        Reply tooBig = complete(OPERATIONS, flowId, Stage.RESOURCE_ALLOCATION, Map.of("rackId", rackId, "uFrom", 30, "uTo", 41,
                "prefixId", prefixId, "ipCount", 9, "bandwidthMbps", 1000));
        assertThat(tooBig.status()).isEqualTo(400);
        List<String> v = new java.util.ArrayList<>();
        tooBig.body().path("error").path("violations").forEach(x -> v.add(x.path("field").asText() + ":" + x.path("rule").asText()));
        assertThat(v).contains("uTo:contract", "ipCount:contract", "bandwidthMbps:contract");
        // a taken range: 409, nothing reserved, the item stays open for another try
        Contract other = deals.activeContract(EAST_SALES_1);
        String otherFlow = throughAllocation(other);
        int taken = tracking(OPERATIONS, otherFlow).path("allocations").path(0).path("uFrom").asInt();
        Reply clash = complete(OPERATIONS, flowId, Stage.RESOURCE_ALLOCATION, Map.of("rackId", rackId, "uFrom", taken, "uTo", taken + 1,
                "prefixId", prefixId, "ipCount", 2));
        assertThat(clash.status()).isEqualTo(409);
        assertThat(clash.errorCode()).isEqualTo("UNITS_TAKEN");
        assertThat(tracking(OPERATIONS, flowId).path("allocations")).isEmpty();
        assertThat(flow.answer(t)).isNull();
        Reply ok = complete(OPERATIONS, flowId, Stage.RESOURCE_ALLOCATION, Map.of("rackId", rackId, "uFrom", 38, "uTo", 39,
                "prefixId", prefixId, "ipCount", 2));
        assertThat(ok.status()).as(ok.body().toString()).isEqualTo(200);
        assertThat(tracking(OPERATIONS, flowId).path("allocations")).hasSize(2);
    }

    /** A racking flow of a new ACTIVE contract of EAST_SALES_1, waiting at operations review. */
    private String waitingAtReview() {
        Contract k = deals.activeContract(EAST_SALES_1);
        String flowId = start(EAST_SALES_1, k.serial()).text("flowId");
        flow.open(flowId, Stage.OPS_REVIEW);
        return flowId;
    }

    @Test
    void overdueStageIsEscalatedAndVisibleInTracking() {
        String flowId = waitingAtReview();
        var escalated = flow.run("task-escalate-stage.json", flowId);
        assertThat(escalated.path("escalatedTo").asText()).isEqualTo(OPS_LEAD.userId());
        // the flow keeps waiting: the stage is entered again with a new token, the item is the same
        String t2 = flow.open(flowId, Stage.OPS_REVIEW);
        JsonNode tr = tracking(EAST_SALES_1, flowId);
        assertThat(tr.path("stages")).hasSize(1);
        assertThat(tr.path("stages").path(0).path("escalated").asBoolean()).isTrue();
        assertThat(tr.path("stages").path(0).path("escalatedTo").asText()).isEqualTo(OPS_LEAD.userId());
        assertThat(tr.path("history").toString()).contains("STAGE_ESCALATED");
        Reply leadInbox = Reply.of(inbox, Events.load("work-items/list-work-items.json").as(OPS_LEAD));
        assertThat(leadInbox.body().path("items").toString()).contains(flowId + ".OPS_REVIEW");
        assertThat(complete(OPS_LEAD, flowId, Stage.OPS_REVIEW, Map.of("note", "经理审批")).status()).isEqualTo(200);
        assertThat(flow.answer(t2).success()).isTrue();
    }

    @Test
    void aFailedEscalationIsRecordedAndTheStageKeepsWaiting() {
        String flowId = waitingAtReview();
        flow.run("task-escalation-failed.json", flowId);
        String t2 = flow.open(flowId, Stage.OPS_REVIEW);
        JsonNode tr = tracking(EAST_SALES_1, flowId);
        assertThat(tr.path("status").asText()).isEqualTo("RUNNING");
        assertThat(tr.path("stages").path(0).path("status").asText()).isEqualTo("OPEN");
        assertThat(tr.path("history").toString()).contains("STAGE_ESCALATION_FAILED");
        assertThat(complete(OPERATIONS, flowId, Stage.OPS_REVIEW, Map.of()).status()).isEqualTo(200);
        assertThat(flow.answer(t2).success()).isTrue();
    }

    @Test
    void aFailureWithoutACauseIsCompensatedAndEndsTheFlowFailed() {
        String flowId = waitingAtReview();
        var e = FlowDriver.event("task-compensate.json");
        e.put("flowId", flowId);
        e.putObject("error").put("Error", "States.Runtime");
        JsonNode out = new RackingTasksHandler(table, sent).handle(e);
        assertThat(out.path("status").asText()).isEqualTo("FAILED");
        JsonNode tr = tracking(EAST_SALES_1, flowId);
        assertThat(tr.path("status").asText()).isEqualTo("FAILED");
        assertThat(tr.path("stages").path(0).path("status").asText()).isEqualTo("CANCELLED");
    }

    @Test
    void anExecutionStoppedOrTimedOutEndsItsFlowAndReleasesWhatItHeldOnce() {
        Contract k = deals.activeContract(EAST_SALES_1);
        String flowId = throughAllocation(k);
        flow.open(flowId, Stage.PHYSICAL_RACKING);
        ExecutionEndsHandler ends = new ExecutionEndsHandler(Map.of(SM, new ExecutionEndsHandler.FlowKind(
                RackingTasksHandler.flow(table, sent), "flowId")));
        for (String status : List.of("ABORTED", "TIMED_OUT")) {
            ObjectNode event = Events.load("flows/execution-status-change.json").json();
            ObjectNode detail = (ObjectNode) event.get("detail");
            detail.put("status", status).put("stateMachineArn", SM).put("name", flowId)
                    .put("input", "{\"flowId\":\"" + flowId + "\"}");
            JsonNode out = ends.handle(event);
            assertThat(out.path("outcome").asText()).isEqualTo("RECONCILED");
            assertThat(out.path("flowStatus").asText()).isEqualTo("FAILED");
        }
        JsonNode after = tracking(EAST_SALES_1, flowId);
        assertThat(after.path("status").asText()).isEqualTo("FAILED");
        assertThat(after.path("rejection").path("reason").asText()).contains("ExecutionAborted", "stopped");
        assertThat(after.path("allocations").toString()).contains("RELEASED").doesNotContain("RESERVED");
        assertThat(after.path("stages").toString()).contains("CANCELLED").doesNotContain("\"OPEN\"");
        long failedEntries = 0;
        for (JsonNode h : after.path("history")) {
            failedEntries += h.path("action").asText().equals("FAILED") ? 1 : 0;
        }
        assertThat(failedEntries).as("recorded once, whatever the redeliveries").isEqualTo(1);
        // the contract is free for a new flow
        assertThat(start(EAST_SALES_1, k.serial()).status()).isEqualTo(201);
        // another state machine's execution, or a successful one, is not RackFlow's to reconcile
        ObjectNode other = Events.load("flows/execution-status-change.json").json();
        ((ObjectNode) other.get("detail")).put("stateMachineArn", SM + "-other");
        assertThat(ends.handle(other).path("outcome").asText()).isEqualTo("IGNORED");
    }

    /** Where the process dies while a stage is completed. */
    enum Crash { BEFORE_THE_TRANSACTION, AFTER_THE_TRANSACTION, AFTER_THE_CALLBACK, BEFORE_MARKED_DELIVERED }

    /** Task callbacks that record what is sent, then die once when armed. */
    static final class DyingCallbacks implements com.rackflow.workitems.TaskCallbacks {
        volatile boolean armed;

        @Override
        public Delivery success(String taskToken, JsonNode output) {
            sent.success(taskToken, output);
            return die();
        }

        @Override
        public Delivery failure(String taskToken, String error, String cause) {
            sent.failure(taskToken, error, cause);
            return die();
        }

        private Delivery die() {
            if (armed) {
                armed = false;
                throw new IllegalStateException("killed after the callback");
            }
            return Delivery.DELIVERED;
        }
    }

    @Test
    void aStageCompletionKilledAtAnyStepIsFinishedByTheRetryAndTheFlowReachesInService() {
        for (Crash crash : Crash.values()) {
            CrashingDynamo dynamo = new CrashingDynamo(table.client());
            DyingCallbacks callbacks = new DyingCallbacks();
            WorkItemsHandler dying = new WorkItemsHandler(new Table(dynamo, table.name()), callbacks);
            // the restarted function, asked again by the client after the dead request's delivery window
            WorkItemsHandler restarted = new WorkItemsHandler(table, sent, Clock.offset(Clock.systemUTC(), Duration.ofSeconds(30)));
            Contract k = deals.activeContract(EAST_SALES_1);
            String flowId = start(EAST_SALES_1, k.serial()).text("flowId");
            int from = 1 + (units++ % 8) * 4;
            Map<Stage, Map<String, Object>> forms = new java.util.LinkedHashMap<>();
            forms.put(Stage.OPS_REVIEW, Map.of("note", "同意"));
            forms.put(Stage.RESOURCE_ALLOCATION, Map.of("rackId", rackId, "uFrom", from, "uTo", from + 1, "powerKw", 1,
                    "prefixId", prefixId, "ipCount", 2));
            forms.put(Stage.PHYSICAL_RACKING, Map.of("devices", List.of(Map.of("model", "Dell R750", "serial", "KX" + from + crash.ordinal(),
                    "u", from, "uHeight", 2))));
            forms.put(Stage.ACCEPTANCE, Map.of("note", "客户已验收"));
            for (var stage : forms.entrySet()) {
                Caller who = stage.getKey() == Stage.ACCEPTANCE ? EAST_SALES_1 : OPERATIONS;
                String token = flow.open(flowId, stage.getKey());
                switch (crash) {
                    case BEFORE_THE_TRANSACTION -> dynamo.beforeNextTransaction();
                    case AFTER_THE_TRANSACTION -> dynamo.afterNextTransaction();
                    case AFTER_THE_CALLBACK -> callbacks.armed = true;
                    case BEFORE_MARKED_DELIVERED -> dynamo.beforePut(r -> CrashingDynamo.hasAttribute(r, "callback", "DELIVERED"));
                }
                Reply killed = Reply.of(dying, Events.load("work-items/complete-work-item.json").as(who).id(flowId + "." + stage.getKey().name())
                        .body(stage.getValue()));
                assertThat(killed.status()).as(crash + " " + stage.getKey()).isEqualTo(500);
                Reply retried = Reply.of(restarted, Events.load("work-items/complete-work-item.json").as(who)
                        .id(flowId + "." + stage.getKey().name()).body(stage.getValue()));
                assertThat(retried.status()).as(crash + " " + stage.getKey() + " " + retried.body()).isEqualTo(200);
                assertThat(retried.text("callback")).isEqualTo("DELIVERED");
                assertThat(flow.answer(token)).as(crash + " " + stage.getKey()).isNotNull();
                assertThat(flow.answer(token).success()).isTrue();
            }
            assertThat(flow.run("task-finish.json", flowId).path("status").asText()).isEqualTo("COMPLETED");
            JsonNode done = tracking(EAST_MANAGER, flowId);
            long completions = 0;
            for (JsonNode h : done.path("history")) {
                completions += h.path("action").asText().equals("STAGE_COMPLETED") ? 1 : 0;
            }
            assertThat(completions).as(crash + ": one STAGE_COMPLETED per stage").isEqualTo(4);
            assertThat(done.path("allocations")).as(crash.name()).hasSize(2);
            assertThat(done.path("allocations").toString()).contains("OCCUPIED").doesNotContain("RESERVED").doesNotContain("RELEASED");
            assertThat(new CustomerStore(table).find(k.customerId()).orElseThrow().status()).isEqualTo(CustomerStatus.IN_SERVICE);
        }
    }

    @Test
    void theSweeperAnswersAFlowWhoseCompletionDiedAfterItsTransaction() throws Exception {
        CrashingDynamo dynamo = new CrashingDynamo(table.client());
        WorkItemsHandler dying = new WorkItemsHandler(new Table(dynamo, table.name()), sent);
        Contract k = deals.activeContract(EAST_SALES_1);
        String flowId = start(EAST_SALES_1, k.serial()).text("flowId");
        String token = flow.open(flowId, Stage.OPS_REVIEW);
        dynamo.afterNextTransaction();
        assertThat(Reply.of(dying, Events.load("work-items/complete-work-item.json").as(OPERATIONS).id(flowId + ".OPS_REVIEW")
                .body(Map.of())).status()).isEqualTo(500);
        assertThat(flow.answer(token)).isNull();
        var sweeper = new com.rackflow.workitems.PendingCallbacksHandler(table, sent, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(2)));
        var out = new java.io.ByteArrayOutputStream();
        sweeper.handleRequest(new java.io.ByteArrayInputStream("{\"id\":\"sweep-1\"}".getBytes()), out, null);
        assertThat(Json.read(out.toString()).path("delivered").asInt()).isPositive();
        assertThat(flow.answer(token).success()).isTrue();
        assertThat(tracking(OPERATIONS, flowId).path("stages").path(0).path("callback").asText()).isEqualTo("DELIVERED");
    }

    @Test
    void aRetriedStartWithTheSameIdempotencyKeyStartsOneExecution() {
        Contract k = deals.activeContract(EAST_SALES_1);
        Events e = Events.load("racking/start-racking-flow.json").as(EAST_SALES_1).header("Idempotency-Key", "start-" + k.serial())
                .body(Map.of("contractSerial", k.serial()));
        Reply first = Reply.of(racking, e);
        Reply retry = Reply.of(racking, e);
        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.headers()).containsEntry("Idempotent-Replayed", "true");
        assertThat(retry.text("flowId")).isEqualTo(first.text("flowId"));
        assertThat(started.stream().filter(n -> n.contains(k.serial())).count()).isEqualTo(1);
    }

    @Test
    void theAcceptanceStageGoesToWhoeverHasTheContractWhenItOpens() {
        Contract k = deals.activeContract(EAST_SALES_2);
        String flowId = start(EAST_SALES_2, k.serial()).text("flowId");
        // a staff departure hands the contract to a colleague while the flow is at an operations stage
        new com.rackflow.contracts.ContractService(table).reassign(EAST_MANAGER, k.contractId(), EAST_SALES_2.userId(),
                EAST_SALES_1.userId(), "east", "离职交接", uow -> {
                });
        flow.open(flowId, Stage.ACCEPTANCE);
        assertThat(new com.rackflow.workitems.WorkItemStore(table).find(flowId + ".ACCEPTANCE").orElseThrow().assigneeId())
                .isEqualTo(EAST_SALES_1.userId());
    }
}
