package com.rackflow.workitems;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.access.AccessPolicy;
import com.rackflow.access.Caller;
import com.rackflow.core.http.ApiException;
import com.rackflow.core.http.Input;
import com.rackflow.core.json.Json;
import com.rackflow.core.logging.Log;
import com.rackflow.core.logging.Metrics;
import com.rackflow.core.persistence.Page;
import com.rackflow.core.persistence.Table;
import com.rackflow.core.persistence.UnitOfWork;
import com.rackflow.inventory.AllocationService;
import com.rackflow.core.history.Actor;
import com.rackflow.directory.StaffDirectory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The inbox (待办) behind the flows' human stages. A stage task opens its work item (one per execution and stage,
 * idempotent); only completing it through the API answers the waiting task (SendTaskSuccess, or SendTaskFailure
 * "Rejected"); a stage past its deadline is escalated to the department's manager. Every step is in the flow's history.
 */
public final class WorkItemService {
    public static final String REJECTED_ERROR = "Rejected";
    /** How long the deciding request has to answer the flow before a retry (or the sweeper) answers it instead. */
    static final Duration DELIVERY_WINDOW = Duration.ofSeconds(10);
    private static final Set<String> COMMON_FIELDS = Set.of("decision", "reason", "note", "version");
    private static final String WHAT = "work item";

    private final Table table;
    private final WorkItemStore store;
    private final StaffDirectory directory;
    private final TaskCallbacks callbacks;
    private final Map<Stage, StageCompletion> stages;
    private final Clock clock;

    public WorkItemService(Table table, TaskCallbacks callbacks, Map<Stage, StageCompletion> stages, Clock clock) {
        this.table = table;
        this.store = new WorkItemStore(table);
        this.directory = new StaffDirectory(table);
        this.callbacks = callbacks;
        this.stages = stages;
        this.clock = clock;
    }

    /** For the flows' task functions and tracking: no stage forms (those are the inbox API's). */
    public static WorkItemService forTasks(Table table, TaskCallbacks callbacks) {
        return new WorkItemService(table, callbacks, Map.of(), Clock.systemUTC());
    }

    // ---- flow side ----

    /**
     * Opens (or re-arms with a new token) the stage's work item. A stage whose item was already decided (the answer was
     * lost, or its token timed out meanwhile) is answered again at once with this token. Each write is one unit of
     * work: the item and its entry in the flow's history.
     */
    public WorkItem open(OpenStage r) {
        String id = WorkItem.id(r.flowId(), r.stage());
        Actor flow = flowActor(r.flowType());
        for (int attempt = 0; attempt < 5; attempt++) {
            String now = clock.instant().toString();
            String due = clock.instant().plusSeconds(r.deadlineSeconds()).toString();
            Optional<WorkItem> existing = store.find(id);
            if (existing.isEmpty()) {
                WorkItem w = new WorkItem(id, r.flowType(), r.flowId(), r.stage(), WorkItemStatus.OPEN, r.assigneeId(),
                        r.assigneeRole(), r.assigneeDepartmentId(), r.contractId(), r.contractSerial(), r.customerId(),
                        r.customerCode(), r.ownerId(), r.departmentId(), r.executionArn(), r.taskToken(), now, due,
                        false, null, null, 0, null, null, null, null, null, null, null, null, null, now, 1);
                if (new UnitOfWork(table, flow).create(store.records(r.flowType()), w, "STAGE_OPENED",
                        r.stage().name() + "：" + r.stage().labelZh() + "，期限 " + due, () -> ApiException.versionConflict(0)).commitIfCurrent()) {
                    return w;
                }
                continue;
            }
            WorkItem w = existing.get();
            if (w.status() != WorkItemStatus.OPEN) {
                // decided, and its answer lost or meant for a token that timed out: answered again with this token
                WorkItem rearmed = w.next(w.status(), r.taskToken(), w.dueAt(), null, now);
                deliver(rearmed);
                if (!changed(flow, w, w.callbackPending() ? rearmed.delivered(now) : rearmed, "STAGE_ANSWERED_AGAIN", null).commitIfCurrent()) {
                    continue;
                }
                return w;
            }
            if (r.taskToken().equals(w.taskToken())) {
                return w;
            }
            WorkItem rearmed = w.next(WorkItemStatus.OPEN, r.taskToken(), due, w.lockedUntil(), now);
            if (changed(flow, w, rearmed, "STAGE_REOPENED", w.stage().name() + "：期限 " + due).commitIfCurrent()) {
                return rearmed;
            }
        }
        throw new IllegalStateException("work item " + id + " keeps changing");
    }

