package com.rackflow.customers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.access.Scope;
import com.rackflow.core.json.Json;
import com.rackflow.core.persistence.Items;
import com.rackflow.core.persistence.KeyQuery;
import com.rackflow.core.persistence.Keys;
import com.rackflow.core.persistence.Page;
import com.rackflow.core.persistence.Pager;
import com.rackflow.core.persistence.Table;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** Customer items in the table (keys: docs/keys.md, "Customer"). */
public final class CustomerStore {
    static final String TYPE = "CUSTOMER";

    private final Table table;

    public CustomerStore(Table table) {
        this.table = table;
    }

    public Optional<Customer> find(String customerId) {
        return table.get(Keys.record(TYPE, customerId)).map(CustomerStore::customer);
    }

    public boolean insert(Customer c) {
        return table.putIfAbsent(item(c));
    }

    /** Writes the new version if the stored one is still {@code expectedVersion}. */
    public boolean replace(Customer c, long expectedVersion) {
        return table.putIfVersion(item(c), expectedVersion);
    }

    /** Filters a list may carry besides the caller's scope. */
    public record ListFilter(CustomerStatus status, String ownerId, String text, boolean deleted) {
    }

    /**
     * One page of the customers in a scope: the owner partition for sales (or a given owner), the department
     * partition for managers, the status partitions for admins. Filters run in the query.
     */
    public Page<Customer> list(Scope scope, ListFilter f, String cursor, int limit) {
        List<KeyQuery> partitions = partitions(scope, f);
        List<String> conditions = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        conditions.add(f.deleted() ? "attribute_exists(deletedAt)" : "attribute_not_exists(deletedAt)");
        if (f.status() != null) {
            conditions.add("#st = :st");
            names.put("#st", "status");
            values.put(":st", Items.s(f.status().name()));
        }
        if (f.ownerId() != null) {
            conditions.add("#ow = :ow");
            names.put("#ow", "ownerId");
            values.put(":ow", Items.s(f.ownerId()));
        }
        if (f.text() != null) {
            conditions.add("contains(#q, :q)");
            names.put("#q", "searchText");
            values.put(":q", Items.s(searchable(f.text())));
        }
        String filter = String.join(" AND ", conditions);
        List<KeyQuery> filtered = partitions.stream().map(p -> p.filtered(filter, names, values)).toList();
        return Pager.page(table, filtered, cursor, limit, CustomerStore::customer, scope::includes);
    }

    private static List<KeyQuery> partitions(Scope scope, ListFilter f) {
        String typePrefix = TYPE + "#";
        if (scope instanceof Scope.Owner o) {
            return List.of(KeyQuery.on(Keys.GSI_OWNER, Keys.ownerPartition(o.userId()), typePrefix));
        }
        if (f.ownerId() != null && (scope instanceof Scope.Department || scope instanceof Scope.All)) {
            return List.of(KeyQuery.on(Keys.GSI_OWNER, Keys.ownerPartition(f.ownerId()), typePrefix));
        }
        if (scope instanceof Scope.Department d) {
            return List.of(KeyQuery.on(Keys.GSI_DEPARTMENT, Keys.departmentPartition(d.departmentId()), typePrefix));
        }
        if (scope instanceof Scope.All) {
            Stream<CustomerStatus> statuses = f.status() != null ? Stream.of(f.status()) : Stream.of(CustomerStatus.values());
            return statuses.map(s -> KeyQuery.on(Keys.GSI_KIND, Keys.statusPartition(TYPE, s.name()), null)).toList();
        }
        return List.of();
    }

    /** Customers in the given statuses within a scope (pickers), newest first per status. */
    public Page<Customer> inStatuses(Scope scope, List<CustomerStatus> statuses, String text, String cursor, int limit) {
        List<KeyQuery> parts = new ArrayList<>();
        for (CustomerStatus s : statuses) {
            KeyQuery q = KeyQuery.on(Keys.GSI_KIND, Keys.statusPartition(TYPE, s.name()), null);
            Map<String, String> names = new HashMap<>();
            Map<String, AttributeValue> values = new HashMap<>();
            String filter = "attribute_not_exists(deletedAt)";
            if (scope instanceof Scope.Owner o) {
                filter += " AND #ow = :ow";
                names.put("#ow", "ownerId");
                values.put(":ow", Items.s(o.userId()));
            } else if (scope instanceof Scope.Department d) {
                filter += " AND #dp = :dp";
                names.put("#dp", "departmentId");
                values.put(":dp", Items.s(d.departmentId()));
            }
            if (text != null) {
                filter += " AND contains(#q, :q)";
                names.put("#q", "searchText");
                values.put(":q", Items.s(searchable(text)));
            }
            if (!(scope instanceof Scope.None)) {
                parts.add(q.filtered(filter, names, values));
            }
        }
        return Pager.page(table, parts, cursor, limit, CustomerStore::customer, scope::includes);
    }

    static Customer customer(Map<String, AttributeValue> item) {
        return Items.toRecord(item, Customer.class);
    }

    static Map<String, AttributeValue> item(Customer c) {
        ObjectNode o = (ObjectNode) Json.tree(c);
        var key = Keys.record(TYPE, c.customerId());
        o.put("pk", key.pk());
        o.put("sk", key.sk());
        String sort = Keys.typedSortKey(TYPE, c.createdAt(), c.customerId());
        o.put("gsi1pk", Keys.ownerPartition(c.ownerId()));
        o.put("gsi1sk", sort);
        o.put("gsi2pk", Keys.departmentPartition(c.departmentId()));
        o.put("gsi2sk", sort);
        o.put("gsi3pk", Keys.statusPartition(TYPE, c.status().name()));
        o.put("gsi3sk", c.createdAt() + "#" + c.customerId());
        o.put("searchText", searchText(c));
        return Items.fromObject(o);
    }

    /** What free-text search matches: normalised name, code and phone digits. */
    static String searchText(Customer c) {
        StringBuilder sb = new StringBuilder(DuplicateKeys.companyName(c.companyName())).append(' ').append(c.code().toLowerCase());
        DuplicateKeys.phones(c.contacts()).forEach(p -> sb.append(' ').append(p));
        return sb.toString();
    }

    static String searchable(String text) {
        String t = text.trim().toLowerCase();
        return t.matches("c\\d{4}-\\d*") ? t : DuplicateKeys.companyName(text).isEmpty() ? t : DuplicateKeys.companyName(text);
    }
}
