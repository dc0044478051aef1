package com.rackflow.servicerecords;

import com.rackflow.access.AccessPolicy;
import com.rackflow.access.Caller;
import com.rackflow.access.Module;
import com.rackflow.access.RecordKind;
import com.rackflow.access.Role;
import com.rackflow.access.Scope;
import com.rackflow.core.history.HistoryEntry;
import com.rackflow.core.http.ApiException;
import com.rackflow.core.persistence.IdempotencyClaim;
import com.rackflow.core.persistence.Keys;
import com.rackflow.core.persistence.Page;
import com.rackflow.core.persistence.Table;
import com.rackflow.core.persistence.UnitOfWork;
import com.rackflow.core.records.AuditedRecords;
import com.rackflow.core.records.Reassignment;
import com.rackflow.core.records.RecordStore;
import com.rackflow.core.records.Requests;
import com.rackflow.core.records.ScopedQuery;
import com.rackflow.core.records.Stamps;
import com.rackflow.customers.Customer;
import com.rackflow.customers.CustomerService;
import com.rackflow.customers.CustomerStatus;
import com.rackflow.directory.StaffDirectory;
import com.rackflow.directory.StaffUser;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Service records (客户服务): opened by maintenance for SIGNED / IN_SERVICE customers only, moved through the status
 * table with response and resolution times, never deleted. Sales read their customers' records, managers their
 * department's, maintenance and admins read and change all (scopes: {@link AccessPolicy}).
 */
public final class ServiceRecordService {
    static final String TYPE = "SERVICE_RECORD";
    private static final String WHAT = "service record";
    private static final String CUSTOMER_TYPE = "CUSTOMER";
    /** Who owns the customer: kept on the record for the scopes, never shown to those who may not see customers. */
    private static final Set<String> CUSTOMER_OWNERSHIP = Set.of("ownerId", "departmentId");
    private static final Set<Role> ASSIGNABLE = Set.of(Role.MAINTENANCE, Role.OPERATIONS, Role.ADMIN);

    private final Table table;
    private final AuditedRecords<ServiceRecord> records;
    private final CustomerService customers;
    private final StaffDirectory directory;

    public ServiceRecordService(Table table) {
        this.table = table;
        RecordStore<ServiceRecord> store = new RecordStore<>(table, TYPE, ServiceRecord.class,
                (s, item) -> ScopedQuery.putIndexKeys(item, TYPE, s, s.createdAt(), s.serviceRecordId(), s.status().name()));
        this.records = new AuditedRecords<>(store, RecordKind.SERVICE_RECORD, WHAT,
                (before, s, uow) -> {
                    if (before == null || before.status() != s.status()) {
                        store.link(uow, CUSTOMER_TYPE, s.customerId(), s, Map.of("status", s.status().name()));
                    }
                },
                CUSTOMER_OWNERSHIP);
        this.customers = new CustomerService(table);
        this.directory = new StaffDirectory(table);
    }

    /** What a new record says; the customer's details come from the customer, not the request. */
    public record Opening(String customerId, ServiceType type, Priority priority, String title, String description,
                          String assigneeId) {
    }

    public ServiceRecord open(Caller caller, Opening o) {
        return open(caller, o, null);
    }

    /** As {@link #open(Caller, Opening)}, the request's Idempotency-Key written with the record ({@code claim}). */
    public ServiceRecord open(Caller caller, Opening o, IdempotencyClaim claim) {
        AccessPolicy.requireCreator(caller, RecordKind.SERVICE_RECORD, WHAT);
        Customer customer = customers.find(o.customerId()).filter(c -> !c.isDeleted()).orElse(null);
        AccessPolicy.requireVisible(caller, RecordKind.SIGNED_CUSTOMER, customer, "customer");
        if (!CustomerStatus.SERVICEABLE.contains(customer.status())) {
            // maintenance does not see customers: it learns that the customer is not signed, not its status
            boolean mayKnowStatus = AccessPolicy.maySee(caller, RecordKind.CUSTOMER, customer);
            Map<String, Object> details = mayKnowStatus ? Map.of("customerStatus", customer.status().name()) : Map.of();
            throw ApiException.conflict("CUSTOMER_NOT_SIGNED",
                    "customer " + customer.code() + " is not SIGNED or IN_SERVICE"
                            + (mayKnowStatus ? " (it is " + customer.status() + ")" : "")
                            + "; service records are opened only for signed customers",
                    "客户 " + customer.code() + " 未签约，不能创建服务记录", details);
        }
        requireAssignable(o.assigneeId());
        String now = Instant.now().toString();
        ServiceRecord s = new ServiceRecord(UUID.randomUUID().toString(), nextTicketNumber(), customer.customerId(),
                customer.code(), customer.companyName(), o.type(), o.priority(), o.title(), o.description(), o.assigneeId(),
                ServiceStatus.OPEN, null, null, null, null, null, customer.ownerId(), customer.departmentId(),
                caller.userId(), caller.departmentId(), now, caller.userId(), caller.departmentId(), now, null, null, 1);
        return records.create(caller, s, null, claim, uow -> {
        });
    }

    /** {@code SR} + business year + 6-digit sequence from an atomic counter (unique; gaps possible). */
    private String nextTicketNumber() {
        int year = Instant.now().atZone(Requests.BUSINESS_ZONE).getYear();
        return String.format("SR%04d%06d", year, table.increment(Keys.counter(TYPE + "#" + year)));
    }

    private void requireAssignable(String userId) {
        if (userId == null) {
            return;
        }
        StaffUser u = directory.user(userId).orElse(null);
        if (u == null || !u.isActive() || !ASSIGNABLE.contains(u.role())) {
            throw ApiException.invalid("assigneeId", "assignable", "must be an active member of maintenance or operations");
        }
    }