    /** The stage's deadline passed: flag the item and put it in the department manager's inbox (once per deadline). */
    public Optional<WorkItem> escalate(String flowId, Stage stage) {
        for (int attempt = 0; attempt < 5; attempt++) {
            WorkItem w = store.find(WorkItem.id(flowId, stage)).orElse(null);
            if (w == null || w.status() != WorkItemStatus.OPEN || (w.dueAt() != null && w.dueAt().equals(w.escalatedForDue()))) {
                return Optional.ofNullable(w);
            }
            String manager = directory.activeManager(w.assigneeDepartmentId()).orElse(null);
            WorkItem next = w.escalatedTo(manager, clock.instant().toString());
            if (changed(flowActor(w.flowType()), w, next, "STAGE_ESCALATED", w.stage().name() + "：" + w.stage().labelZh()
                    + " 已超期（期限 " + w.dueAt() + "），升级至部门经理 " + (manager == null ? "（经理空缺）" : manager)).commitIfCurrent()) {
                Log.info("work item escalated", "workItemId", w.workItemId(), "managerId", manager);
                Metrics.count("StagesOverdue", "FlowType", w.flowType().name());
                return Optional.of(next);
            }
        }
        throw new IllegalStateException("work item keeps changing");
    }

    /**
     * Escalating the stage failed after its retries (the manager may not have been told): logged and recorded in the
     * flow's history; the stage keeps waiting for its assignee.
     */
    public void escalationFailed(FlowType type, String flowId, Stage stage, String error, String cause) {
        Log.warn("escalation failed after its retries; the stage keeps waiting", "flowId", flowId, "stage", stage.name(),
                "error", error, "cause", cause == null || cause.length() <= 500 ? cause : cause.substring(0, 500));
        String why = error == null ? "unknown error" : error;
        new UnitOfWork(table, flowActor(type)).event(type.recordType(), flowId, "STAGE_ESCALATION_FAILED", List.of(),
                stage.name() + "：" + stage.labelZh() + " 超期升级失败（" + (why.length() > 200 ? why.substring(0, 200) : why) + "），继续等待处理")
                .commit();
    }

    /** The flow ended without these stages (rejected, failed): open items are cancelled, each in the flow's history. */
    public void cancelOpen(FlowType type, String flowId, String note) {
        for (WorkItem listed : store.ofFlow(type, flowId)) {
            for (int attempt = 0; attempt < 5; attempt++) {
                WorkItem w = attempt == 0 ? listed : store.find(listed.workItemId()).orElseThrow();
                if (w.status() != WorkItemStatus.OPEN) {
                    break;
                }
                WorkItem c = w.done(WorkItemStatus.CANCELLED, flowActor(type).id(), null, note, null, null, clock.instant().toString());
                if (changed(flowActor(type), w, c, "STAGE_CANCELLED", w.stage().name() + "：" + note).commitIfCurrent()) {
                    break;
                }
            }
        }
    }

    /** A change of a work item with its entry in the flow's history (none when nothing audited changed and no note). */
    private UnitOfWork changed(Actor actor, WorkItem before, WorkItem after, String action, String note) {
        return new UnitOfWork(table, actor).change(store.records(before.flowType()), before, after, action, note);
    }

    private static Actor flowActor(FlowType type) {
        return Actor.system("system:" + type.name().toLowerCase());
    }

    public List<WorkItem> ofFlow(FlowType type, String flowId) {
        return store.ofFlow(type, flowId);
    }

    // ---- API side ----

    public Page<WorkItem> inbox(Caller caller, WorkItemStatus bucket, String cursor, int limit) {
        return store.inbox(caller, bucket, cursor, limit);
    }

    public WorkItem get(Caller caller, String id) {
        return AccessPolicy.requireVisibleWorkItem(caller, store.find(id).orElse(null), WHAT);
    }

