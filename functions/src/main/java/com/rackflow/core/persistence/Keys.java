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
}
