package com.rackflow.core.persistence;

/**
 * Builders for every key of the single table. The scheme (entity → pk/sk/GSI keys, access pattern → query) is
 * documented in docs/keys.md; this class is its only implementation. GSIs are overloaded:
 * gsi1 = owner partition, gsi2 = department partition, gsi3 = kind/status or day partition.
 */
public final class Keys {
    public static final String RECORD = "RECORD";
    public static final String GSI_OWNER = "gsi1";
    public static final String GSI_DEPARTMENT = "gsi2";
    public static final String GSI_KIND = "gsi3";

    private Keys() {
    }

    /** The main item of a record: {@code <TYPE>#<id>} / {@code RECORD}. Its history lives in the same partition. */
    public static Key record(String type, String id) {
        return new Key(type + "#" + id, RECORD);
    }

    public static String historySortKey(String at, String eventId) {
        return "HISTORY#" + at + "#" + eventId;
    }

    public static final String HISTORY_PREFIX = "HISTORY#";

    /** Staff directory user: {@code USER#<id>} / {@code PROFILE}; gsi1 {@code DEPT#<d>#USERS}. */
    public static Key user(String userId) {
        return new Key("USER#" + userId, "PROFILE");
    }

    public static String departmentUsersPartition(String departmentId) {
        return "DEPT#" + departmentId + "#USERS";
    }

    /** Department: {@code DEPT#<id>} / {@code PROFILE}; gsi1 {@code DEPTS}. */
    public static Key department(String departmentId) {
        return new Key("DEPT#" + departmentId, "PROFILE");
    }

    public static final String ALL_DEPARTMENTS_PARTITION = "DEPTS";

    /** A sequence counter (customer codes, contract serials ...), e.g. {@code COUNTER#CUSTOMER#2026}. */
    public static Key counter(String name) {
        return new Key("COUNTER#" + name, "COUNTER");
    }

    /** A uniqueness guard: one item per unique value, written conditionally, pointing at the record that holds it. */
    public static Key guard(String kind, String value) {
        return new Key("GUARD#" + kind + "#" + value, "GUARD");
    }

    /** The remembered answer of a create sent with an Idempotency-Key, per caller and path. */
    public static Key idempotency(String userId, String path, String key) {
        return new Key("IDEMPOTENCY#" + userId + "#" + path + "#" + key, "IDEMPOTENCY");
    }

    /** gsi1 partition of everything one person owns; sort key {@code <TYPE>#<createdAt>#<id>}. */
    public static String ownerPartition(String ownerId) {
        return "OWNER#" + ownerId;
    }

    /** gsi2 partition of everything owned in one department; sort key {@code <TYPE>#<createdAt>#<id>}. */
    public static String departmentPartition(String departmentId) {
        return "DEPT#" + departmentId;
    }

    public static String typedSortKey(String type, String createdAt, String id) {
        return type + "#" + createdAt + "#" + id;
    }

    /** gsi3 partition of one kind of record in one status, e.g. {@code CUSTOMER#STATUS#SIGNED}; sort key {@code <createdAt>#<id>}. */
    public static String statusPartition(String type, String status) {
        return type + "#STATUS#" + status;
    }

    /** gsi3 partition of the history events of one day (reports read a period day by day). */
    public static String eventDayPartition(String day) {
        return "EVENTS#" + day;
    }

    /** gsi1 partition of one record type's history events of one day: a report on one kind reads only its events. */
    public static String eventTypeDayPartition(String day, String recordType) {
        return "EVENTS#" + day + "#" + recordType;
    }

    /**
     * A link item in a parent record's partition pointing at a child record, e.g. {@code CUSTOMER#<c>} /
     * {@code CONTRACT#<createdAt>#<id>}: lists a customer's contracts or service records, newest first, with one Query.
     */
    public static Key link(String parentType, String parentId, String childType, String childSort) {
        return new Key(parentType + "#" + parentId, childType + "#" + childSort);
    }

    public static String linkPrefix(String childType) {
        return childType + "#";
    }

    /**
     * A customer's follow-up link ({@code CUSTOMER#<c>} / {@code FOLLOW_UP}): when and by whom the customer is to be
     * contacted next; in gsi1 {@code OWNER#<owner>} and gsi2 {@code DEPT#<d>} under {@link #followUpSortKey}.
     */
    public static Key followUp(String customerId) {
        return new Key("CUSTOMER#" + customerId, FOLLOW_UP);
    }

    public static final String FOLLOW_UP = "FOLLOW_UP";