    /**
     * Completes the stage with its form: 404 out of scope, 403 for another role or person, 409 when decided otherwise
     * or changed meanwhile. The decision, the stage's effect (e.g. reservations), the stage's history entry and the
     * pending answer to the flow (the item's callback outbox) are ONE transaction; then the waiting task is answered
     * (SendTaskSuccess / SendTaskFailure) and the answer marked delivered. A crash anywhere leaves either nothing or a
     * decided item whose answer is pending: the same person's retry of the same decision answers 200 and delivers a
     * pending answer again, and the scheduled sweeper ({@link #redeliverPending}) delivers the ones nobody retries.
     */
    public WorkItem complete(Caller caller, String id, ObjectNode body, Optional<Long> expectedVersion) {
        for (int attempt = 1; ; attempt++) {
            try {
                return completeOnce(caller, id, body, expectedVersion);
            } catch (ApiException e) {
                // without a version from the caller, a change made meanwhile by the flow itself (the stage re-armed
                // with a new token, escalated, the flow record moved to the stage) is read again, not refused
                boolean callerVersion = expectedVersion.isPresent() || body.hasNonNull("version");
                if (callerVersion || attempt >= 3 || !"VERSION_CONFLICT".equals(e.code())) {
                    throw e;
                }
            }
        }
    }

    private WorkItem completeOnce(Caller caller, String id, ObjectNode body, Optional<Long> expectedVersion) {
        WorkItem item = AccessPolicy.requireActor(caller, store.find(id).orElse(null), WHAT);
        StageCompletion stage = stages.getOrDefault(item.stage(), StageCompletion.PLAIN);
        Set<String> allowed = new HashSet<>(COMMON_FIELDS);
        allowed.addAll(stage.fields());
        Input in = Input.of(body, allowed.toArray(String[]::new));
        Decision decision = in.enumValue("decision", Decision.class, false).orElse(Decision.APPROVE);
        if (item.status() != WorkItemStatus.OPEN) {
            return retried(caller, item, decision);
        }
        String reason = in.optionalString("reason", 500).orElse(null);
        String note = in.optionalString("note", 500).orElse(null);
        Optional<Long> bodyVersion = in.integer("version", 1, Long.MAX_VALUE, false);
        if (decision == Decision.REJECT && reason == null) {
            in.add("reason", "required", "a reason is required to reject");
        }
        String attempt = item.workItemId() + "-v" + item.version();
        Function<UnitOfWork, JsonNode> effect = decision == Decision.APPROVE ? stage.read(item, attempt, in, caller) : uow -> Json.object();
        in.validate();
        long expected = expectedVersion.or(() -> bodyVersion).orElse(item.version());
        if (expected != item.version()) {
            throw ApiException.versionConflict(item.version());
        }
        ObjectNode form = body.deepCopy();
        form.remove("version");
        WorkItem done;
        try {
            done = AllocationService.replanned(() -> {
                UnitOfWork uow = new UnitOfWork(table, Actor.of(caller));
                JsonNode result = effect.apply(uow);
                WorkItem decided = item.done(decision == Decision.APPROVE ? WorkItemStatus.COMPLETED : WorkItemStatus.REJECTED,
                        caller.userId(), decision, reason, form, result, clock.instant().toString());
                uow.change(store.records(item.flowType()), item, decided, decision == Decision.APPROVE ? "STAGE_COMPLETED"
                        : "STAGE_REJECTED", item.stage().name() + (reason != null ? "：" + reason : note != null ? "：" + note : ""));
                uow.commit();
                return decided;
            });
        } catch (ApiException e) {
            WorkItem current = store.find(id).orElseThrow();
            if (e.status() == 409 && current.status() != WorkItemStatus.OPEN) {
                return retried(caller, current, decision);
            }
            throw e;
        }
        return deliverPending(done);
    }

    /**
     * A decided item asked again. Its answer to the flow still pending after the deciding request's delivery window
     * (that request died before SendTaskSuccess, or before marking it sent): delivered now. Then the same person with
     * the same decision gets the item (200); anyone else, another decision, or an answer long delivered, 409
     * ALREADY_COMPLETED; within the window, 409 REQUEST_IN_PROGRESS (the deciding request is still answering).
     */
    private WorkItem retried(Caller caller, WorkItem item, Decision decision) {
        if (item.callbackPending()) {
            if (Instant.parse(item.completedAt()).plus(DELIVERY_WINDOW).isAfter(clock.instant())) {
                throw ApiException.conflict("REQUEST_IN_PROGRESS", "this work item was just decided and its flow is being answered; reload it",
                        "该待办正在处理中，请刷新", Map.of());
            }
            WorkItem delivered = deliverPending(item);
            if (caller.userId().equals(item.completedBy()) && item.decision() == decision) {
                return delivered;
            }
        }
        requireOpen(item);
        return item;
    }

