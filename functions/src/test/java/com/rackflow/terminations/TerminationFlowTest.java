package com.rackflow.terminations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.access.Caller;
import com.rackflow.contracts.Contract;
import com.rackflow.contracts.ContractService;
import com.rackflow.contracts.ContractStatus;
import com.rackflow.core.json.Json;
import com.rackflow.core.persistence.Table;
import com.rackflow.customers.Customer;
import com.rackflow.customers.CustomerService;
import com.rackflow.customers.CustomerStatus;
import com.rackflow.customers.CustomerStore;
import com.rackflow.customers.CustomerTransitions;
import com.rackflow.core.history.Actor;
import com.rackflow.inventory.AllocationHolder;
import com.rackflow.inventory.AllocationService;
import com.rackflow.inventory.AllocationStatus;
import com.rackflow.inventory.InventoryService;
import com.rackflow.inventory.Mount;
import com.rackflow.testing.Deals;
import com.rackflow.testing.Events;
import com.rackflow.testing.LocalTable;
import com.rackflow.testing.RecordingCallbacks;
import com.rackflow.testing.Reply;
import com.rackflow.testing.Staff;
import com.rackflow.workitems.FlowStarter;
import com.rackflow.workitems.Stage;
import com.rackflow.workitems.WorkItemsHandler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static com.rackflow.testing.Staff.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The termination flow's logic: the API and the task function invoked as the state machine invokes it. */
class TerminationFlowTest {
    static final String SM = "arn:aws:states:us-east-1:123456789012:stateMachine:rackflow-termination-dev";
    static Table table;
    static RecordingCallbacks sent;
    static List<String> started;
    static TerminationsHandler api;
    static WorkItemsHandler inbox;
    static TerminationTasksHandler tasks;
    static Deals deals;
    static AllocationService allocations;
    static String rackId;
    static int tokens;
    static int nextU = 1;

    @BeforeAll
    static void setUp() {
        table = LocalTable.create();
        Staff.seed(table);
        sent = new RecordingCallbacks();
        started = new CopyOnWriteArrayList<>();
        FlowStarter starter = (arn, name, input) -> {
            started.add(name);
            return FlowStarter.executionArn(arn, name);
        };
        api = new TerminationsHandler(table, starter, sent, SM);
        inbox = new WorkItemsHandler(table, sent);
        tasks = new TerminationTasksHandler(table, sent);
        deals = new Deals(table);
        allocations = new AllocationService(table);
        InventoryService inv = new InventoryService(table);
        String site = inv.createSite(ADMIN, "SH-TF01", "解约测试机房", null, null, null).siteId();
        String room = inv.createRoom(ADMIN, site, "M1", null, null).roomId();
        rackId = inv.createRack(ADMIN, room, "T-01", 42, new BigDecimal("20"), 2, 10000, null).rackId();
    }

    /** A contract as the racking flow leaves it: its units OCCUPIED, the customer IN_SERVICE. */
    static Contract racked(Contract k) {
        var a = allocations.reserveUnits("alloc-" + k.contractId(), new AllocationService.UnitRequest(rackId, nextU, nextU + 1,
                Mount.FULL_DEPTH, BigDecimal.ONE), new AllocationHolder(k.contractId(), k.serial(), k.customerId(), k.customerCode(),
                k.ownerId(), k.departmentId(), "RF-" + k.serial() + "-1"), Actor.system("test"));
        nextU += 2;
        allocations.transition(a.allocationId(), AllocationStatus.OCCUPIED, Actor.system("test"), null);
        new CustomerService(table).flowTransition(k.customerId(), CustomerStatus.IN_SERVICE, CustomerTransitions.Mover.RACKING_FLOW, "test", null);
        return k;
    }

