package com.rackflow.racking;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.access.AccessPolicy;
import com.rackflow.access.Caller;
import com.rackflow.access.RecordKind;
import com.rackflow.access.Role;
import com.rackflow.contracts.Contract;
import com.rackflow.contracts.ContractService;
import com.rackflow.contracts.ContractStatus;
import com.rackflow.core.config.Config;
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
import com.rackflow.workitems.FlowType;
import com.rackflow.workitems.OpenStage;
import com.rackflow.workitems.FlowStore;
import com.rackflow.workitems.FlowSupport;
import com.rackflow.workitems.Rejection;
import com.rackflow.workitems.Stage;
import com.rackflow.workitems.WorkItem;
import com.rackflow.workitems.WorkItemService;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The racking flow (上架流程): started with a valid contract serial (one open flow per contract), followed through its
 * stages, finished (allocations OCCUPIED, customer IN_SERVICE) or compensated (reservations released) by its tasks.
 */
public final class RackingService {
    static final String TYPE = FlowType.RACKING.recordType();
    static final Actor FLOW = Actor.system("system:racking-flow");
    private static final String WHAT = "racking flow";

    private final FlowStore<RackingFlow> store;
    private final ContractService contracts;
    private final CustomerStore customers;
    private final CustomerService customerService;
    private final AllocationService allocations;
    private final WorkItemService workItems;
    private final FlowSupport support;
    private final History history;
    private final Table table;
    private final FlowStarter starter;
    private final String stateMachineArn;

    public RackingService(Table table, WorkItemService workItems, FlowStarter starter, String stateMachineArn) {
        this.table = table;
        this.store = RackingService.flows(table);
        this.contracts = new ContractService(table);
        this.customers = new CustomerStore(table);
        this.customerService = new CustomerService(table);
        this.allocations = new AllocationService(table);
        this.workItems = workItems;
        this.support = new FlowSupport(table, FlowType.RACKING);
        this.history = new History(table);
        this.starter = starter;
        this.stateMachineArn = stateMachineArn;
    }

    public record StartRequest(String contractSerial, LocalDate plannedDate, List<Device> devices, String note) {
    }

    // ---- API ----

    /**
     * Starts the flow: the contract must exist and be visible (404), be ACTIVE and its customer SIGNED (or already in
     * service with an earlier contract) (409), and have no open racking flow (409 naming it). Nothing starts otherwise.
     */
    public RackingFlow start(Caller caller, StartRequest r) {
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
        Optional<String> open = support.openFlow(contract.contractId(), this::isOpen);
        if (open.isPresent()) {
            throw running(contract, open.get());
        }
        FlowSupport.Claimed claimed = support.claim(contract.contractId(), contract.serial(), this::isOpen);
        if (claimed.flowId() == null) {
            throw running(contract, claimed.heldBy());
        }
        String flowId = claimed.flowId();
        String now = Instant.now().toString();
        RackingFlow f = new RackingFlow(flowId, contract.contractId(), contract.serial(), customer.customerId(), customer.code(),
                customer.companyName(), contract.ownerId(), contract.departmentId(),
                new ContractItems(contract.cabinets(), contract.uCount(), contract.powerKw(), contract.bandwidthMbps(), contract.ipCount()),
                r.plannedDate(), r.devices() == null ? List.of() : r.devices(), r.note(), RackingStatus.RUNNING, null, null,
                List.of(), List.of(), null, caller.userId(), now, now, null, 1);
        try {
            if (!store.insert(f)) {
                throw new IllegalStateException("racking flow id collision " + flowId);
            }
        } catch (RuntimeException e) {
            support.release(flowId, contract.contractId());
            throw e;
        }
        history.record(TYPE, flowId, "STARTED", caller, History.diff(null, f, java.util.Set.of("version")), r.note());
        return resumeStart(f);
    }

    /** 409 naming the open flow; one whose record was written but whose execution never started is started now. */
    private ApiException running(Contract contract, String flowId) {
        store.find(flowId).filter(f -> f.executionArn() == null && f.status() == RackingStatus.RUNNING).ifPresent(this::resumeStart);
        return ApiException.conflict("RACKING_FLOW_RUNNING", "contract " + contract.serial() + " already has the open racking flow "
                + flowId, "该合同已有进行中的上架流程：" + flowId, Map.of("runningFlowId", flowId));
    }

    /** Starts (or confirms) the execution named after the flow; the same name never starts a second one. */
    private RackingFlow resumeStart(RackingFlow f) {
        ObjectNode input = support.input(f.flowId(), f.contractId(), f.contractSerial());
        String arn;
        try {
            arn = starter.start(stateMachineArn, f.flowId(), input);
        } catch (RuntimeException e) {
            Log.error("racking flow could not be started", e, "flowId", f.flowId());
            end(f.flowId(), RackingStatus.FAILED, new Rejection(null, "the state machine could not be started", FLOW.id(),
                    Instant.now().toString()));
            throw new ApiException(503, "FLOW_START_FAILED", "the racking flow could not be started; try again",
                    "上架流程启动失败，请重试", null, Map.of("flowId", f.flowId()));
        }
        return store.update(f.flowId(), x -> x.executionArn() != null ? x : x.started(arn, Instant.now().toString())).orElseThrow();
    }

    private boolean isOpen(String flowId) {
        return store.find(flowId).map(f -> f.status() == RackingStatus.RUNNING).orElse(false);
    }

    public RackingFlow get(Caller caller, String flowId) {
        return AccessPolicy.requireVisible(caller, RecordKind.RACKING_FLOW, store.find(flowId).orElse(null), WHAT);
    }

