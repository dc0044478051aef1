package com.rackflow.workitems;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.access.Caller;
import com.rackflow.core.history.History;
import com.rackflow.core.http.ApiException;
import com.rackflow.core.json.Json;
import com.rackflow.core.logging.Log;
import com.rackflow.core.logging.Metrics;
import com.rackflow.core.history.Actor;
import com.rackflow.core.persistence.Guard;
import com.rackflow.core.persistence.IdempotencyClaim;
import com.rackflow.core.persistence.Keys;
import com.rackflow.core.persistence.Table;
import com.rackflow.core.persistence.UnitOfWork;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * What every flow type does the same way: one open flow per contract (a guard naming the flow), flow ids
 * {@code <RF|TF>-<serial>-<n>} that are also the execution names (so a start is never made twice), the execution
 * input with the stage deadlines, the stages' work items, the end of a flow with its history, and the tracking view.
 * A start (the record, its STARTED entry, the open-flow guard, the request's idempotency record) and an end (the
 * record, its entry, the guard released) are each one unit of work.
 */
public final class FlowRuns<T extends FlowRecord<T>> {
    private final FlowType type;
    private final FlowStore<T> store;
    private final Table table;
    private final WorkItemService workItems;
    private final History history;
    private final FlowStarter starter;
    private final String stateMachineArn;
    private final String systemActor;
    private final Actor system;
    private final String guardKind;

    public FlowRuns(Table table, FlowType type, Class<T> recordClass, WorkItemService workItems, FlowStarter starter,
                    String stateMachineArn) {
        this.type = type;
        this.table = table;
        this.store = new FlowStore<>(table, type, recordClass);
        this.workItems = workItems;
        this.history = new History(table);
        this.starter = starter;
        this.stateMachineArn = stateMachineArn;
        this.systemActor = "system:" + type.name().toLowerCase() + "-flow";
        this.system = Actor.system(systemActor);
        this.guardKind = type.name() + "_OPEN";
    }

    public FlowStore<T> store() {
        return store;
    }

    public String systemActor() {
        return systemActor;
    }

    // ---- start ----

    /** The flow of this type still open for the contract, if any (the guard names it while it runs). */
    public Optional<String> openFlow(String contractId) {
        return table.holder(guard(contractId)).filter(this::isOpen);
    }

    private Guard guard(String contractId) {
        return new Guard(guardKind, contractId);
    }

    private boolean isOpen(String flowId) {
        return store.find(flowId).map(f -> f.status() == FlowStatus.RUNNING).orElse(false);
    }

    /**
     * Claims the contract for a new flow (409 naming the open one) and writes the record {@code create} makes for the
     * new flow id with its STARTED entry and the request's idempotency record ({@code claim}, may be null): one
     * transaction; then starts the execution of that name.
     */
    public T begin(Caller caller, String contractId, String serial, Function<String, T> create, String note,
                   IdempotencyClaim claim) {
        String formerHolder = table.holder(guard(contractId)).orElse(null);
        if (formerHolder != null && isOpen(formerHolder)) {
            throw running(serial, formerHolder);
        }
        // a gap in the numbers (a start refused below) is harmless; the number never repeats
        long n = table.increment(Keys.counter(guardKind + "#" + contractId));
        String flowId = type.idPrefix() + "-" + serial + "-" + n;
        T f = create.apply(flowId);
        // a guard naming a flow that is not running was left by the code before the unit of work (which released it
        // after the flow's end, in a write of its own): it is taken over
        new UnitOfWork(table, Actor.of(caller)).create(store.records(), f, "STARTED", note).idempotent(claim)
                .claim(guard(contractId), flowId, formerHolder, holder -> running(serial, holder))
                .commit();
        Metrics.count("FlowsStarted", "FlowType", type.name());
        return resumeStart(f);
    }

    /**
     * A flow as a replayed start answers it: one whose record was written but whose execution never started (the
     * starting request died in between) is started now.
     */
    public T started(String flowId) {
        T f = store.require(flowId);
        return f.executionArn() == null && f.status() == FlowStatus.RUNNING ? resumeStart(f) : f;
    }

    /** 409 naming the open flow; one whose record was written but whose execution never started is started now. */
    private ApiException running(String serial, String flowId) {
        store.find(flowId).filter(f -> f.executionArn() == null && f.status() == FlowStatus.RUNNING).ifPresent(this::resumeStart);
        return ApiException.conflict(type.runningCode(), "contract " + serial + " already has the open " + type.name().toLowerCase()
                + " flow " + flowId, "该合同已有进行中的" + type.labelZh() + "：" + flowId, Map.of("runningFlowId", flowId));
    }

    /** Starts (or confirms) the execution named after the flow. */
    private T resumeStart(T f) {
        ObjectNode input = Json.object();
        input.put("flowId", f.flowId()).put("contractId", f.contractId()).put("contractSerial", f.contractSerial());
        input.set("deadlines", Deadlines.forFlow(type));
        String arn;
        try {
            arn = starter.start(stateMachineArn, f.flowId(), input);
        } catch (RuntimeException e) {
            // the flow stays RUNNING without an execution: retrying the start (with its key, or without: 409 naming it)
            // starts the execution of this flow, so a retry never makes a second flow
            Log.error("flow could not be started", e, "flowId", f.flowId());
            throw new ApiException(503, "FLOW_START_FAILED", "the " + type.name().toLowerCase() + " flow could not be started; try again",
                    type.labelZh() + "启动失败，请重试", null, Map.of("flowId", f.flowId()));
        }
        return store.update(f.flowId(), system, "EXECUTION_STARTED", null,
                x -> x.executionArn() != null ? x : x.started(arn, Instant.now().toString())).orElseThrow();
    }