    static ObjectNode task(String name, String flowId) {
        try {
            ObjectNode e = (ObjectNode) Json.read(Files.readString(LocalTable.repositoryRoot().resolve("events/terminations/task-" + name)));
            e.put("flowId", flowId);
            return e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String open(String flowId, Stage stage) {
        String token = "tt-" + (++tokens);
        tasks.handle(task("open-stage.json", flowId).put("stage", stage.name()).put("taskToken", token));
        return token;
    }

    static Reply start(Caller c, String serial) {
        return Reply.of(api, Events.load("terminations/start-termination.json").as(c).header("Idempotency-Key", null)
                .body(Map.of("contractSerial", serial, "reason", "客户业务迁移")));
    }

    static Reply complete(Caller c, String flowId, Stage stage, Object body) {
        return Reply.of(inbox, Events.load("work-items/complete-work-item.json").as(c).id(flowId + "." + stage.name()).body(body));
    }

    static String runToEnd(Contract k) {
        Reply s = start(EAST_MANAGER, k.serial());
        assertThat(s.status()).as(s.body().toString()).isEqualTo(201);
        String flowId = s.text("flowId");
        String t1 = open(flowId, Stage.UNRACKING);
        assertThat(complete(OPERATIONS, flowId, Stage.UNRACKING, Map.of("note", "安排周五下架")).status()).isEqualTo(200);
        assertThat(sent.forToken(t1).get(0).success()).isTrue();
        String t2 = open(flowId, Stage.REMOVAL_CONFIRMATION);
        assertThat(complete(OPERATIONS, flowId, Stage.REMOVAL_CONFIRMATION, Map.of("removedDevices", List.of("CN7X2A1"))).status()).isEqualTo(200);
        assertThat(sent.forToken(t2).get(0).success()).isTrue();
        assertThat(tasks.handle(task("finish.json", flowId)).path("status").asText()).isEqualTo("COMPLETED");
        assertThat(tasks.handle(task("finish.json", flowId)).path("status").asText()).isEqualTo("COMPLETED");
        return flowId;
    }

    @Test
    void terminationReleasesResourcesAndEndsTheCustomerOnlyWithItsLastContract() {
        Contract first = racked(deals.activeContract(EAST_SALES_1));
        Contract second = deals.activate(EAST_SALES_1, deals.draftContract(EAST_SALES_1, first.customerId()));
        String flowId = runToEnd(first);
        ContractService contracts = new ContractService(table);
        assertThat(contracts.find(first.contractId()).orElseThrow().status()).isEqualTo(ContractStatus.TERMINATED);
        assertThat(allocations.ofContract(first.contractId())).allMatch(a -> a.status() == AllocationStatus.RELEASED);
        Customer c = new CustomerStore(table).find(first.customerId()).orElseThrow();
        assertThat(c.status()).isEqualTo(CustomerStatus.IN_SERVICE);
        JsonNode tr = Reply.of(api, Events.load("terminations/get-termination.json").as(EAST_MANAGER).id(flowId)).body();
        assertThat(tr.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(tr.path("customerTerminated").asBoolean()).isFalse();
        assertThat(tr.path("removedDevices").toString()).contains("CN7X2A1");
        assertThat(tr.path("stages")).hasSize(2);
        assertThat(tr.path("history").toString()).contains("STARTED", "STAGE_COMPLETED", "COMPLETED");
        String last = runToEnd(second);
        assertThat(new CustomerStore(table).find(first.customerId()).orElseThrow().status()).isEqualTo(CustomerStatus.TERMINATED);
        JsonNode lastView = Reply.of(api, Events.load("terminations/get-termination.json").as(ADMIN).id(last)).body();
        assertThat(lastView.path("customerTerminated").asBoolean()).isTrue();
        // history stays: the customer's history shows the flows' moves
        var h = new com.rackflow.core.history.History(table).list("CUSTOMER", first.customerId(), null, 50).items();
        assertThat(h).anyMatch(e -> e.action().equals("STATUS_CHANGED") && e.actorId().equals("system:termination-flow"));
    }

    @Test
    void onlyTheOwnersManagerOrAnAdminTerminatesAnActiveContractOnce() {
        Contract k = racked(deals.activeContract(EAST_SALES_1));
        assertThat(start(EAST_SALES_1, k.serial()).status()).isEqualTo(403);
        assertThat(start(SOUTH_MANAGER, k.serial()).status()).isEqualTo(404);
        assertThat(start(OPERATIONS, k.serial()).status()).isEqualTo(403);
        Reply bad = start(EAST_MANAGER, "HT123");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.firstViolationField()).isEqualTo("contractSerial");
        var customer = deals.signedCustomer(EAST_SALES_1);
        Contract draft = deals.draftContract(EAST_SALES_1, customer.customerId());
        assertThat(start(EAST_MANAGER, draft.serial()).errorCode()).isEqualTo("CONTRACT_NOT_ACTIVE");
        Reply first = start(ADMIN, k.serial());
        assertThat(first.status()).isEqualTo(201);
        Reply second = start(EAST_MANAGER, k.serial());
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.errorCode()).isEqualTo("TERMINATION_RUNNING");
        assertThat(second.body().path("error").path("details").path("runningFlowId").asText()).isEqualTo(first.text("flowId"));
        // cancelled at the un-racking stage: nothing released, contract still ACTIVE
        String t = open(first.text("flowId"), Stage.UNRACKING);
        complete(OPERATIONS, first.text("flowId"), Stage.UNRACKING, Map.of("decision", "REJECT", "reason", "客户撤回解约"));
        var failure = sent.forToken(t).get(0);
        assertThat(tasks.handle(withError(task("compensate.json", first.text("flowId")), failure))
                .path("status").asText()).isEqualTo("REJECTED");
        assertThat(new ContractService(table).find(k.contractId()).orElseThrow().status()).isEqualTo(ContractStatus.ACTIVE);
        assertThat(allocations.ofContract(k.contractId())).allMatch(a -> a.status() == AllocationStatus.OCCUPIED);
        assertThat(start(EAST_MANAGER, k.serial()).status()).isEqualTo(201);
    }

    private static ObjectNode withError(ObjectNode e,
                                                                           RecordingCallbacks.Sent failure) {
        e.putObject("error").put("Error", failure.error()).put("Cause", failure.cause());
        return e;
    }
}
