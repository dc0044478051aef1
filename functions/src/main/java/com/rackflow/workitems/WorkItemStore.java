package com.rackflow.workitems;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.access.Caller;
import com.rackflow.core.json.Json;
import com.rackflow.core.persistence.Items;
import com.rackflow.core.persistence.Key;
import com.rackflow.core.persistence.KeyQuery;
import com.rackflow.core.persistence.Keys;
import com.rackflow.core.persistence.Page;
import com.rackflow.core.persistence.Pager;
import com.rackflow.core.persistence.RecordType;
import com.rackflow.core.persistence.Table;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Work items in their flow's partition, indexed into inboxes (keys: docs/keys.md, "Inventory and flows"). */
public final class WorkItemStore {
    /** A stage's history entry tells who decided what; the item's bookkeeping and form stay out of it. */
    private static final Set<String> NOT_AUDITED = Set.of("version", "updatedAt", "taskToken", "lockedUntil", "form", "result",
            "callback", "escalatedForDue", "executionArn");
    private final Table table;

    public WorkItemStore(Table table) {
        this.table = table;
    }

    /** The key of a work item id {@code <flowId>.<STAGE>}; empty for an id that cannot be one. */
    static Optional<Key> key(String workItemId) {
        int dot = workItemId.lastIndexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        String flowId = workItemId.substring(0, dot);
        Optional<FlowType> type = FlowType.ofFlowId(flowId);
        Stage stage;
        try {
            stage = Stage.valueOf(workItemId.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return type.map(t -> Keys.workItem(t.recordType(), flowId, stage.name()));
    }

    public Optional<WorkItem> find(String workItemId) {
        return key(workItemId).flatMap(table::get).map(WorkItemStore::item);
    }

    /** The stages of one flow execution, in the order they were opened. */
    public List<WorkItem> ofFlow(FlowType type, String flowId) {
        return table.queryAll(KeyQuery.on(null, Keys.record(type.recordType(), flowId).pk(), Keys.WORK_ITEM_PREFIX).oldestFirst())
                .stream().map(WorkItemStore::item).sorted(java.util.Comparator.comparing(WorkItem::createdAt)).toList();
    }

    /** Decided items whose answer to the flow was not delivered, decided before {@code before}, oldest first. */
    public List<WorkItem> pendingCallbacks(String before, int limit) {
        return table.query(KeyQuery.on(Keys.GSI_KIND, Keys.PENDING_CALLBACKS, null).oldestFirst(), null, limit).items().stream()
                .map(WorkItemStore::item).filter(w -> w.completedAt().compareTo(before) < 0).toList();
    }

    /** Work items of one flow type as the unit of work writes them: their history entries are their flow's. */
    public RecordType<WorkItem> records(FlowType type) {
        return RecordType.<WorkItem>of(type.recordType(), "work item", WorkItem::flowId, WorkItem::version, WorkItemStore::item)
                .described("work item", NOT_AUDITED);
    }

    /** The caller's inbox: assigned to them, to their role in their department, or escalated to them. */
    public Page<WorkItem> inbox(Caller caller, WorkItemStatus bucket, String cursor, int limit) {
        String prefix = bucket.inboxBucket() + "#";
        List<KeyQuery> parts = List.of(
                KeyQuery.on(Keys.GSI_OWNER, Keys.userInbox(caller.userId()), prefix).oldestFirst(),
                KeyQuery.on(Keys.GSI_OWNER, Keys.roleInbox(caller.role().name(), caller.departmentId()), prefix).oldestFirst(),
                KeyQuery.on(Keys.GSI_DEPARTMENT, Keys.userInbox(caller.userId()), prefix).oldestFirst());
        return Pager.page(table, parts, cursor, limit, WorkItemStore::item, w -> true);
    }

    /**
     * Open items waiting on one person (staff departure): at most {@code limit} assigned to them (gsi1), then at most
     * {@code limit} escalated to them (gsi2); an item in both is listed once.
     */
    public List<WorkItem> openWaitingOn(String userId, int limit) {
        String open = WorkItemStatus.OPEN.inboxBucket() + "#";
        Map<String, WorkItem> found = new java.util.LinkedHashMap<>();
        for (String index : List.of(Keys.GSI_OWNER, Keys.GSI_DEPARTMENT)) {
            table.query(KeyQuery.on(index, Keys.userInbox(userId), open).oldestFirst(), null, limit).items()
                    .forEach(i -> found.putIfAbsent(i.get("workItemId").s(), item(i)));
        }
        return List.copyOf(found.values());
    }

    static WorkItem item(Map<String, AttributeValue> item) {
        return Items.toRecord(item, WorkItem.class);
    }

    static Map<String, AttributeValue> item(WorkItem w) {
        ObjectNode o = (ObjectNode) Json.tree(w);
        Key key = Keys.workItem(w.flowType().recordType(), w.flowId(), w.stage().name());
        o.put("pk", key.pk());
        o.put("sk", key.sk());
        String sort = Keys.inboxSortKey(w.status().inboxBucket(), w.createdAt(), w.workItemId());
        o.put("gsi1pk", w.assigneeId() != null ? Keys.userInbox(w.assigneeId())
                : Keys.roleInbox(w.assigneeRole().name(), w.assigneeDepartmentId()));
        o.put("gsi1sk", sort);
        if (w.escalatedTo() != null) {
            o.put("gsi2pk", Keys.userInbox(w.escalatedTo()));
            o.put("gsi2sk", sort);
        }
        if (w.callbackPending()) {
            o.put("gsi3pk", Keys.PENDING_CALLBACKS);
            o.put("gsi3sk", w.completedAt() + "#" + w.workItemId());
        }
        return Items.fromObject(o);
    }
}