    /**
     * The scheduled sweeper: answers the flows of items decided before {@code olderThan} ago whose answer is still
     * pending (the function deciding them died, or Step Functions did not answer). Returns how many were delivered.
     */
    public int redeliverPending(Duration olderThan, int limit) {
        int delivered = 0;
        for (WorkItem w : store.pendingCallbacks(clock.instant().minus(olderThan).toString(), limit)) {
            try {
                deliverPending(w);
                delivered++;
            } catch (RuntimeException e) {
                Log.error("pending answer not delivered; the next sweep tries again", e, "workItemId", w.workItemId());
            }
        }
        return delivered;
    }

    /** Answers the waiting task, then marks the answer delivered (also when its token no longer waits: see {@link #open}). */
    private WorkItem deliverPending(WorkItem w) {
        deliver(w);
        for (int attempt = 0; attempt < 5; attempt++) {
            WorkItem current = store.find(w.workItemId()).orElseThrow();
            if (!current.callbackPending()) {
                return current;
            }
            WorkItem delivered = current.delivered(clock.instant().toString());
            if (changed(flowActor(current.flowType()), current, delivered, "CALLBACK_DELIVERED", null).commitIfCurrent()) {
                return delivered;
            }
        }
        throw new IllegalStateException("work item " + w.workItemId() + " keeps changing");
    }

    /** Answers the waiting task with the decided item's outcome; a stale token is answered on the stage's next entry. */
    private void deliver(WorkItem w) {
        if (w.taskToken() == null) {
            return;
        }
        if (w.status() == WorkItemStatus.COMPLETED) {
            ObjectNode out = Json.object();
            out.put("workItemId", w.workItemId()).put("stage", w.stage().name()).put("decision", "APPROVE")
                    .put("completedBy", w.completedBy()).put("completedAt", w.completedAt());
            if (w.result() != null) {
                out.set("result", w.result());
            }
            callbacks.success(w.taskToken(), out);
        } else if (w.status() == WorkItemStatus.REJECTED) {
            ObjectNode cause = Json.object();
            cause.put("workItemId", w.workItemId()).put("stage", w.stage().name()).put("reason", w.reason())
                    .put("rejectedBy", w.completedBy()).put("rejectedAt", w.completedAt());
            callbacks.failure(w.taskToken(), REJECTED_ERROR, Json.write(cause));
        }
    }

    private static void requireOpen(WorkItem w) {
        if (w.status() != WorkItemStatus.OPEN) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("status", w.status().name());
            if (w.completedBy() != null) {
                d.put("completedBy", w.completedBy());
                d.put("completedAt", w.completedAt());
            }
            throw ApiException.conflict("ALREADY_COMPLETED", "this work item is already " + w.status(),
                    "该待办已处理（" + w.status().labelZh() + "）", d);
        }
    }

    /** The API view: what a person works with, with labels (never the task token or the completion lock). */
    public static ObjectNode view(WorkItem w) {
        ObjectNode o = com.rackflow.core.json.View.of(w, "workItemId", "flowType", "flowId", "stage", "status",
                "assigneeId", "assigneeRole", "assigneeDepartmentId", "contractId", "contractSerial", "customerId",
                "customerCode", "ownerId", "departmentId", "executionArn", "createdAt", "dueAt", "escalated",
                "escalatedAt", "escalatedTo", "escalations", "completedAt", "completedBy", "decision", "reason", "form",
                "result", "callback", "updatedAt", "version");
        o.put("statusLabel", w.status().labelZh());
        if (w.callback() != null) {
            o.put("callbackLabel", w.callback().labelZh());
        }
        o.put("stageLabel", w.stage().labelZh());
        o.put("flowLabel", w.flowType().labelZh());
        if (w.decision() != null) {
            o.put("decisionLabel", w.decision().labelZh());
        }
        return o;
    }
}