    /** The racking flows of a contract the caller may see (404 when the contract is not visible). */
    public List<RackingFlow> ofContract(Caller caller, String contractId) {
        Contract c = contracts.find(contractId).filter(x -> x.deletedAt() == null).orElse(null);
        AccessPolicy.requireVisible(caller, RecordKind.CONTRACT, c, "contract");
        return store.ofContract(contractId).stream().filter(f -> AccessPolicy.maySee(caller, RecordKind.RACKING_FLOW, f)).toList();
    }

    /** Tracking: the flow, its stages (who, when, deadlines, escalations), allocations, history, execution ARN. */
    public ObjectNode tracking(Caller caller, String flowId) {
        RackingFlow f = get(caller, flowId);
        ObjectNode o = view(f);
        ArrayNode stages = o.putArray("stages");
        workItems.ofFlow(FlowType.RACKING, flowId).forEach(w -> stages.add(WorkItemService.view(w)));
        ArrayNode allocs = o.putArray("allocations");
        allocations.ofContract(f.contractId()).stream().filter(a -> flowId.equals(a.flowId()))
                .forEach(a -> allocs.add(InventoryHandler.view(a)));
        o.set("history", Json.tree(history.list(TYPE, flowId, null, 100).items()));
        if (f.executionArn() != null) {
            o.put("consoleUrl", FlowSupport.consoleUrl(f.executionArn()));
        }
        return o;
    }

    static ObjectNode view(RackingFlow f) {
        ObjectNode o = (ObjectNode) Json.tree(f);
        o.put("statusLabel", f.status().labelZh());
        if (f.currentStage() != null) {
            o.put("currentStageLabel", f.currentStage().labelZh());
        }
        return o;
    }

    // ---- flow tasks ----

    /** A stage task: opens the stage's work item for its role (acceptance: the contract's salesperson). */
    public WorkItem openStage(String flowId, Stage stage, String taskToken, String executionArn, long deadlineSeconds) {
        RackingFlow f = store.require(flowId);
        boolean sales = stage.role() == Role.SALES;
        WorkItem w = workItems.open(new OpenStage(FlowType.RACKING, flowId, stage, taskToken, executionArn, deadlineSeconds,
                sales ? f.ownerId() : null, stage.role(), sales ? f.departmentId() : operationsDepartment(),
                f.contractId(), f.contractSerial(), f.customerId(), f.customerCode(), f.ownerId(), f.departmentId()));
        store.update(flowId, x -> x.currentStage() == stage && x.executionArn() != null ? x
                : x.atStage(stage, executionArn, Instant.now().toString()));
        return w;
    }

    public Optional<WorkItem> escalate(String flowId, Stage stage) {
        return workItems.escalate(flowId, stage);
    }

    /** The final automatic step: allocations OCCUPIED, customer IN_SERVICE, flow COMPLETED (idempotent). */
    public RackingFlow finish(String flowId) {
        RackingFlow f = store.require(flowId);
        for (Allocation a : liveAllocations(f)) {
            allocations.transition(a.allocationId(), AllocationStatus.OCCUPIED, FLOW, "racked by " + flowId);
        }
        customerService.flowTransition(f.customerId(), CustomerStatus.IN_SERVICE, Mover.RACKING_FLOW, FLOW.id(),
                "上架完成：" + f.contractSerial() + "（" + flowId + "）");
        return end(flowId, RackingStatus.COMPLETED, null);
    }

    /** Compensation: releases the flow's reservations, cancels open stages, ends the flow REJECTED or FAILED. */
    public RackingFlow compensate(String flowId, String error, String cause) {
        RackingFlow f = store.require(flowId);
        for (Allocation a : liveAllocations(f)) {
            if (a.status() == AllocationStatus.RESERVED) {
                allocations.transition(a.allocationId(), AllocationStatus.RELEASED, FLOW, "released: flow " + flowId + " ended");
            }
        }
        boolean rejected = WorkItemService.REJECTED_ERROR.equals(error);
        workItems.cancelOpen(FlowType.RACKING, flowId, rejected ? "flow rejected" : "flow failed");
        return end(flowId, rejected ? RackingStatus.REJECTED : RackingStatus.FAILED, FlowSupport.why(error, cause, FLOW.id()));
    }

    private RackingFlow end(String flowId, RackingStatus to, Rejection why) {
        RackingFlow before = store.require(flowId);
        RackingFlow ended = store.update(flowId, x -> x.status() != RackingStatus.RUNNING ? x
                : x.ended(to, why, Instant.now().toString())).orElseThrow();
        support.release(flowId, ended.contractId());
        if (before.status() == RackingStatus.RUNNING && ended.status() == to) {
            Map<String, Object> note = new LinkedHashMap<>();
            if (why != null) {
                note.put("stage", why.stage());
                note.put("reason", why.reason());
            }
            history.record(TYPE, flowId, to.name(), FLOW.id(), FLOW.role(), null,
                    History.diff(before, ended, java.util.Set.of("version", "updatedAt")), why == null ? null : why.reason());
        }
        return ended;
    }

    List<Allocation> liveAllocations(RackingFlow f) {
        List<Allocation> out = new ArrayList<>();
        for (Allocation a : allocations.ofContract(f.contractId())) {
            if (f.flowId().equals(a.flowId()) && a.status() != AllocationStatus.RELEASED) {
                out.add(a);
            }
        }
        return out;
    }

    static FlowStore<RackingFlow> flows(Table table) {
        return new FlowStore<>(table, FlowType.RACKING, RackingFlow.class);
    }

    static String operationsDepartment() {
        return Config.optional("OPERATIONS_DEPARTMENT_ID").orElse("operations");
    }

    FlowStore<RackingFlow> store() {
        return store;
    }

    AllocationService allocations() {
        return allocations;
    }
}
