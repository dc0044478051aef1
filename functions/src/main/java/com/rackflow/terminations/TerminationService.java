package com.rackflow.terminations;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.access.AccessPolicy;
import com.rackflow.access.Caller;
import com.rackflow.access.RecordKind;
import com.rackflow.contracts.Contract;
import com.rackflow.contracts.ContractService;
import com.rackflow.contracts.ContractStatus;
import com.rackflow.core.history.History;
import com.rackflow.core.http.ApiException;
import com.rackflow.core.json.Json;
import com.rackflow.core.logging.Log;
import com.rackflow.core.persistence.Table;
import com.rackflow.customers.Customer;
import com.rackflow.customers.CustomerService;
import com.rackflow.customers.CustomerStatus;
import com.rackflow.customers.CustomerStore;
import com.rackflow.customers.CustomerTransitions.Mover;
import com.rackflow.inventory.Actor;
import com.rackflow.inventory.Allocation;
import com.rackflow.inventory.AllocationService;
import com.rackflow.inventory.AllocationStatus;
import com.rackflow.inventory.InventoryHandler;
import com.rackflow.workitems.FlowStarter;
import com.rackflow.workitems.FlowStore;
import com.rackflow.workitems.FlowSupport;
import com.rackflow.workitems.FlowType;
import com.rackflow.workitems.OpenStage;
import com.rackflow.workitems.Rejection;
import com.rackflow.workitems.Stage;
import com.rackflow.workitems.WorkItem;
import com.rackflow.workitems.WorkItemService;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Termination (解约): started for an ACTIVE contract by its owner's manager (or an admin); operations plans the
 * un-racking, a technician confirms the removal, then the contract's allocations are RELEASED, the contract
 * TERMINATED, and the customer TERMINATED when no other ACTIVE contract remains (otherwise it stays IN_SERVICE).
 */
public final class TerminationService {
    static final Actor FLOW = Actor.system("system:termination-flow");
    static final String TYPE = FlowType.TERMINATION.recordType();
    private static final String WHAT = "termination";

    private final FlowStore<Termination> store;
    private final FlowSupport support;
    private final FlowSupport racking;
    private final ContractService contracts;
    private final CustomerStore customers;
    private final CustomerService customerService;
    private final AllocationService allocations;
    private final WorkItemService workItems;
    private final History history;
    private final FlowStarter starter;
    private final String stateMachineArn;
    private final Table table;

    public TerminationService(Table table, WorkItemService workItems, FlowStarter starter, String stateMachineArn) {
        this.table = table;
        this.store = flows(table);
        this.support = new FlowSupport(table, FlowType.TERMINATION);
        this.racking = new FlowSupport(table, FlowType.RACKING);
        this.contracts = new ContractService(table);
        this.customers = new CustomerStore(table);
        this.customerService = new CustomerService(table);
        this.allocations = new AllocationService(table);
        this.workItems = workItems;
        this.history = new History(table);
        this.starter = starter;
        this.stateMachineArn = stateMachineArn;
    }

    static FlowStore<Termination> flows(Table table) {
        return new FlowStore<>(table, FlowType.TERMINATION, Termination.class);
    }

    public record StartRequest(String contractSerial, String reason, LocalDate plannedDate) {
    }

    // ---- API ----

    public Termination start(Caller caller, StartRequest r) {
        Contract contract = contracts.findBySerial(r.contractSerial()).filter(c -> c.deletedAt() == null).orElse(null);
        AccessPolicy.requireManagerOf(caller, RecordKind.CONTRACT, contract, "contract " + r.contractSerial(), "terminate a contract");
        if (contract.status() != ContractStatus.ACTIVE) {
            throw ApiException.conflict("CONTRACT_NOT_ACTIVE", "contract " + contract.serial() + " is " + contract.status()
                    + "; only an ACTIVE contract can be terminated", "合同未生效（" + contract.status().labelZh() + "），不能解约",
                    Map.of("contractSerial", contract.serial(), "status", contract.status().name()));
        }
        Optional<String> rackingOpen = racking.openFlow(contract.contractId(),
                id -> table.get(com.rackflow.core.persistence.Keys.record(FlowType.RACKING.recordType(), id))
                        .map(i -> "RUNNING".equals(i.get("status").s())).orElse(false));
        if (rackingOpen.isPresent()) {
            throw ApiException.conflict("RACKING_FLOW_RUNNING", "contract " + contract.serial() + " is still being racked by "
                    + rackingOpen.get() + "; finish or reject it first", "该合同的上架流程仍在进行：" + rackingOpen.get(),
                    Map.of("runningFlowId", rackingOpen.get()));
        }
        Optional<String> open = support.openFlow(contract.contractId(), this::isOpen);
        if (open.isPresent()) {
            throw running(contract, open.get());
        }
        FlowSupport.Claimed claimed = support.claim(contract.contractId(), contract.serial(), this::isOpen);
        if (claimed.flowId() == null) {
            throw running(contract, claimed.heldBy());
        }
        String flowId = claimed.flowId();
        Customer customer = customers.find(contract.customerId()).orElseThrow(() -> ApiException.notFound("customer"));
        String now = Instant.now().toString();
        Termination t = new Termination(flowId, contract.contractId(), contract.serial(), customer.customerId(), customer.code(),
                customer.companyName(), contract.ownerId(), contract.departmentId(), r.reason(), r.plannedDate(),
                TerminationStatus.RUNNING, null, null, List.of(), null, null, caller.userId(), now, now, null, 1);
        try {
            if (!store.insert(t)) {
                throw new IllegalStateException("termination id collision " + flowId);
            }
        } catch (RuntimeException e) {
            support.release(flowId, contract.contractId());
            throw e;
        }
        history.record(TYPE, flowId, "STARTED", caller, History.diff(null, t, Set.of("version")), r.reason());
        return resumeStart(t);
    }

