package com.rackflow.flows;

import com.rackflow.access.Caller;
import com.rackflow.contracts.Contract;
import com.rackflow.contracts.ContractService;
import com.rackflow.contracts.ContractsHandler;
import com.rackflow.core.history.History;
import com.rackflow.core.history.HistoryEntry;
import com.rackflow.core.http.ApiException;
import com.rackflow.core.persistence.Keys;
import com.rackflow.core.persistence.Table;
import com.rackflow.customers.Customer;
import com.rackflow.racking.RackingFlow;
import com.rackflow.racking.RackingService;
import com.rackflow.testing.CrashingDynamo;
import com.rackflow.testing.CrmFixture;
import com.rackflow.testing.Events;
import com.rackflow.testing.LocalTable;
import com.rackflow.testing.RecordingCallbacks;
import com.rackflow.testing.Reply;
import com.rackflow.testing.Staff;
import com.rackflow.workitems.FlowStarter;
import com.rackflow.workitems.WorkItemService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static com.rackflow.testing.Staff.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A manager reassigns a contract to another member of the department (PATCH /contracts/{id} with ownerId), in any
 * status: the contract's flows that the previous owner owned follow it in the same transaction, both get a REASSIGNED
 * history entry, the new owner sees and tracks them, the previous owner no longer does; everyone else is refused with
 * the field and rule named.
 */
class ContractReassignTest {
    static Table table;
    static ContractsHandler handler;
    static CrmFixture fixture;
    static ContractService contracts;
    static RackingService racking;
    static History history;

    @BeforeAll
    static void setUp() {
        table = LocalTable.create();
        Staff.seed(table);
        handler = new ContractsHandler(table);
        fixture = new CrmFixture(table);
        contracts = new ContractService(table);
        history = new History(table);
        racking = new RackingService(table, WorkItemService.forTasks(table, new RecordingCallbacks()),
                (arn, name, input) -> FlowStarter.executionArn(arn, name), "arn:aws:states:us-east-1:123456789012:stateMachine:rackflow-racking-dev");
    }

    static Reply patch(ContractsHandler h, Caller c, String id, long version, Map<String, Object> body) {
        return Reply.of(h, Events.load("contracts/change-contract.json").as(c).id(id).header("If-Match", "\"" + version + "\"").body(body));
    }

    /** An ACTIVE contract of a signed customer of {@code owner}, with a running racking flow {@code owner} started. */
    static RackingFlow activeContractWithFlow(Caller owner) {
        Customer c = fixture.signedCustomer(owner);
        Contract k = fixture.contract(handler, owner, c.customerId());
        contracts.transition(owner, k.contractId(), com.rackflow.contracts.ContractStatus.ACTIVE, null, k.version());
        return racking.start(owner, new RackingService.StartRequest(k.serial(), LocalDate.now().plusDays(7), List.of(), "上架"), null);
    }

    static List<HistoryEntry> reassigned(String type, String id) {
        return history.list(type, id, null, 50).items().stream().filter(e -> e.action().equals("REASSIGNED")).toList();
    }

    @Test
    void theManagerMovesAnActiveContractAndItsFlowTogetherInOneTransaction() {
        RackingFlow flow = activeContractWithFlow(EAST_SALES_1);
        Contract k = contracts.find(flow.contractId()).orElseThrow();

        // the first attempt dies before its transaction reaches DynamoDB: nothing moved, and it carried both records
        CrashingDynamo dynamo = new CrashingDynamo(table.client());
        dynamo.beforeTransaction(CrashingDynamo.writing(Keys.record("CONTRACT", k.contractId()).pk(), "RECORD"));
        ContractsHandler dying = new ContractsHandler(new Table(dynamo, table.name()));
        Reply cut = patch(dying, EAST_MANAGER, k.contractId(), k.version(), Map.of("ownerId", EAST_SALES_2.userId()));
        assertThat(cut.status()).isEqualTo(500);
        assertThat(dynamo.fired()).isTrue();
        assertThat(CrashingDynamo.keys(dynamo.killed())).as("the contract and its flow in one transaction")
                .contains(Keys.record("RACKING_FLOW", flow.flowId()).pk() + " | RECORD");
        assertThat(contracts.find(k.contractId()).orElseThrow().ownerId()).isEqualTo(EAST_SALES_1.userId());
        assertThat(racking.get(EAST_SALES_1, flow.flowId()).ownerId()).isEqualTo(EAST_SALES_1.userId());

        Reply moved = patch(handler, EAST_MANAGER, k.contractId(), k.version(), Map.of("ownerId", EAST_SALES_2.userId()));
        assertThat(moved.status()).as(moved.body().toString()).isEqualTo(200);
        assertThat(moved.text("ownerId")).isEqualTo(EAST_SALES_2.userId());
        assertThat(moved.text("status")).isEqualTo("ACTIVE");
        assertThat(moved.body().path("version").asLong()).isEqualTo(k.version() + 1);
        assertThat(reassigned("CONTRACT", k.contractId())).singleElement().satisfies(e -> {
            assertThat(e.actorId()).isEqualTo(EAST_MANAGER.userId());
            assertThat(e.actorName()).as("the name the directory had at the change")
                    .isEqualTo(new com.rackflow.directory.StaffDirectory(table).displayName(EAST_MANAGER.userId()));
            assertThat(e.changes()).anySatisfy(ch -> {
                assertThat(ch.field()).isEqualTo("ownerId");
                assertThat(ch.before().asText()).isEqualTo(EAST_SALES_1.userId());
                assertThat(ch.after().asText()).isEqualTo(EAST_SALES_2.userId());
            });
        });
        assertThat(reassigned("RACKING_FLOW", flow.flowId())).hasSize(1);
        Reply trail = Reply.of(handler, Events.load("contracts/contract-history.json").as(EAST_MANAGER).id(k.contractId()));
        assertThat(trail.body().path("items").get(0).path("action").asText()).isEqualTo("REASSIGNED");
        assertThat(trail.body().path("items").get(0).path("actorName").asText()).isNotBlank().isNotEqualTo(EAST_MANAGER.userId());

        // the new owner has the contract and tracks its flow; the previous one has neither
        assertThat(Reply.of(handler, Events.load("contracts/get-contract.json").as(EAST_SALES_2).id(k.contractId())).status()).isEqualTo(200);
        assertThat(racking.tracking(EAST_SALES_2, flow.flowId()).path("flowId").asText()).isEqualTo(flow.flowId());
        assertThat(Reply.of(handler, Events.load("contracts/get-contract.json").as(EAST_SALES_1).id(k.contractId())).status()).isEqualTo(404);
        assertThatThrownBy(() -> racking.get(EAST_SALES_1, flow.flowId())).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(404));

