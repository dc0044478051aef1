package com.rackflow.racking;

import com.fasterxml.jackson.databind.JsonNode;
import com.rackflow.contracts.Contract;
import com.rackflow.core.history.HistoryEntry;
import com.rackflow.core.persistence.Keys;
import com.rackflow.core.persistence.Table;
import com.rackflow.inventory.ContractHolders;
import com.rackflow.inventory.InventoryHandler;
import com.rackflow.testing.CrashingDynamo;
import com.rackflow.testing.Deals;
import com.rackflow.testing.Events;
import com.rackflow.testing.FlowStaff;
import com.rackflow.testing.LocalTable;
import com.rackflow.testing.RecordingCallbacks;
import com.rackflow.testing.Reply;
import com.rackflow.workitems.FlowStarter;
import com.rackflow.workitems.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static com.rackflow.testing.Staff.ADMIN;
import static com.rackflow.testing.Staff.EAST_SALES_1;
import static com.rackflow.testing.Staff.OPERATIONS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The write paths of inventory, allocations, flows and work items, each killed just before its one transaction and
 * just after it (the function never learns it committed), then retried as a client or Step Functions would: the killed
 * transaction held the record, its history entry and its guards together, so there is never a record without its
 * entry, a guard without its record, or anything twice.
 */
class FlowWritesCrashTest {
    static final String SM = "arn:aws:states:us-east-1:123456789012:stateMachine:rackflow-racking-dev";
    static Table table;
    static CrashingDynamo dynamo;
    static List<String> started;
    static RecordingCallbacks sent;
    /** The functions as they run when they are killed (through the crashing client) and after their restart. */
    static RackingHandler dyingRacking;
    static RackingHandler racking;
    static InventoryHandler dyingInventory;
    static InventoryHandler inventory;
    static FlowDriver dyingFlow;
    static FlowDriver flow;
    static Deals deals;
    static String rackId;

    enum Crash { BEFORE, AFTER }

    @BeforeAll
    static void setUp() {
        table = LocalTable.create();
        FlowStaff.seed(table);
        dynamo = new CrashingDynamo(table.client());
        Table dying = new Table(dynamo, table.name());
        started = new CopyOnWriteArrayList<>();
        sent = new RecordingCallbacks();
        FlowStarter starter = (arn, name, input) -> {
            started.add(name);
            return FlowStarter.executionArn(arn, name);
        };
        dyingRacking = new RackingHandler(dying, starter, sent, SM);
        racking = new RackingHandler(table, starter, sent, SM);
        dyingInventory = new InventoryHandler(dying, ContractHolders.of(dying));
        inventory = new InventoryHandler(table, ContractHolders.of(table));
        dyingFlow = new FlowDriver(new RackingTasksHandler(dying, sent), sent);
        flow = new FlowDriver(new RackingTasksHandler(table, sent), sent);
        deals = new Deals(table);
        rackId = com.rackflow.testing.TestInventory.create(inventory, "SH-CR01", "C-01").rackId();
    }

    @Test
    void aKilledKeyedRackingStartIsOneFlowWithItsEntryGuardAndExecution() {
        for (Crash crash : Crash.values()) {
            Contract k = deals.activeContract(EAST_SALES_1);
            Events e = Events.load("racking/start-racking-flow.json").as(EAST_SALES_1).header("Idempotency-Key", "start-" + crash + k.serial())
                    .body(Map.of("contractSerial", k.serial()));
            arm(crash, CrashingDynamo.writing(Keys.guard("RACKING_OPEN", k.contractId()).pk(), "GUARD"));
            assertThat(Reply.of(dyingRacking, e).status()).isEqualTo(500);
            assertThat(CrashingDynamo.keys(dynamo.killed())).as("the flow, its STARTED entry, the guard, the key: one write")
                    .anyMatch(x -> x.startsWith("RACKING_FLOW#") && x.endsWith("| RECORD"))
                    .anyMatch(x -> x.startsWith("RACKING_FLOW#") && x.contains("| HISTORY#"))
                    .anyMatch(x -> x.startsWith("IDEMPOTENCY#"));
            boolean committed = crash == Crash.AFTER;
            assertThat(table.holder(new com.rackflow.core.persistence.Guard("RACKING_OPEN", k.contractId())).isPresent())
                    .as(crash + ": the guard exists exactly when its flow does").isEqualTo(committed);

            Reply retried = Reply.of(racking, e);
            assertThat(retried.status()).as(crash + " " + retried.body()).isEqualTo(201);
            String flowId = retried.text("flowId");
            JsonNode flows = Reply.of(racking, Events.load("racking/contract-racking-flows.json").as(EAST_SALES_1).id(k.contractId())).body();
            assertThat(flows.path("items")).as(crash + ": one flow").hasSize(1);
            assertThat(flows.path("items").path(0).path("executionArn").asText()).endsWith(flowId);
            assertThat(started.stream().filter(flowId::equals)).as(crash + ": one execution").hasSize(1);
            assertThat(actions(flowId).stream().filter("STARTED"::equals)).hasSize(1);
            assertThat(table.holder(new com.rackflow.core.persistence.Guard("RACKING_OPEN", k.contractId()))).contains(flowId);
        }
    }