    /** gsi1/gsi2 sort key of a follow-up link: {@code FOLLOW_UP#<yyyy-MM-dd>#<customerId>} (due dates as a range). */
    public static String followUpSortKey(String dueDate, String customerId) {
        return FOLLOW_UP + "#" + dueDate + "#" + customerId;
    }

    /** The inclusive sort-key range of follow-ups due from {@code from} to {@code to} (dates, either may be null: open). */
    public static String[] followUpRange(String from, String to) {
        return new String[]{FOLLOW_UP + "#" + (from == null ? "0000" : from), FOLLOW_UP + "#" + (to == null ? "9999" : to) + "#~"};
    }

    /** gsi3 partition of the activities of one customer; sort key {@code <occurredAt>#<id>}. */
    public static String customerActivitiesPartition(String customerId) {
        return "ACTIVITY#CUSTOMER#" + customerId;
    }

    /** The inclusive gsi1/gsi2 sort-key range of one type's records keyed by a time from {@code fromAt} to {@code toAt}. */
    public static String[] typedSortRange(String type, String fromAt, String toAt) {
        return new String[]{type + "#" + fromAt, type + "#" + toAt + "#~"};
    }

    // ---- data-center inventory, allocations, flows and work items (docs/keys.md, "Inventory and flows") ----

    /** gsi3 partition of all sites; sort key {@code <code>#<siteId>}. */
    public static final String ALL_SITES_PARTITION = "SITES";

    /** gsi3 partition of a site's rooms; sort key {@code <name>#<roomId>}. */
    public static String siteRoomsPartition(String siteId) {
        return "SITE#" + siteId + "#ROOMS";
    }

    /** gsi3 partition of a site's racks; sort key {@link #rackSortKey} (a room's racks: begins_with {@code ROOM#<roomId>#}). */
    public static String siteRacksPartition(String siteId) {
        return "SITE#" + siteId + "#RACKS";
    }

    public static String rackSortKey(String roomId, String name, String rackId) {
        return roomRacksPrefix(roomId) + name + "#" + rackId;
    }

    public static String roomRacksPrefix(String roomId) {
        return "ROOM#" + roomId + "#";
    }

    /** gsi3 partition of a site's IP prefixes; sort key {@code <cidr>#<prefixId>}. */
    public static String sitePrefixesPartition(String siteId) {
        return "SITE#" + siteId + "#PREFIXES";
    }

    /** The partition of a rack's unit guards: one item per U and face, one per uplink port (elevation = one Query). */
    public static String rackUnitsPartition(String rackId) {
        return "UNITS#RACK#" + rackId;
    }

    public static Key rackUnit(String rackId, int u, String face) {
        return new Key(rackUnitsPartition(rackId), String.format("U#%03d#%s", u, face));
    }

    public static Key rackPort(String rackId, int port) {
        return new Key(rackUnitsPartition(rackId), String.format("PORT#%03d", port));
    }

    public static final String UNIT_PREFIX = "U#";
    public static final String PORT_PREFIX = "PORT#";
    public static final String ADDRESS_PREFIX = "IP#";

    /** The partition of an IP prefix's address guards: one item per handed-out address, sorted by offset. */
    public static String prefixAddressesPartition(String prefixId) {
        return "UNITS#PREFIX#" + prefixId;
    }

    public static Key prefixAddress(String prefixId, long offset) {
        return new Key(prefixAddressesPartition(prefixId), String.format("IP#%010d", offset));
    }

    /** gsi1 partition of what hangs off one contract (allocations, racking flows, terminations); sort key {@code <TYPE>#<createdAt>#<id>}. */
    public static String contractLinksPartition(String contractId) {
        return "CONTRACT#" + contractId + "#LINKS";
    }

    /** gsi2 partition of the allocations of one rack or prefix; sort key {@code ALLOCATION#<createdAt>#<id>}. */
    public static String resourceAllocationsPartition(String resourceId) {
        return "RESOURCE#" + resourceId;
    }

    /** A flow stage's work item lives in its flow's partition: {@code <FLOW_TYPE>#<flowId>} / {@code WORK_ITEM#<stage>}. */
    public static Key workItem(String flowType, String flowId, String stage) {
        return new Key(record(flowType, flowId).pk(), WORK_ITEM_PREFIX + stage);
    }

    public static final String WORK_ITEM_PREFIX = "WORK_ITEM#";

    /** gsi1 inbox of one person (assignee); gsi2 inbox of one person (escalations); sort key {@link #inboxSortKey}. */
    /** gsi3 partition of decided work items whose answer to their flow is not yet delivered (the callback outbox). */
    public static final String PENDING_CALLBACKS = "CALLBACK#PENDING";

