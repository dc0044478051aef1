package com.rackflow.workitems;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.access.AccessPolicy;
import com.rackflow.access.Caller;
import com.rackflow.core.history.History;
import com.rackflow.core.http.ApiException;
import com.rackflow.core.http.Input;
import com.rackflow.core.json.Json;
import com.rackflow.core.logging.Log;
import com.rackflow.core.logging.Metrics;
import com.rackflow.core.persistence.Page;
import com.rackflow.core.persistence.Table;
import com.rackflow.directory.Department;
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
import java.util.function.Supplier;

/**
 * The inbox (待办) behind the flows' human stages. A stage task opens its work item (one per execution and stage,
 * idempotent); only completing it through the API answers the waiting task (SendTaskSuccess, or SendTaskFailure
 * "Rejected"); a stage past its deadline is escalated to the department's manager. Every step is in the flow's history.
 */
public final class WorkItemService {
    public static final String REJECTED_ERROR = "Rejected";
    private static final Duration LOCK = Duration.ofSeconds(60);
    private static final Set<String> COMMON_FIELDS = Set.of("decision", "reason", "note", "version");
    private static final String WHAT = "work item";

    private final WorkItemStore store;
    private final History history;
    private final StaffDirectory directory;
    private final TaskCallbacks callbacks;
    private final Map<Stage, StageCompletion> stages;
    private final Clock clock;

