package com.rackflow.customers;

import com.rackflow.access.Scope;
import com.rackflow.core.persistence.KeyQuery;
import com.rackflow.core.persistence.Keys;
import com.rackflow.core.persistence.Page;
import com.rackflow.core.persistence.Table;
import com.rackflow.core.records.RecordStore;
import com.rackflow.core.records.ScopedQuery;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The customer's store adapter (keys: docs/keys.md, "Customer"): a {@link RecordStore} with the owner, department
 * and status index keys every owned record has, plus {@code searchText}; the lists a scope reads. Writes go through
 * the audited-record core ({@code AuditedRecords}, one unit of work each).
 */
public final class CustomerStore {
    static final String TYPE = "CUSTOMER";

    private final RecordStore<Customer> records;

    public CustomerStore(Table table) {
        this.records = new RecordStore<>(table, TYPE, Customer.class, (c, o) -> {
            ScopedQuery.putIndexKeys(o, TYPE, c, c.createdAt(), c.customerId(), c.status().name());
            o.put("searchText", searchText(c));
        });
    }

    public RecordStore<Customer> records() {
        return records;
    }

    public Optional<Customer> find(String customerId) {
        return records.find(customerId);
    }

    /** The customer to show, eventually consistent (see {@link RecordStore#view}). */
    public Optional<Customer> view(String customerId) {
        return records.view(customerId);
    }

    /** Filters a list may carry besides the caller's scope. */
    public record ListFilter(CustomerStatus status, String ownerId, String text, boolean deleted) {
    }

    /**
     * One page of the customers in a scope: the owner partition for sales (or a given owner), the department
     * partition for managers, the status partitions for admins. Filters run in the query.
     */
    public Page<Customer> list(Scope scope, ListFilter f, String cursor, int limit) {
        List<String> statuses = (f.status() != null ? Stream.of(f.status()) : Stream.of(CustomerStatus.values()))
                .map(Enum::name).toList();
        ScopedQuery q = ScopedQuery.deleted(f.deleted()).eq("status", f.status() == null ? null : f.status().name())
                .eq("ownerId", f.ownerId()).contains("searchText", f.text() == null ? null : searchable(f.text()));
        return records.page(q.partitions(scope, TYPE, f.ownerId(), statuses), cursor, limit, scope::includes);
    }

    /** Customers in the given statuses within a scope (pickers), newest first per status. */
    public Page<Customer> inStatuses(Scope scope, List<CustomerStatus> statuses, String text, String cursor, int limit) {
        ScopedQuery q = ScopedQuery.deleted(false)
                .eq("ownerId", scope instanceof Scope.Owner o ? o.userId() : null)
                .eq("departmentId", scope instanceof Scope.Department d ? d.departmentId() : null)
                .contains("searchText", text == null ? null : searchable(text));
        List<KeyQuery> parts = scope instanceof Scope.None ? List.of() : statuses.stream()
                .map(s -> q.apply(KeyQuery.on(Keys.GSI_KIND, Keys.statusPartition(TYPE, s.name()), null))).toList();
        return records.page(parts, cursor, limit, scope::includes);
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