        // the same owner again writes nothing
        Reply same = patch(handler, EAST_MANAGER, k.contractId(), k.version() + 1, Map.of("ownerId", EAST_SALES_2.userId()));
        assertThat(same.status()).isEqualTo(200);
        assertThat(same.body().path("version").asLong()).isEqualTo(k.version() + 1);
        assertThat(reassigned("CONTRACT", k.contractId())).hasSize(1);
    }

    @Test
    void everyoneButTheDepartmentsManagerIsRefusedNamingTheFieldAndRule() {
        RackingFlow flow = activeContractWithFlow(EAST_SALES_1);
        Contract k = contracts.find(flow.contractId()).orElseThrow();
        long v = k.version();

        Reply bySales = patch(handler, EAST_SALES_1, k.contractId(), v, Map.of("ownerId", EAST_SALES_2.userId()));
        assertThat(bySales.status()).isEqualTo(403);
        Reply otherDepartmentsManager = patch(handler, SOUTH_MANAGER, k.contractId(), v, Map.of("ownerId", SOUTH_SALES_1.userId()));
        assertThat(otherDepartmentsManager.status()).as("not in their scope").isEqualTo(404);
        Reply toAnotherDepartment = patch(handler, EAST_MANAGER, k.contractId(), v, Map.of("ownerId", SOUTH_SALES_1.userId()));
        assertThat(toAnotherDepartment.status()).isEqualTo(400);
        assertThat(toAnotherDepartment.firstViolationField()).isEqualTo("ownerId");
        assertThat(toAnotherDepartment.firstViolationRule()).isEqualTo("assignable");
        Reply toMaintenance = patch(handler, ADMIN, k.contractId(), v, Map.of("ownerId", MAINTENANCE.userId()));
        assertThat(toMaintenance.firstViolationRule()).as("maintenance staff own no contracts").isEqualTo("assignable");
        Reply toNobody = patch(handler, EAST_MANAGER, k.contractId(), v, Map.of("ownerId", "nobody.here"));
        assertThat(toNobody.firstViolationField()).isEqualTo("ownerId");
        Reply stale = patch(handler, EAST_MANAGER, k.contractId(), v - 1, Map.of("ownerId", EAST_SALES_2.userId()));
        assertThat(stale.errorCode()).isEqualTo("VERSION_CONFLICT");
        Reply empty = patch(handler, EAST_MANAGER, k.contractId(), v, Map.of());
        assertThat(empty.firstViolationRule()).isEqualTo("empty");
        Reply termsOfAnActiveContract = patch(handler, EAST_MANAGER, k.contractId(), v,
                Map.of("ownerId", EAST_SALES_2.userId(), "notes", "改备注"));
        assertThat(termsOfAnActiveContract.errorCode()).isEqualTo("NOT_EDITABLE");

        // none of them moved anything
        assertThat(contracts.find(k.contractId()).orElseThrow().ownerId()).isEqualTo(EAST_SALES_1.userId());
        assertThat(contracts.find(k.contractId()).orElseThrow().version()).isEqualTo(v);
        assertThat(reassigned("CONTRACT", k.contractId())).isEmpty();
        assertThat(reassigned("RACKING_FLOW", flow.flowId())).isEmpty();

        // an admin may move it to anyone who may own contracts
        Reply byAdmin = patch(handler, ADMIN, k.contractId(), v, Map.of("ownerId", SOUTH_SALES_1.userId()));
        assertThat(byAdmin.status()).as(byAdmin.body().toString()).isEqualTo(200);
        assertThat(byAdmin.text("departmentId")).isEqualTo(SOUTH_SALES_1.departmentId());
        assertThat(racking.get(SOUTH_SALES_1, flow.flowId()).departmentId()).isEqualTo(SOUTH_SALES_1.departmentId());
    }
}
