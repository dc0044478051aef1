package com.rackflow.terminations;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.access.AccessPolicy;
import com.rackflow.access.Caller;
import com.rackflow.access.RecordKind;
import com.rackflow.contracts.Contract;
import com.rackflow.contracts.ContractService;
import com.rackflow.contracts.ContractStatus;
import com.rackflow.core.config.Config;
import com.rackflow.core.http.ApiException;
import com.rackflow.core.persistence.IdempotencyClaim;
import com.rackflow.core.persistence.Table;
import com.rackflow.customers.Customer;
import com.rackflow.customers.CustomerService;
import com.rackflow.customers.CustomerStatus;
import com.rackflow.customers.CustomerStore;
import com.rackflow.customers.CustomerTransitions.Mover;
import com.rackflow.core.history.Actor;
import com.rackflow.inventory.Allocation;
import com.rackflow.inventory.AllocationService;
import com.rackflow.inventory.AllocationStatus;
import com.rackflow.inventory.InventoryHandler;
import com.rackflow.racking.RackingFlow;
import com.rackflow.workitems.FlowRuns;
import com.rackflow.workitems.FlowStarter;
import com.rackflow.workitems.FlowStatus;
import com.rackflow.workitems.FlowStore;
import com.rackflow.workitems.FlowTasks;
import com.rackflow.workitems.FlowType;
import com.rackflow.workitems.Stage;
import com.rackflow.workitems.WorkItem;
import com.rackflow.workitems.WorkItemService;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Termination (解约): started for an ACTIVE contract by its owner's manager (or an admin); operations plans the
 * un-racking, a technician confirms the removal, then the contract's allocations are RELEASED, the contract
 * TERMINATED, and the customer TERMINATED when no other ACTIVE contract remains (otherwise it stays IN_SERVICE).
 */
public final class TerminationService implements FlowTasks<Termination> {
    static final Actor FLOW = Actor.system("system:termination-flow");
    private static final String WHAT = "termination";

    private final FlowRuns<Termination> runs;
    private final FlowRuns<RackingFlow> racking;
    private final FlowStore<Termination> store;
    private final ContractService contracts;
    private final CustomerStore customers;
    private final CustomerService customerService;
    private final AllocationService allocations;

    public TerminationService(Table table, WorkItemService workItems, FlowStarter starter, String stateMachineArn) {
        this.runs = new FlowRuns<>(table, FlowType.TERMINATION, Termination.class, workItems, starter, stateMachineArn);
        this.racking = new FlowRuns<>(table, FlowType.RACKING, RackingFlow.class, workItems, FlowStarter.none(), "");
        this.store = runs.store();
        this.contracts = new ContractService(table);
        this.customers = new CustomerStore(table);
        this.customerService = new CustomerService(table);
        this.allocations = new AllocationService(table);
    }

    static FlowStore<Termination> flows(Table table) {
        return new FlowStore<>(table, FlowType.TERMINATION, Termination.class);
    }

    public record StartRequest(String contractSerial, String reason, LocalDate plannedDate) {
    }

    // ---- API ----