    public static String userInbox(String userId) {
        return "INBOX#USER#" + userId;
    }

    /** gsi1 inbox of a role in a department (work items not assigned to one person). */
    public static String roleInbox(String role, String departmentId) {
        return "INBOX#ROLE#" + role + "#DEPT#" + departmentId;
    }

    public static String inboxSortKey(String status, String createdAt, String workItemId) {
        return status + "#" + createdAt + "#" + workItemId;
    }

    // ---- reports (docs/keys.md, "Reports") ----

    /** A report job run: {@code REPORT_JOB#<runId>} / {@code RECORD}; gsi3 {@link #REPORT_JOBS_PARTITION} / {@code <startedAt>#<runId>}. */
    public static Key reportJob(String runId) {
        return record("REPORT_JOB", runId);
    }

    public static final String REPORT_JOBS_PARTITION = "REPORT_JOBS";

    /** A stored report of one business day: {@code REPORT_SNAPSHOT#<day>} / {@code <KIND>#<ALL or DEPT#d>} (a day's snapshots: one Query). */
    public static Key reportSnapshot(String day, String kind, String scopeKey) {
        return new Key(reportSnapshotPartition(day), kind + "#" + scopeKey);
    }

    /** The partition of one business day's snapshots. */
    public static String reportSnapshotPartition(String day) {
        return "REPORT_SNAPSHOT#" + day;
    }

    /** A reminder, one per subject and threshold (written if absent, so a job run twice reminds once), e.g. {@code REMINDER#CONTRACT_EXPIRY#<contractId>#30}. */
    public static Key reminder(String kind, String subjectId, int threshold) {
        return record("REMINDER", kind + "#" + subjectId + "#" + threshold);
    }

    /** Sort key of a reminder in its owner's inbox (gsi1 {@link #userInbox}) and its department partition (gsi2). */
    public static final String REMINDER_PREFIX = "REMINDER#";

    // ---- staff departures (docs/keys.md, "Staff departures") ----

    /**
     * One record of a staff departure's move ledger, in the departure's partition: {@code STAFF_DEPARTURE#<id>} /
     * {@code MOVED#<TYPE>#<recordId>}, written in the record's own move transaction (so it exists exactly when the
     * departure moved the record: counting them never counts a record twice).
     */
    public static Key departureMove(String departureId, String recordType, String recordId) {
        return new Key(record("STAFF_DEPARTURE", departureId).pk(), departureMovePrefix(recordType) + recordId);
    }

    /** The sort-key prefix of a departure's ledger items (of one record type, if given). */
    public static String departureMovePrefix(String recordType) {
        return "MOVED#" + (recordType == null ? "" : recordType + "#");
    }

    /** How many customers a departure has handed out (round robin: the next one's receiver), in its partition. */
    public static Key departureSplitCounter(String departureId) {
        return new Key(record("STAFF_DEPARTURE", departureId).pk(), "SPLIT#NEXT_RECEIVER");
    }

    // ---- customer imports (docs/keys.md, "Customer imports") ----

    public static final String CUSTOMER_IMPORT = "CUSTOMER_IMPORT";
    /** An export of customers written to the files bucket (its record only): {@code CUSTOMER_EXPORT#<id>} / {@code RECORD}. */
    public static final String CUSTOMER_EXPORT = "CUSTOMER_EXPORT";
    public static final String IMPORT_BATCH_PREFIX = "BATCH#";
    public static final String IMPORT_ROW_PREFIX = "ROW#";

    /**
     * A batch of an import's rows as its dry run {@code run} read them from the file (at most 100):
     * {@code CUSTOMER_IMPORT#<id>} / {@code BATCH#<run, 4 digits>#<batch, 4 digits>}.
     */
    public static Key importBatch(String importId, int run, int batch) {
        return new Key(record(CUSTOMER_IMPORT, importId).pk(), IMPORT_BATCH_PREFIX + String.format("%04d#%04d", run, batch));
    }

    /**
     * The result of one row of an import, written once (conditional put; a created customer's in the customer's own
     * transaction): {@code CUSTOMER_IMPORT#<id>} / {@code ROW#<row number, 6 digits>}. The import's counts are these items.
     */
    public static Key importRow(String importId, int rowNumber) {
        return new Key(record(CUSTOMER_IMPORT, importId).pk(), IMPORT_ROW_PREFIX + String.format("%06d", rowNumber));
    }
}