    public WorkItemService(Table table, TaskCallbacks callbacks, Map<Stage, StageCompletion> stages, Clock clock) {
        this.store = new WorkItemStore(table);
        this.history = new History(table);
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
     * lost, or its token timed out meanwhile) is answered again at once with this token.
     */
    public WorkItem open(OpenStage r) {
        String id = WorkItem.id(r.flowId(), r.stage());
        for (int attempt = 0; attempt < 5; attempt++) {
            String now = clock.instant().toString();
            String due = clock.instant().plusSeconds(r.deadlineSeconds()).toString();
            Optional<WorkItem> existing = store.find(id);
            if (existing.isEmpty()) {
                WorkItem w = new WorkItem(id, r.flowType(), r.flowId(), r.stage(), WorkItemStatus.OPEN, r.assigneeId(),
                        r.assigneeRole(), r.assigneeDepartmentId(), r.contractId(), r.contractSerial(), r.customerId(),
                        r.customerCode(), r.ownerId(), r.departmentId(), r.executionArn(), r.taskToken(), now, due,
                        false, null, null, 0, null, null, null, null, null, null, null, null, now, 1);
                if (store.insert(w)) {
                    flowHistory(w, "STAGE_OPENED", "system:" + r.flowType().name().toLowerCase(), "SYSTEM", null,
                            r.stage().labelZh() + "，期限 " + due);
                    return w;
                }
                continue;
            }
            WorkItem w = existing.get();
            if (w.status() != WorkItemStatus.OPEN) {
                deliver(w.next(w.status(), r.taskToken(), w.dueAt(), null, now));
                return w;
            }
            if (r.taskToken().equals(w.taskToken())) {
                return w;
            }
            WorkItem rearmed = w.next(WorkItemStatus.OPEN, r.taskToken(), due, w.lockedUntil(), now);
            if (store.replace(rearmed, w.version())) {
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
            String manager = directory.department(w.assigneeDepartmentId()).map(Department::managerId).orElse(null);
            WorkItem next = w.escalatedTo(manager, clock.instant().toString());
            if (store.replace(next, w.version())) {
                flowHistory(next, "STAGE_ESCALATED", "system:" + w.flowType().name().toLowerCase(), "SYSTEM", null,
                        w.stage().labelZh() + " 已超期（期限 " + w.dueAt() + "），升级至部门经理 " + (manager == null ? "（未设置）" : manager));
                Log.info("work item escalated", "workItemId", w.workItemId(), "managerId", manager);
                Metrics.count("StagesOverdue", "FlowType", w.flowType().name());
                return Optional.of(next);
            }
        }
        throw new IllegalStateException("work item keeps changing");
    }

    /** The flow ended without these stages (rejected, failed): open items are cancelled. */
    public void cancelOpen(FlowType type, String flowId, String note) {
        for (WorkItem w : store.ofFlow(type, flowId)) {
            if (w.status() == WorkItemStatus.OPEN) {
                WorkItem c = w.done(WorkItemStatus.CANCELLED, "system:" + type.name().toLowerCase(), null, note, null, null,
                        clock.instant().toString());
                store.replace(c, w.version());
            }
        }
    }

    /**
     * Staff departure: the departing person's open work items move to a colleague (safe to retry: items already moved
     * are not found again). Each move is in its flow's history. Returns how many moved.
     */
    public int reassignOpen(String fromUserId, String toUserId, Caller actor) {
        int moved = 0;
        for (WorkItem w : store.openAssignedTo(fromUserId)) {
            if (reassign(w, fromUserId, toUserId, actor)) {
                moved++;
            }
        }
        return moved;
    }

    /**
     * Staff departure, one item at a time (each follows its customer to that customer's new owner): moves the item
     * while it is open and assigned to {@code fromUserId}; a concurrent change is re-read. False when it is not (any
     * more) theirs and open.
     */
    public boolean reassignOpen(String workItemId, String fromUserId, String toUserId, Caller actor) {
        for (int attempt = 0; attempt < 5; attempt++) {
            WorkItem w = store.find(workItemId).orElse(null);
            if (w == null || w.status() != WorkItemStatus.OPEN || !fromUserId.equals(w.assigneeId())) {
                return false;
            }
            if (reassign(w, fromUserId, toUserId, actor)) {
                return true;
            }
        }
        return false;
    }

    private boolean reassign(WorkItem w, String fromUserId, String toUserId, Caller actor) {
        if (!store.replace(w.reassigned(toUserId, clock.instant().toString()), w.version())) {
            return false;
        }
        history.record(w.flowType().recordType(), w.flowId(), "WORK_ITEM_REASSIGNED", actor, List.of(),
                w.stage().name() + "：" + fromUserId + " → " + toUserId);
        return true;
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
     * Completes the stage with its form: 404 out of scope, 403 for another role or person, 409 when already decided or
     * being completed; the item is locked while the stage's effect runs, then decided, then the flow is answered.
     */
    public WorkItem complete(Caller caller, String id, ObjectNode body, Optional<Long> expectedVersion) {
        WorkItem item = AccessPolicy.requireActor(caller, store.find(id).orElse(null), WHAT);
        requireOpen(item);
        StageCompletion stage = stages.getOrDefault(item.stage(), StageCompletion.PLAIN);
        Set<String> allowed = new HashSet<>(COMMON_FIELDS);
        allowed.addAll(stage.fields());
        Input in = Input.of(body, allowed.toArray(String[]::new));
        Decision decision = in.enumValue("decision", Decision.class, false).orElse(Decision.APPROVE);
        String reason = in.optionalString("reason", 500).orElse(null);
        String note = in.optionalString("note", 500).orElse(null);
        Optional<Long> bodyVersion = in.integer("version", 1, Long.MAX_VALUE, false);
        if (decision == Decision.REJECT && reason == null) {
            in.add("reason", "required", "a reason is required to reject");
        }
        Supplier<JsonNode> effect = decision == Decision.APPROVE ? stage.read(item, in, caller) : Json::object;
        in.validate();
        long expected = expectedVersion.or(() -> bodyVersion).orElse(item.version());
        if (expected != item.version()) {
            throw ApiException.versionConflict(item.version());
        }
        Instant now = clock.instant();
        if (item.lockedUntil() != null && Instant.parse(item.lockedUntil()).isAfter(now)) {
            throw inProgress();
        }
        WorkItem locked = item.next(WorkItemStatus.OPEN, item.taskToken(), item.dueAt(), now.plus(LOCK).toString(), now.toString());
        if (!store.replace(locked, item.version())) {
            WorkItem current = store.find(id).orElseThrow();
            requireOpen(current);
            throw inProgress();
        }
        JsonNode result;
        try {
            result = effect.get();
        } catch (RuntimeException e) {
            unlock(locked);
            throw e;
        }
        ObjectNode form = body.deepCopy();
        form.remove("version");
        WorkItem done = locked.done(decision == Decision.APPROVE ? WorkItemStatus.COMPLETED : WorkItemStatus.REJECTED,
                caller.userId(), decision, reason, form, result, clock.instant().toString());
        if (!store.replace(done, locked.version())) {
            throw inProgress();
        }
        history.record(item.flowType().recordType(), item.flowId(), decision == Decision.APPROVE ? "STAGE_COMPLETED" : "STAGE_REJECTED",
                caller, List.of(), item.stage().name() + (reason != null ? "：" + reason : note != null ? "：" + note : ""));
        try {
            deliver(done);
        } catch (RuntimeException e) {
            // decided and recorded; the stage's next entry (after its deadline) answers the flow again
            Log.error("answering the waiting flow failed; it is answered again when the stage is re-entered", e,
                    "workItemId", id);
        }
        return done;
    }

    private void unlock(WorkItem locked) {
        store.replace(locked.next(WorkItemStatus.OPEN, locked.taskToken(), locked.dueAt(), null, clock.instant().toString()),
                locked.version());
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

    private static ApiException inProgress() {
        return ApiException.conflict("REQUEST_IN_PROGRESS", "this work item is being completed by another request; reload it",
                "该待办正在处理中，请刷新", Map.of());
    }

    private void flowHistory(WorkItem w, String action, String actorId, String role, String dept, String note) {
        history.record(w.flowType().recordType(), w.flowId(), action, actorId, role, dept, List.of(), w.stage().name() + "：" + note);
    }

    /** The API view: what a person works with, with labels (never the task token or the completion lock). */
    public static ObjectNode view(WorkItem w) {
        ObjectNode o = com.rackflow.core.json.View.of(w, "workItemId", "flowType", "flowId", "stage", "status",
                "assigneeId", "assigneeRole", "assigneeDepartmentId", "contractId", "contractSerial", "customerId",
                "customerCode", "ownerId", "departmentId", "executionArn", "createdAt", "dueAt", "escalated",
                "escalatedAt", "escalatedTo", "escalations", "completedAt", "completedBy", "decision", "reason", "form",
                "result", "updatedAt", "version");
        o.put("statusLabel", w.status().labelZh());
        o.put("stageLabel", w.stage().labelZh());
        o.put("flowLabel", w.flowType().labelZh());
        if (w.decision() != null) {
            o.put("decisionLabel", w.decision().labelZh());
        }
        return o;
    }
}
