package com.rackflow.core.records;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.core.json.Json;

import java.util.Map;

/**
 * Sets the bookkeeping components every audited record has ({@code updatedBy}, {@code modifiedByDepartmentId},
 * {@code updatedAt}, {@code version}, {@code deletedAt}, {@code deletedBy}) through the record's JSON tree, so no
 * record needs a hand-written copy method per stamp.
 */
public final class Stamps {
    private Stamps() {
    }

    /** The next version of the record, as changed by someone (department may be null for the system) at a time. */
    @SuppressWarnings("unchecked")
    public static <T extends Audited> T touched(T record, String by, String byDepartmentId, String at) {
        ObjectNode o = (ObjectNode) Json.tree(record);
        o.put("updatedBy", by);
        o.put("modifiedByDepartmentId", byDepartmentId);
        o.put("updatedAt", at);
        o.put("version", record.version() + 1);
        return (T) Json.convert(o, record.getClass());
    }

    /** The record with some components replaced (null clears one). */
    @SuppressWarnings("unchecked")
    public static <T> T with(T record, Map<String, ?> values) {
        ObjectNode o = (ObjectNode) Json.tree(record);
        values.forEach((k, v) -> o.set(k, v == null ? null : Json.tree(v)));
        return (T) Json.convert(o, record.getClass());
    }

    public static <T> T deleted(T record, String by, String at) {
        return with(record, new java.util.HashMap<>(Map.of("deletedAt", at, "deletedBy", by)));
    }

    public static <T> T restored(T record) {
        java.util.Map<String, Object> m = new java.util.HashMap<>();
        m.put("deletedAt", null);
        m.put("deletedBy", null);
        return with(record, m);
    }
}