    // ---- tasks ----

    /** Opens the stage's work item for one person, or for the stage's role in a department. */
    public WorkItem openStage(T f, Stage stage, String taskToken, String executionArn, long deadlineSeconds,
                              String assigneeId, String assigneeDepartmentId) {
        WorkItem w = workItems.open(new OpenStage(type, f.flowId(), stage, taskToken, executionArn, deadlineSeconds,
                assigneeId, stage.role(), assigneeDepartmentId, f.contractId(), f.contractSerial(), f.customerId(),
                f.customerCode(), f.ownerId(), f.departmentId()));
        store.update(f.flowId(), system, "STAGE_OPENED", null, x -> x.currentStage() == stage && x.executionArn() != null ? x
                : x.atStage(stage, executionArn, Instant.now().toString()));
        return w;
    }

    public Optional<WorkItem> escalate(String flowId, Stage stage) {
        return workItems.escalate(flowId, stage);
    }

    public void escalationFailed(String flowId, Stage stage, String error, String cause) {
        workItems.escalationFailed(type, flowId, stage, error, cause);
    }

    private static final Map<FlowStatus, String> FLOW_END_METRICS = Map.of(FlowStatus.COMPLETED, "FlowsCompleted",
            FlowStatus.REJECTED, "FlowsRejected", FlowStatus.FAILED, "FlowsFailed");

    /** Ends a running flow once, frees the contract for the next flow, records the end in history (idempotent). */
    public T end(String flowId, FlowStatus to, Rejection why) {
        return end(flowId, to, why, UnaryOperator.identity());
    }

    /**
     * As {@link #end(String, FlowStatus, Rejection)}, with what the end of this flow type also sets on its record
     * ({@code also}, e.g. whether the customer was terminated): the record, its entry and the released guard are one
     * transaction.
     */
    public T end(String flowId, FlowStatus to, Rejection why, UnaryOperator<T> also) {
        T before = store.require(flowId);
        T ended = store.update(flowId, system, to.name(), why == null ? null : why.reason(),
                x -> x.status() != FlowStatus.RUNNING ? x : also.apply(x.ended(to, why, Instant.now().toString())),
                (b, a, uow) -> uow.release(guard(a.contractId()), a.flowId())).orElseThrow();
        if (before.status() == FlowStatus.RUNNING && ended.status() == to) {
            Metrics.count(FLOW_END_METRICS.get(to), "FlowType", type.name());
        }
        return ended;
    }

    /** A stage rejected the flow (error Rejected) or a step failed: open stages are cancelled, the flow ends. */
    public T endEarly(String flowId, String error, String cause) {
        boolean rejected = WorkItemService.REJECTED_ERROR.equals(error);
        workItems.cancelOpen(type, flowId, rejected ? "flow rejected" : "flow failed");
        return end(flowId, rejected ? FlowStatus.REJECTED : FlowStatus.FAILED, why(error, cause));
    }

    private Rejection why(String error, String cause) {
        if (WorkItemService.REJECTED_ERROR.equals(error)) {
            try {
                JsonNode c = Json.read(cause == null ? "{}" : cause);
                return new Rejection(c.path("stage").asText(null), c.path("reason").asText(null),
                        c.path("rejectedBy").asText(null), c.path("rejectedAt").asText(Instant.now().toString()));
            } catch (IOException e) {
                return new Rejection(null, cause, null, Instant.now().toString());
            }
        }
        return new Rejection(null, error + (cause == null ? "" : ": " + cause), systemActor, Instant.now().toString());
    }

    // ---- views ----

    /** What a flow's answer shows, per flow type (the two flows' records differ). */
    private static final java.util.Map<FlowType, String[]> SHOWN = java.util.Map.of(
            FlowType.RACKING, new String[]{"flowId", "contractId", "contractSerial", "customerId", "customerCode",
                    "customerName", "ownerId", "departmentId", "items", "plannedDate", "devices", "note", "status",
                    "currentStage", "executionArn", "allocationIds", "rackedDevices", "rejection", "startedBy", "createdAt",
                    "updatedAt", "completedAt", "version"},
            FlowType.TERMINATION, new String[]{"flowId", "contractId", "contractSerial", "customerId", "customerCode",
                    "customerName", "ownerId", "departmentId", "reason", "plannedDate", "status", "currentStage",
                    "executionArn", "removedDevices", "customerTerminated", "rejection", "startedBy", "createdAt",
                    "updatedAt", "completedAt", "version"});

    public ObjectNode view(T f) {
        ObjectNode o = com.rackflow.core.json.View.of(f, SHOWN.get(type));
        o.put("statusLabel", f.status().labelZh(type));
        if (f.currentStage() != null) {
            o.put("currentStageLabel", f.currentStage().labelZh());
        }
        return o;
    }

    /** Tracking: the flow, its stages (who, when, deadlines, escalations), allocations, history, the console link. */
    public ObjectNode tracking(T f, List<? extends JsonNode> allocations) {
        ObjectNode o = view(f);
        ArrayNode stages = o.putArray("stages");
        workItems.ofFlow(type, f.flowId()).forEach(w -> stages.add(WorkItemService.view(w)));
        o.putArray("allocations").addAll(allocations);
        o.set("history", Json.tree(history.list(type.recordType(), f.flowId(), null, 100).items()));
        if (f.executionArn() != null) {
            String region = f.executionArn().split(":")[3];
            o.put("consoleUrl", "https://" + region + ".console.aws.amazon.com/states/home?region=" + region
                    + "#/v2/executions/details/" + f.executionArn());
        }
        return o;
    }
}
