package com.rackflow.racking;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.access.AccessPolicy;
import com.rackflow.access.Caller;
import com.rackflow.access.RecordKind;
import com.rackflow.access.Role;
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

/**
 * The racking flow (上架流程): started with a valid contract serial (one open flow per contract), followed through its
 * stages, finished (allocations OCCUPIED, customer IN_SERVICE) or compensated (reservations released) by its tasks.
 */
public final class RackingService implements FlowTasks<RackingFlow> {
    static final Actor FLOW = Actor.system("system:racking-flow");
    private static final String WHAT = "racking flow";

    private final FlowRuns<RackingFlow> runs;
    private final FlowStore<RackingFlow> store;
    private final ContractService contracts;
    private final CustomerStore customers;
    private final CustomerService customerService;
    private final AllocationService allocations;

    public RackingService(Table table, WorkItemService workItems, FlowStarter starter, String stateMachineArn) {
        this.runs = new FlowRuns<>(table, FlowType.RACKING, RackingFlow.class, workItems, starter, stateMachineArn);
        this.store = runs.store();
        this.contracts = new ContractService(table);
        this.customers = new CustomerStore(table);
        this.customerService = new CustomerService(table);
        this.allocations = new AllocationService(table);
    }

    static FlowStore<RackingFlow> flows(Table table) {
        return new FlowStore<>(table, FlowType.RACKING, RackingFlow.class);
    }

    public record StartRequest(String contractSerial, LocalDate plannedDate, List<Device> devices, String note) {
    }

    // ---- API ----

    /**
     * Starts the flow: the contract must exist and be visible (404), be ACTIVE and its customer SIGNED (or already in
     * service with an earlier contract) (409), and have no open racking flow (409 naming it). Nothing starts otherwise.
     */
    public RackingFlow start(Caller caller, StartRequest r, IdempotencyClaim claim) {
        Contract contract = contracts.findBySerial(r.contractSerial()).filter(c -> c.deletedAt() == null).orElse(null);
        AccessPolicy.requireFlowStarter(caller, RecordKind.CONTRACT, contract, "contract " + r.contractSerial());
        if (contract.status() != ContractStatus.ACTIVE) {
            throw ApiException.conflict("CONTRACT_NOT_ACTIVE", "contract " + contract.serial() + " is " + contract.status()
                    + "; only an ACTIVE contract can be racked", "合同未生效（" + contract.status().labelZh() + "），不能发起上架",
                    Map.of("contractSerial", contract.serial(), "status", contract.status().name()));
        }
        Customer customer = customers.find(contract.customerId()).orElseThrow(() -> ApiException.notFound("customer"));
        if (!CustomerStatus.SERVICEABLE.contains(customer.status())) {
            throw ApiException.conflict("CUSTOMER_NOT_SIGNED", "customer " + customer.code() + " is " + customer.status()
                    + "; racking needs a SIGNED customer", "客户未签约（" + customer.status().labelZh() + "），不能发起上架",
                    Map.of("customerCode", customer.code(), "status", customer.status().name()));
        }
        String now = Instant.now().toString();
        return runs.begin(caller, contract.contractId(), contract.serial(), flowId -> new RackingFlow(flowId, contract.contractId(),
                contract.serial(), customer.customerId(), customer.code(), customer.companyName(), contract.ownerId(),
                contract.departmentId(), new ContractItems(contract.cabinets(), contract.uCount(), contract.powerKw(),
                contract.bandwidthMbps(), contract.ipCount()), r.plannedDate(), r.devices() == null ? List.of() : r.devices(),
                r.note(), FlowStatus.RUNNING, null, null, List.of(), List.of(), null, caller.userId(), now, now, null, 1), r.note(), claim);
    }

    public RackingFlow get(Caller caller, String flowId) {
        return AccessPolicy.requireVisible(caller, RecordKind.RACKING_FLOW, store.find(flowId).orElse(null), WHAT);
    }

    /** The flow a start with the same Idempotency-Key made, as the caller may see it now (its execution started). */
    public RackingFlow replayed(Caller caller, String flowId) {
        get(caller, flowId);
        return runs.started(flowId);
    }

    /** The racking flows of a contract the caller may see (404 when the contract is not visible). */
    public com.rackflow.core.persistence.Page<RackingFlow> ofContract(Caller caller, String contractId, String cursor, int limit) {
        Contract c = contracts.find(contractId).filter(x -> x.deletedAt() == null).orElse(null);
        AccessPolicy.requireVisible(caller, RecordKind.CONTRACT, c, "contract");
        return store.ofContract(contractId, cursor, limit, f -> AccessPolicy.maySee(caller, RecordKind.RACKING_FLOW, f));
    }

    public ObjectNode tracking(Caller caller, String flowId) {
        RackingFlow f = AccessPolicy.requireVisible(caller, RecordKind.RACKING_FLOW, store.view(flowId).orElse(null), WHAT);
        return runs.tracking(f, allocations.ofContract(f.contractId()).stream().filter(a -> flowId.equals(a.flowId()))
                .map(InventoryHandler::view).toList());
    }

    public ObjectNode view(RackingFlow f) {
        return runs.view(f);
    }

    // ---- flow tasks ----

    @Override
    public FlowRuns<RackingFlow> runs() {
        return runs;
    }

    /**
     * A stage task: opens the stage's work item for operations (acceptance: the contract's salesperson as the contract
     * says now: a staff departure hands the contract to a colleague while its flow runs).
     */
    @Override
    public WorkItem openStage(String flowId, Stage stage, String taskToken, String executionArn, long deadlineSeconds) {
        RackingFlow f = store.require(flowId);
        if (stage.role() != Role.SALES) {
            return runs.openStage(f, stage, taskToken, executionArn, deadlineSeconds, null, operationsDepartment());
        }
        Contract now = contracts.find(f.contractId()).orElse(null);
        return runs.openStage(f, stage, taskToken, executionArn, deadlineSeconds, now == null ? f.ownerId() : now.ownerId(),
                now == null ? f.departmentId() : now.departmentId());
    }

    /** The final automatic step: allocations OCCUPIED, customer IN_SERVICE, flow COMPLETED (idempotent). */
    @Override
    public RackingFlow finish(String flowId) {
        RackingFlow f = store.require(flowId);
        for (Allocation a : liveAllocations(f)) {
            allocations.transition(a.allocationId(), AllocationStatus.OCCUPIED, FLOW, "racked by " + flowId);
        }
        customerService.flowTransition(f.customerId(), CustomerStatus.IN_SERVICE, Mover.RACKING_FLOW, FLOW.id(),
                "上架完成：" + f.contractSerial() + "（" + flowId + "）");
        return runs.end(flowId, FlowStatus.COMPLETED, null);
    }

    /** Compensation: releases the flow's reservations, cancels open stages, ends the flow REJECTED or FAILED. */
    @Override
    public RackingFlow compensate(String flowId, String error, String cause) {
        RackingFlow f = store.require(flowId);
        for (Allocation a : liveAllocations(f)) {
            if (a.status() == AllocationStatus.RESERVED) {
                allocations.transition(a.allocationId(), AllocationStatus.RELEASED, FLOW, "released: flow " + flowId + " ended");
            }
        }
        return runs.endEarly(flowId, error, cause);
    }

    private List<Allocation> liveAllocations(RackingFlow f) {
        return allocations.ofContract(f.contractId()).stream()
                .filter(a -> f.flowId().equals(a.flowId()) && a.status() != AllocationStatus.RELEASED).toList();
    }

    static String operationsDepartment() {
        return Config.optional("OPERATIONS_DEPARTMENT_ID").orElse("operations");
    }
}