    @Test
    void aKilledInventoryCreateLeavesNoGuardWithoutItsRecord() {
        for (Crash crash : Crash.values()) {
            String code = "SH-K" + crash.ordinal() + (System.nanoTime() % 1000);
            Events e = Events.load("inventory/create-site.json").as(ADMIN).header("Idempotency-Key", "site-" + code)
                    .body(Map.of("code", code, "name", "机房" + code));
            arm(crash, CrashingDynamo.writing(Keys.guard("SITE_CODE", code).pk(), "GUARD"));
            assertThat(Reply.of(dyingInventory, e).status()).isEqualTo(500);
            assertThat(CrashingDynamo.keys(dynamo.killed())).anyMatch(x -> x.startsWith("SITE#") && x.endsWith("| RECORD"))
                    .anyMatch(x -> x.startsWith("SITE#") && x.contains("| HISTORY#"));
            var guard = table.holder(new com.rackflow.core.persistence.Guard("SITE_CODE", code));
            assertThat(guard.isPresent()).as(crash.name()).isEqualTo(crash == Crash.AFTER);
            guard.ifPresent(siteId -> assertThat(table.get(Keys.record("SITE", siteId))).as("the guard's site").isPresent());

            Reply retried = Reply.of(inventory, e);
            assertThat(retried.status()).as(crash + " " + retried.body()).isEqualTo(201);
            String siteId = retried.text("siteId");
            guard.ifPresent(held -> assertThat(held).as("the retry answers the site the killed request made").isEqualTo(siteId));
            assertThat(table.holder(new com.rackflow.core.persistence.Guard("SITE_CODE", code))).contains(siteId);
            assertThat(history("SITE", siteId).stream().map(HistoryEntry::action)).containsExactly("CREATED");
        }
    }

    @Test
    void aKilledAllocationMoveMovesTheRecordItsEntryAndItsGuardsTogether() {
        for (Crash crash : Crash.values()) {
            Contract k = deals.activeContract(EAST_SALES_1);
            int u = 1 + crash.ordinal() * 4;
            Reply made = Reply.of(inventory, Events.load("inventory/create-allocation.json").as(OPERATIONS).header("Idempotency-Key", null)
                    .body(Map.of("contractId", k.contractId(), "kind", "RACK_UNITS", "rackId", rackId, "uFrom", u, "uTo", u + 1)));
            assertThat(made.status()).as(made.body().toString()).isEqualTo(201);
            String id = made.text("allocationId");
            Events move = Events.load("inventory/transition-allocation.json").as(OPERATIONS).id(id)
                    .body(Map.of("to", "OCCUPIED", "version", 1));
            arm(crash, CrashingDynamo.writing(Keys.record("ALLOCATION", id).pk(), "RECORD"));
            assertThat(Reply.of(dyingInventory, move).status()).isEqualTo(500);
            assertThat(CrashingDynamo.keys(dynamo.killed())).as("the record, its entry and the guards of both U")
                    .anyMatch(x -> x.contains("| HISTORY#")).filteredOn(x -> x.startsWith("UNITS#RACK#")).hasSizeGreaterThanOrEqualTo(2);
            String expected = crash == Crash.AFTER ? "OCCUPIED" : "RESERVED";
            assertThat(table.get(Keys.record("ALLOCATION", id)).orElseThrow().get("status").s()).isEqualTo(expected);
            for (int x = u; x <= u + 1; x++) {
                assertThat(table.get(Keys.rackUnit(rackId, x, "FRONT")).orElseThrow().get("status").s()).as(crash + " U" + x).isEqualTo(expected);
            }
            assertThat(history("ALLOCATION", id).stream().filter(h -> h.action().equals("OCCUPIED")))
                    .hasSize(crash == Crash.AFTER ? 1 : 0);
        }
    }

