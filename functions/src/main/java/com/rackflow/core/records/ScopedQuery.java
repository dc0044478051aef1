package com.rackflow.core.records;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.access.Owned;
import com.rackflow.access.Scope;
import com.rackflow.core.json.Json;
import com.rackflow.core.persistence.Items;
import com.rackflow.core.persistence.KeyQuery;
import com.rackflow.core.persistence.Keys;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The partitions a list reads for a caller's scope, with the list's filters run inside the Query (never a Scan):
 * the owner partition for sales (or a named owner), the department partition for managers, the status partitions
 * for callers who see everything. Index keys of such records: {@link #putIndexKeys}.
 */
public final class ScopedQuery {
    private final List<String> conditions = new ArrayList<>();
    private final Map<String, String> names = new HashMap<>();
    private final Map<String, AttributeValue> values = new HashMap<>();

    /** Live records only, or (managers' {@code ?deleted=true}) deleted ones only. */
    public static ScopedQuery deleted(boolean deleted) {
        ScopedQuery q = new ScopedQuery();
        q.conditions.add(deleted ? "attribute_exists(deletedAt)" : "attribute_not_exists(deletedAt)");
        return q;
    }

    /** Adds {@code attribute = value} when the value is given. */
    public ScopedQuery eq(String attribute, String value) {
        if (value != null) {
            int n = conditions.size();
            conditions.add("#f" + n + " = :f" + n);
            names.put("#f" + n, attribute);
            values.put(":f" + n, Items.s(value));
        }
        return this;
    }

    /** Adds {@code contains(attribute, value)} when the value is given (free-text search). */
    public ScopedQuery contains(String attribute, String value) {
        if (value != null) {
            int n = conditions.size();
            conditions.add("contains(#f" + n + ", :f" + n + ")");
            names.put("#f" + n, attribute);
            values.put(":f" + n, Items.s(value));
        }
        return this;
    }

    public KeyQuery apply(KeyQuery q) {
        return q.filtered(String.join(" AND ", conditions), names, values);
    }

    /**
     * The partitions of {@code type} records for a scope: {@code ownerId} (if given) narrows to one owner's
     * partition; {@code statuses} are the status partitions read, in order, when the scope is everything.
     */
    public List<KeyQuery> partitions(Scope scope, String type, String ownerId, List<String> statuses) {
        String prefix = type + "#";
        List<KeyQuery> parts = new ArrayList<>();
        if (scope instanceof Scope.Owner o) {
            parts.add(KeyQuery.on(Keys.GSI_OWNER, Keys.ownerPartition(o.userId()), prefix));
        } else if (ownerId != null && !(scope instanceof Scope.None)) {
            parts.add(KeyQuery.on(Keys.GSI_OWNER, Keys.ownerPartition(ownerId), prefix));
        } else if (scope instanceof Scope.Department d) {
            parts.add(KeyQuery.on(Keys.GSI_DEPARTMENT, Keys.departmentPartition(d.departmentId()), prefix));
        } else if (scope instanceof Scope.All) {
            statuses.forEach(s -> parts.add(KeyQuery.on(Keys.GSI_KIND, Keys.statusPartition(type, s), null)));
        }
        return parts.stream().map(this::apply).toList();
    }

    /** gsi1 owner, gsi2 department, gsi3 status partition keys of an owned record with a status. */
    public static void putIndexKeys(ObjectNode item, String type, Owned r, String createdAt, String id, String status) {
        String sort = Keys.typedSortKey(type, createdAt, id);
        item.put("gsi1pk", Keys.ownerPartition(r.ownerId()));
        item.put("gsi1sk", sort);
        item.put("gsi2pk", Keys.departmentPartition(r.departmentId()));
        item.put("gsi2sk", sort);
        item.put("gsi3pk", Keys.statusPartition(type, status));
        item.put("gsi3sk", createdAt + "#" + id);
    }

    /** The shown fields of a record (see {@link com.rackflow.core.json.View}) with zh-CN labels added ({@code "statusLabel", "签约"}, ...). */
    public static ObjectNode view(Object record, java.util.List<String> shown, String... labelPairs) {
        ObjectNode o = com.rackflow.core.json.View.of(record, shown.toArray(String[]::new));
        for (int i = 0; i + 1 < labelPairs.length; i += 2) {
            if (labelPairs[i + 1] != null) {
                o.put(labelPairs[i], labelPairs[i + 1]);
            }
        }
        return o;
    }
}