    private ApiException running(Contract contract, String flowId) {
        store.find(flowId).filter(f -> f.executionArn() == null && f.status() == TerminationStatus.RUNNING).ifPresent(this::resumeStart);
        return ApiException.conflict("TERMINATION_RUNNING", "contract " + contract.serial() + " already has the open termination "
                + flowId, "该合同已有进行中的解约流程：" + flowId, Map.of("runningFlowId", flowId));
    }

    private Termination resumeStart(Termination t) {
        String arn;
        try {
            arn = starter.start(stateMachineArn, t.flowId(), support.input(t.flowId(), t.contractId(), t.contractSerial()));
        } catch (RuntimeException e) {
            Log.error("termination could not be started", e, "flowId", t.flowId());
            end(t.flowId(), TerminationStatus.FAILED, new Rejection(null, "the state machine could not be started", FLOW.id(),
                    Instant.now().toString()), null);
            throw new ApiException(503, "FLOW_START_FAILED", "the termination could not be started; try again",
                    "解约流程启动失败，请重试", null, Map.of("flowId", t.flowId()));
        }
        return store.update(t.flowId(), x -> x.executionArn() != null ? x : x.with(x.status(), x.currentStage(), arn,
                x.removedDevices(), x.customerTerminated(), x.rejection(), Instant.now().toString(), x.completedAt())).orElseThrow();
    }

    private boolean isOpen(String flowId) {
        return store.find(flowId).map(f -> f.status() == TerminationStatus.RUNNING).orElse(false);
    }

    public ObjectNode tracking(Caller caller, String flowId) {
        Termination t = AccessPolicy.requireVisible(caller, RecordKind.TERMINATION, store.find(flowId).orElse(null), WHAT);
        ObjectNode o = view(t);
        ArrayNode stages = o.putArray("stages");
        workItems.ofFlow(FlowType.TERMINATION, flowId).forEach(w -> stages.add(WorkItemService.view(w)));
        ArrayNode allocs = o.putArray("allocations");
        allocations.ofContract(t.contractId()).forEach(a -> allocs.add(InventoryHandler.view(a)));
        o.set("history", Json.tree(history.list(TYPE, flowId, null, 100).items()));
        if (t.executionArn() != null) {
            o.put("consoleUrl", FlowSupport.consoleUrl(t.executionArn()));
        }
        return o;
    }

    static ObjectNode view(Termination t) {
        ObjectNode o = (ObjectNode) Json.tree(t);
        o.put("statusLabel", t.status().labelZh());
        if (t.currentStage() != null) {
            o.put("currentStageLabel", t.currentStage().labelZh());
        }
        return o;
    }

    // ---- flow tasks ----

    public WorkItem openStage(String flowId, Stage stage, String taskToken, String executionArn, long deadlineSeconds) {
        Termination t = store.require(flowId);
        WorkItem w = workItems.open(new OpenStage(FlowType.TERMINATION, flowId, stage, taskToken, executionArn, deadlineSeconds,
                null, stage.role(), com.rackflow.core.config.Config.optional("OPERATIONS_DEPARTMENT_ID").orElse("operations"),
                t.contractId(), t.contractSerial(), t.customerId(), t.customerCode(), t.ownerId(), t.departmentId()));
        store.update(flowId, x -> x.currentStage() == stage && x.executionArn() != null ? x : x.with(x.status(), stage,
                x.executionArn() == null ? executionArn : x.executionArn(), x.removedDevices(), x.customerTerminated(),
                x.rejection(), Instant.now().toString(), x.completedAt()));
        return w;
    }

    public Optional<WorkItem> escalate(String flowId, Stage stage) {
        return workItems.escalate(flowId, stage);
    }

    /** Allocations RELEASED, contract TERMINATED, customer TERMINATED unless another contract is ACTIVE (idempotent). */
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
        return end(flowId, TerminationStatus.COMPLETED, null, !othersActive);
    }

    public Termination compensate(String flowId, String error, String cause) {
        store.require(flowId);
        boolean rejected = WorkItemService.REJECTED_ERROR.equals(error);
        workItems.cancelOpen(FlowType.TERMINATION, flowId, rejected ? "termination cancelled" : "termination failed");
        return end(flowId, rejected ? TerminationStatus.REJECTED : TerminationStatus.FAILED, FlowSupport.why(error, cause, FLOW.id()), null);
    }

    private Termination end(String flowId, TerminationStatus to, Rejection why, Boolean customerTerminated) {
        Termination before = store.require(flowId);
        String now = Instant.now().toString();
        Termination ended = store.update(flowId, x -> x.status() != TerminationStatus.RUNNING ? x
                : x.with(to, x.currentStage(), x.executionArn(), x.removedDevices(), customerTerminated, why, now, now)).orElseThrow();
        support.release(flowId, ended.contractId());
        if (before.status() == TerminationStatus.RUNNING && ended.status() == to) {
            history.record(TYPE, flowId, to.name(), FLOW.id(), FLOW.role(), null,
                    History.diff(before, ended, Set.of("version", "updatedAt")), why == null ? null : why.reason());
        }
        return ended;
    }
}