    /** 404 unknown or out of scope, 403 not the owner's manager or an admin, 409 not ACTIVE / still racking / open. */
    public Termination start(Caller caller, StartRequest r, IdempotencyClaim claim) {
        Contract contract = contracts.findBySerial(r.contractSerial()).filter(c -> c.deletedAt() == null).orElse(null);
        AccessPolicy.requireManagerOf(caller, RecordKind.CONTRACT, contract, "contract " + r.contractSerial(), "terminate a contract");
        if (contract.status() != ContractStatus.ACTIVE) {
            throw ApiException.conflict("CONTRACT_NOT_ACTIVE", "contract " + contract.serial() + " is " + contract.status()
                    + "; only an ACTIVE contract can be terminated", "合同未生效（" + contract.status().labelZh() + "），不能解约",
                    Map.of("contractSerial", contract.serial(), "status", contract.status().name()));
        }
        Optional<String> rackingOpen = racking.openFlow(contract.contractId());
        if (rackingOpen.isPresent()) {
            throw ApiException.conflict("RACKING_FLOW_RUNNING", "contract " + contract.serial() + " is still being racked by "
                    + rackingOpen.get() + "; finish or reject it first", "该合同的上架流程仍在进行：" + rackingOpen.get(),
                    Map.of("runningFlowId", rackingOpen.get()));
        }
        Customer customer = customers.find(contract.customerId()).orElseThrow(() -> ApiException.notFound("customer"));
        String now = Instant.now().toString();
        return runs.begin(caller, contract.contractId(), contract.serial(), flowId -> new Termination(flowId, contract.contractId(),
                contract.serial(), customer.customerId(), customer.code(), customer.companyName(), contract.ownerId(),
                contract.departmentId(), r.reason(), r.plannedDate(), FlowStatus.RUNNING, null, null, List.of(), null, null,
                caller.userId(), now, now, null, 1), r.reason(), claim);
    }

    /** The flow a start with the same Idempotency-Key made, as the caller may see it now (its execution started). */
    public Termination replayed(Caller caller, String flowId) {
        AccessPolicy.requireVisible(caller, RecordKind.TERMINATION, store.find(flowId).orElse(null), WHAT);
        return runs.started(flowId);
    }

    public ObjectNode tracking(Caller caller, String flowId) {
        Termination t = AccessPolicy.requireVisible(caller, RecordKind.TERMINATION, store.view(flowId).orElse(null), WHAT);
        return runs.tracking(t, allocations.ofContract(t.contractId()).stream().map(InventoryHandler::view).toList());
    }

    public ObjectNode view(Termination t) {
        return runs.view(t);
    }

    // ---- flow tasks ----

    @Override
    public FlowRuns<Termination> runs() {
        return runs;
    }

    @Override
    public WorkItem openStage(String flowId, Stage stage, String taskToken, String executionArn, long deadlineSeconds) {
        return runs.openStage(store.require(flowId), stage, taskToken, executionArn, deadlineSeconds, null,
                Config.optional("OPERATIONS_DEPARTMENT_ID").orElse("operations"));
    }

    /** Allocations RELEASED, contract TERMINATED, customer TERMINATED unless another contract is ACTIVE (idempotent). */
    @Override
    public Termination finish(String flowId) {
        Termination t = store.require(flowId);
        for (Allocation a : allocations.ofContract(t.contractId())) {
            if (a.status() != AllocationStatus.RELEASED) {
                allocations.transition(a.allocationId(), AllocationStatus.RELEASED, FLOW, "contract terminated (" + flowId + ")");
            }
        }
        contracts.flowTransition(t.contractId(), ContractStatus.TERMINATED, FLOW.id(), "解约：" + flowId
                + (t.reason() == null ? "" : "（" + t.reason() + "）"));
        boolean othersActive = contracts.contractsOf(t.customerId()).stream()
                .anyMatch(c -> !c.contractId().equals(t.contractId()) && c.status() == ContractStatus.ACTIVE);
        if (!othersActive) {
            customerService.flowTransition(t.customerId(), CustomerStatus.TERMINATED, Mover.TERMINATION_FLOW, FLOW.id(),
                    "最后一份生效合同已解约：" + t.contractSerial());
        }
        return runs.end(flowId, FlowStatus.COMPLETED, null,
                x -> x.customerTerminated() != null ? x : x.withCustomerTerminated(!othersActive, Instant.now().toString()));
    }

    /** Cancelled at a stage or failed: nothing was released yet, so the flow only ends (REJECTED / FAILED). */
    @Override
    public Termination compensate(String flowId, String error, String cause) {
        store.require(flowId);
        return runs.endEarly(flowId, error, cause);
    }
}