    public ServiceRecord get(Caller caller, String id) {
        return records.visible(caller, id);
    }

    /** Changes the fields present in {@code changes} (type, priority, title, description, assigneeId). */
    public ServiceRecord change(Caller caller, String id, long expectedVersion, Map<String, Object> changes) {
        ServiceRecord current = records.changeable(caller, id, expectedVersion);
        if (current.status().isFinal()) {
            throw ApiException.conflict("NOT_EDITABLE", "service record " + current.ticketNumber() + " is " + current.status(),
                    "已关闭或已取消的服务记录不能修改", Map.of("status", current.status().name()));
        }
        if (changes.containsKey("assigneeId")) {
            requireAssignable((String) changes.get("assigneeId"));
        }
        ServiceRecord next = Stamps.with(current, changes);
        return records.save(caller, current, next, "assigneeId".equals(single(changes)) ? "REASSIGNED" : "CHANGED", null);
    }

    private static String single(Map<String, Object> changes) {
        return changes.size() == 1 ? changes.keySet().iterator().next() : null;
    }

    /** A status move of the table; sets the response (first IN_PROGRESS), resolution and closing times. */
    public ServiceRecord transition(Caller caller, String id, ServiceStatus to, String reason, long expectedVersion) {
        ServiceRecord current = records.changeable(caller, id, expectedVersion);
        var t = ServiceTransitions.find(current.status(), to).orElse(null);
        if (t == null) {
            List<String> allowed = ServiceTransitions.targets(current.status()).stream().map(Enum::name).toList();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("from", current.status().name());
            details.put("to", to.name());
            details.put("allowed", allowed);
            throw ApiException.conflict("ILLEGAL_TRANSITION",
                    "cannot move a service record from " + current.status() + " to " + to + "; allowed: " + allowed,
                    "不允许的状态变更：" + current.status().labelZh() + " → " + to.labelZh(), details);
        }
        if (t.needsReason() && reason == null) {
            throw ApiException.invalid("reason", "required", to == ServiceStatus.RESOLVED
                    ? "describe the resolution when resolving a service record" : "a reason is required to move a service record to " + to);
        }
        String now = Instant.now().toString();
        Map<String, Object> m = new HashMap<>();
        m.put("status", to.name());
        m.put("statusReason", to == ServiceStatus.RESOLVED ? null : reason);
        switch (to) {
            case IN_PROGRESS -> {
                if (current.respondedAt() == null) {
                    m.put("respondedAt", now);
                }
                m.put("resolvedAt", null);
            }
            case RESOLVED -> {
                m.put("resolvedAt", now);
                m.put("resolution", reason);
            }
            case CLOSED, CANCELLED -> m.put("closedAt", now);
            default -> {
            }
        }
        return records.save(caller, current, Stamps.with(current, m), "STATUS_CHANGED", reason);
    }

    /** Staff departure: moves the service record's customer-owner fields from one owner to a colleague for {@code actor} (idempotent; see AuditedRecords). */
    public Reassignment reassign(Caller actor, String id, String fromOwnerId, String toOwnerId, String toDepartmentId, String note,
                                 Consumer<UnitOfWork> with) {
        return records.reassign(actor, id, fromOwnerId, toOwnerId, toDepartmentId, note, with);
    }

    public Page<HistoryEntry> history(Caller caller, String id, String cursor, int limit) {
        return records.history(caller, id, cursor, limit);
    }

    public record ListFilter(String customerId, ServiceStatus status, String assigneeId) {
    }

    public Page<ServiceRecord> list(Caller caller, ListFilter f, String cursor, int limit) {
        Scope scope = AccessPolicy.scope(caller, RecordKind.SERVICE_RECORD);
        if (f.customerId() != null) {
            return records.store().linked(CUSTOMER_TYPE, f.customerId(), cursor, limit, s -> scope.includes(s)
                    && (f.status() == null || s.status() == f.status())
                    && (f.assigneeId() == null || f.assigneeId().equals(s.assigneeId())));
        }
        List<String> statuses = f.status() != null ? List.of(f.status().name())
                : Arrays.stream(ServiceStatus.values()).map(Enum::name).toList();
        var q = ScopedQuery.deleted(false).eq("status", f.status() == null ? null : f.status().name())
                .eq("assigneeId", f.assigneeId());
        return records.store().page(q.partitions(scope, TYPE, null, statuses), cursor, limit, scope::includes);
    }

    private static final List<String> SHOWN = List.of("serviceRecordId", "ticketNumber", "customerId", "customerCode",
            "customerName", "type", "priority", "title", "description", "assigneeId", "status", "statusReason", "resolution",
            "respondedAt", "resolvedAt", "closedAt", "ownerId", "departmentId", "createdBy", "createdByDepartmentId", "createdAt", "updatedBy", "modifiedByDepartmentId", "updatedAt", "deletedAt", "deletedBy", "version");
    /** Who owns the customer is customer-module information: not shown to roles that may not open it. */
    private static final List<String> SHOWN_WITHOUT_OWNERSHIP = SHOWN.stream().filter(f -> !CUSTOMER_OWNERSHIP.contains(f)).toList();

    static Object view(ServiceRecord s, Caller caller) {
        return ScopedQuery.view(s, AccessPolicy.mayOpen(caller.role(), Module.CUSTOMERS) ? SHOWN : SHOWN_WITHOUT_OWNERSHIP,
                "statusLabel", s.status().labelZh(), "typeLabel", s.type().labelZh(), "priorityLabel", s.priority().labelZh());
    }
}