    @Test
    void aKilledStageOpeningEscalationAndFlowEndKeepEachChangeWithItsEntry() {
        for (Crash crash : Crash.values()) {
            Contract k = deals.activeContract(EAST_SALES_1);
            String flowId = Reply.of(racking, Events.load("racking/start-racking-flow.json").as(EAST_SALES_1)
                    .header("Idempotency-Key", null).body(Map.of("contractSerial", k.serial()))).text("flowId");
            String itemPk = Keys.record("RACKING_FLOW", flowId).pk();

            // the stage task: the work item and its STAGE_OPENED entry
            arm(crash, CrashingDynamo.writing(itemPk, "WORK_ITEM#OPS_REVIEW"));
            assertThatThrownBy(() -> dyingFlow.open(flowId, Stage.OPS_REVIEW)).as(crash.name()).isNotNull();
            assertThat(table.get(Keys.workItem("RACKING_FLOW", flowId, "OPS_REVIEW")).isPresent()).isEqualTo(crash == Crash.AFTER);
            assertThat(actions(flowId).stream().filter("STAGE_OPENED"::equals)).hasSize(crash == Crash.AFTER ? 1 : 0);
            String token = flow.open(flowId, Stage.OPS_REVIEW);
            assertThat(actions(flowId).stream().filter("STAGE_OPENED"::equals)).as(crash + ": retried, opened once").hasSize(1);

            // the escalation: the item flagged and its STAGE_ESCALATED entry
            arm(crash, CrashingDynamo.writing(itemPk, "WORK_ITEM#OPS_REVIEW"));
            assertThatThrownBy(() -> dyingFlow.run("task-escalate-stage.json", flowId)).isNotNull();
            boolean escalated = table.get(Keys.workItem("RACKING_FLOW", flowId, "OPS_REVIEW")).orElseThrow().get("escalated").bool();
            assertThat(escalated).isEqualTo(crash == Crash.AFTER);
            assertThat(actions(flowId).stream().filter("STAGE_ESCALATED"::equals)).hasSize(crash == Crash.AFTER ? 1 : 0);
            flow.run("task-escalate-stage.json", flowId);
            assertThat(actions(flowId).stream().filter("STAGE_ESCALATED"::equals)).hasSize(1);

            // the flow's end: the record, its REJECTED entry and the released guard
            Reply rejected = Reply.of(new com.rackflow.workitems.WorkItemsHandler(table, sent), Events.load("work-items/complete-work-item.json")
                    .as(OPERATIONS).id(flowId + ".OPS_REVIEW").body(Map.of("decision", "REJECT", "reason", "机柜电力不足")));
            assertThat(rejected.status()).isEqualTo(200);
            arm(crash, CrashingDynamo.writing(itemPk, "RECORD"));
            assertThatThrownBy(() -> dyingFlow.compensate(flowId, flow.answer(token))).isNotNull();
            String status = table.get(Keys.record("RACKING_FLOW", flowId)).orElseThrow().get("status").s();
            assertThat(status).isEqualTo(crash == Crash.AFTER ? "REJECTED" : "RUNNING");
            assertThat(table.holder(new com.rackflow.core.persistence.Guard("RACKING_OPEN", k.contractId())).isPresent())
                    .as(crash + ": the contract is held exactly while its flow runs").isEqualTo(crash == Crash.BEFORE);
            assertThat(flow.compensate(flowId, flow.answer(token)).path("status").asText()).isEqualTo("REJECTED");
            assertThat(actions(flowId).stream().filter("REJECTED"::equals)).as(crash + ": ended once").hasSize(1);
            assertThat(table.holder(new com.rackflow.core.persistence.Guard("RACKING_OPEN", k.contractId()))).isEmpty();
        }
    }

    @Test
    void aGuardLeftNamingAnEndedFlowIsTakenOverByTheNextStart() {
        Contract k = deals.activeContract(EAST_SALES_1);
        Events start = Events.load("racking/start-racking-flow.json").as(EAST_SALES_1).header("Idempotency-Key", null)
                .body(Map.of("contractSerial", k.serial()));
        String first = Reply.of(racking, start).text("flowId");
        RecordingCallbacks.Sent failure = new RecordingCallbacks.Sent("t", false, null, "States.TaskFailed", "{}");
        assertThat(flow.compensate(first, failure).path("status").asText()).isEqualTo("FAILED");
        // what the code before the unit of work could leave: the flow ended, its guard not yet released
        var guard = new com.rackflow.core.persistence.Guard("RACKING_OPEN", k.contractId());
        table.put(Map.of("pk", com.rackflow.core.persistence.Items.s(guard.key().pk()), "sk",
                com.rackflow.core.persistence.Items.s(guard.key().sk()), "holderId", com.rackflow.core.persistence.Items.s(first)));
        Reply second = Reply.of(racking, start);
        assertThat(second.status()).as(second.body().toString()).isEqualTo(201);
        assertThat(table.holder(guard)).contains(second.text("flowId"));
        // while that one runs, the contract is its own
        assertThat(Reply.of(racking, start).status()).isEqualTo(409);
    }

    private static void arm(Crash crash, java.util.function.Predicate<software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest> at) {
        if (crash == Crash.BEFORE) {
            dynamo.beforeTransaction(at);
        } else {
            dynamo.afterTransaction(at);
        }
    }

    private static List<HistoryEntry> history(String type, String id) {
        return new com.rackflow.core.history.History(table).list(type, id, null, 100).items();
    }

    private static List<String> actions(String flowId) {
        return history("RACKING_FLOW", flowId).stream().map(HistoryEntry::action).toList();
    }
}
