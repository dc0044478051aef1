package com.rackflow.customers;

import com.rackflow.access.AccessPolicy;
import com.rackflow.access.Caller;
import com.rackflow.access.RecordKind;
import com.rackflow.access.Role;
import com.rackflow.core.history.Change;
import com.rackflow.core.history.History;
import com.rackflow.core.history.HistoryEntry;
import com.rackflow.core.http.ApiException;
import com.rackflow.core.json.Json;
import com.rackflow.core.persistence.Keys;
import com.rackflow.core.persistence.Page;
import com.rackflow.core.persistence.Table;
import com.rackflow.core.persistence.UniqueValues;
import com.rackflow.core.persistence.UniqueValues.Claim;
import com.rackflow.core.records.Reassignment;
import com.rackflow.customers.CustomerTransitions.Mover;
import com.rackflow.directory.StaffDirectory;
import com.rackflow.directory.StaffUser;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The customer module's rules: codes, duplicate detection, the status pipeline, ownership, soft deletion,
 * versioned changes and history. Every read and write goes through the access policy.
 */
public final class CustomerService {
    static final ZoneId BUSINESS_ZONE = ZoneId.of("Asia/Shanghai");
    private static final Set<String> NOT_AUDITED = Set.of("version", "updatedAt", "updatedBy", "modifiedByDepartmentId");
    private static final String WHAT = "customer";

    private final CustomerStore store;
    private final UniqueValues unique;
    private final History history;
    private final StaffDirectory directory;
    private final Table table;

    public CustomerService(Table table) {
        this.table = table;
        this.store = new CustomerStore(table);
        this.unique = new UniqueValues(table);
        this.history = new History(table);
        this.directory = new StaffDirectory(table);
    }

    public Customer create(Caller caller, CustomerDetails d, Optional<String> requestedOwner) {
        StaffUser owner = requestedOwner.map(o -> assignableOwner(caller, o, "ownerId"))
                .orElseGet(() -> directory.user(caller.userId()).orElseThrow(ApiException::unauthorized));
        if (caller.role() != Role.SALES && caller.role() != Role.REGIONAL_MANAGER && caller.role() != Role.ADMIN) {
            throw ApiException.forbidden("only sales, regional managers and admins create customers");
        }
        String id = UUID.randomUUID().toString();
        List<Claim> claims = claims(d);
        claimOrRefuse(id, claims, caller);
        try {
            Instant now = Instant.now();
            String code = nextCode(now);
            Customer c = new Customer(id, code, d.companyName(), d.creditCode(), d.contacts(), d.region(), d.source(),
                    d.notes(), CustomerStatus.ENTERED, null, owner.userId(), owner.departmentId(), caller.userId(),
                    caller.departmentId(), now.toString(), caller.userId(), caller.departmentId(), now.toString(), null, null, 1);
            if (!store.insert(c)) {
                throw new IllegalStateException("customer id collision " + id);
            }
            history.record(CustomerStore.TYPE, id, "CREATED", caller, History.diff(null, c, NOT_AUDITED), null);
            return c;
        } catch (RuntimeException e) {
            unique.releaseAll(id, claims);
            throw e;
        }
    }

    public Customer get(Caller caller, String id) {
        Customer c = store.find(id).orElse(null);
        AccessPolicy.requireVisible(caller, RecordKind.CUSTOMER, c, WHAT);
        if (c.isDeleted() && !AccessPolicy.isManagerOrAdmin(caller)) {
            throw ApiException.notFound(WHAT);
        }
        return c;
    }

    /** Changes details and, for managers, the owner (reassignment within the department). */
    public Customer change(Caller caller, String id, long expectedVersion,
                           java.util.function.Function<CustomerDetails, CustomerDetails> edit, Optional<String> newOwner) {
        Customer current = live(caller, id);
        AccessPolicy.requireChangeable(caller, RecordKind.CUSTOMER, current, WHAT);
        requireVersion(current, expectedVersion);
        CustomerDetails before = details(current);
        CustomerDetails after = edit.apply(before);
        Customer next = current.withDetails(after.companyName(), after.creditCode(), after.contacts(), after.region(),
                after.source(), after.notes());
        boolean reassigned = false;
        if (newOwner.isPresent() && !newOwner.get().equals(current.ownerId())) {
            AccessPolicy.requireManagerOf(caller, RecordKind.CUSTOMER, current, WHAT, "reassign a customer");
            StaffUser owner = assignableOwner(caller, newOwner.get(), "ownerId");
            next = next.withOwner(owner.userId(), owner.departmentId());
            reassigned = true;
        }
        Customer saved = save(caller, current, next, claims(before), claims(after));
        List<Change> changes = History.diff(current, saved, NOT_AUDITED);
        if (!changes.isEmpty()) {
            history.record(CustomerStore.TYPE, id, reassigned ? "REASSIGNED" : "CHANGED", caller, changes, null);
        }
        return saved;
    }

    /**
     * Staff departure: moves the customer from one owner to a colleague for {@code actor} (a manager), history
     * REASSIGNED with the note. A concurrent change is re-read and the move tried on the new version; safe to retry.
     */
    public Reassignment reassign(Caller actor, String id, String fromOwnerId, String toOwnerId, String toDepartmentId, String note) {
        for (int attempt = 0; attempt < Reassignment.ATTEMPTS; attempt++) {
            Customer current = store.find(id).orElse(null);
            Reassignment state = Reassignment.of(current == null ? null : current.ownerId(), fromOwnerId, toOwnerId);
            if (state != Reassignment.MOVED) {
                return state;
            }
            Customer next = current.withOwner(toOwnerId, toDepartmentId)
                    .touched(actor.userId(), actor.departmentId(), Instant.now().toString());
            if (store.replace(next, current.version())) {
                history.record(CustomerStore.TYPE, id, "REASSIGNED", actor, History.diff(current, next, NOT_AUDITED), note);
                return Reassignment.MOVED;
            }
        }
        throw ApiException.versionConflict(-1);
    }

    public Customer transition(Caller caller, String id, CustomerStatus to, String reason, long expectedVersion) {
        Customer current = live(caller, id);
        AccessPolicy.requireChangeable(caller, RecordKind.CUSTOMER, current, WHAT);
        requireVersion(current, expectedVersion);
        Mover mover = AccessPolicy.isManagerOrAdmin(caller) ? Mover.MANAGER : Mover.STAFF;
        if (!CustomerTransitions.allowed(current.status(), to, mover)) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("from", current.status().name());
            details.put("to", to.name());
            details.put("allowed", CustomerTransitions.targets(current.status(), mover).stream().map(Enum::name).toList());
            String why = CustomerTransitions.find(current.status(), to)
                    .map(t -> switch (t.by()) {
                        case RACKING_FLOW -> " (set by the racking flow)";
                        case TERMINATION_FLOW -> " (set by the termination flow)";
                        case MANAGER -> " (only a manager may reopen a lost customer)";
                        case STAFF -> "";
                    }).orElse("");
            throw ApiException.conflict("ILLEGAL_TRANSITION",
                    "cannot move a customer from " + current.status() + " to " + to + why + "; allowed: " + details.get("allowed"),
                    "不允许的状态变更：" + current.status().labelZh() + " → " + to.labelZh(), details);
        }
        if (to == CustomerStatus.LOST && (reason == null || reason.isBlank())) {
            throw ApiException.invalid("reason", "required", "a reason is required when a customer is lost");
        }
        return moveStatus(current, to, reason, caller.userId(), caller.role().name(), caller.departmentId(), caller);
    }

    /**
     * A move made by a flow (racking → IN_SERVICE, termination → TERMINATED). Idempotent: a customer already in
     * {@code to} is returned unchanged, so a retried flow step does nothing twice.
     */
    public Customer flowTransition(String id, CustomerStatus to, Mover flow, String actorId, String note) {
        for (int attempt = 0; attempt < 5; attempt++) {
            Customer current = store.find(id).orElseThrow(() -> ApiException.notFound(WHAT));
            if (current.status() == to) {
                return current;
            }
            if (!CustomerTransitions.allowed(current.status(), to, flow)) {
                throw ApiException.conflict("ILLEGAL_TRANSITION",
                        "cannot move customer " + current.code() + " from " + current.status() + " to " + to,
                        "不允许的状态变更", Map.of("from", current.status().name(), "to", to.name()));
            }
            Customer next = current.withStatus(to, null).touched(actorId, null, Instant.now().toString());
            if (store.replace(next, current.version())) {
                history.record(CustomerStore.TYPE, id, "STATUS_CHANGED", actorId, "SYSTEM", null,
                        History.diff(current, next, NOT_AUDITED), note);
                return next;
            }
        }
        throw ApiException.versionConflict(-1);
    }

    private Customer moveStatus(Customer current, CustomerStatus to, String reason, String actorId, String actorRole,
                                String actorDept, Caller caller) {
        Customer next = current.withStatus(to, reason).touched(actorId, actorDept, Instant.now().toString());
        if (!store.replace(next, current.version())) {
            throw ApiException.versionConflict(store.find(current.customerId()).map(Customer::version).orElse(-1L));
        }
        history.record(CustomerStore.TYPE, current.customerId(), "STATUS_CHANGED", caller,
                History.diff(current, next, NOT_AUDITED), reason);
        return next;
    }

    public Customer delete(Caller caller, String id, long expectedVersion) {
        Customer current = live(caller, id);
        AccessPolicy.requireChangeable(caller, RecordKind.CUSTOMER, current, WHAT);
        requireVersion(current, expectedVersion);
        if (CustomerStatus.SIGNED_OR_LATER.contains(current.status())) {
            throw ApiException.conflict("NOT_DELETABLE",
                    "customer " + current.code() + " is " + current.status() + "; signed customers are never deleted, only terminated",
                    "已签约客户不能删除，只能解约", Map.of("status", current.status().name()));
        }
        String now = Instant.now().toString();
        Customer next = current.withDeletion(now, caller.userId()).touched(caller.userId(), caller.departmentId(), now);
        if (!store.replace(next, current.version())) {
            throw ApiException.versionConflict(-1);
        }
        history.record(CustomerStore.TYPE, id, "DELETED", caller, List.of(), null);
        return next;
    }

    public Customer restore(Caller caller, String id) {
        Customer current = store.find(id).orElse(null);
        AccessPolicy.requireManagerOf(caller, RecordKind.CUSTOMER, current, WHAT, "restore a deleted customer");
        if (!current.isDeleted()) {
            throw ApiException.conflict("NOT_DELETED", "customer " + current.code() + " is not deleted", "该客户未被删除", Map.of());
        }
        Customer next = current.withDeletion(null, null).touched(caller.userId(), caller.departmentId(), Instant.now().toString());
        if (!store.replace(next, current.version())) {
            throw ApiException.versionConflict(-1);
        }
        history.record(CustomerStore.TYPE, id, "RESTORED", caller, List.of(), null);
        return next;
    }

    public Page<Customer> list(Caller caller, CustomerStore.ListFilter filter, String cursor, int limit) {
        AccessPolicy.requireModule(caller, com.rackflow.access.Module.CUSTOMERS);
        if (filter.deleted() && !AccessPolicy.isManagerOrAdmin(caller)) {
            throw ApiException.forbidden("only a regional manager or an admin may list deleted customers");
        }
        return store.list(AccessPolicy.scope(caller, RecordKind.CUSTOMER), filter, cursor, limit);
    }

    public Page<HistoryEntry> history(Caller caller, String id, String cursor, int limit) {
        get(caller, id);
        return history.list(CustomerStore.TYPE, id, cursor, limit);
    }

    /** For other modules (contracts, pickers, flows): the customer if it exists, whatever the caller. */
    public Optional<Customer> find(String id) {
        return store.find(id);
    }

    public CustomerStore store() {
        return store;
    }

    private Customer live(Caller caller, String id) {
        Customer c = store.find(id).orElse(null);
        AccessPolicy.requireVisible(caller, RecordKind.CUSTOMER, c, WHAT);
        if (c.isDeleted()) {
            throw ApiException.notFound(WHAT);
        }
        return c;
    }

    private static void requireVersion(Customer current, long expected) {
        if (current.version() != expected) {
            throw ApiException.versionConflict(current.version());
        }
    }

    private Customer save(Caller caller, Customer current, Customer next, List<Claim> oldClaims, List<Claim> newClaims) {
        List<Claim> added = new ArrayList<>(newClaims);
        added.removeAll(oldClaims);
        List<Claim> dropped = new ArrayList<>(oldClaims);
        dropped.removeAll(newClaims);
        claimOrRefuse(current.customerId(), added, caller);
        Customer touched = next.touched(caller.userId(), caller.departmentId(), Instant.now().toString());
        if (!store.replace(touched, current.version())) {
            unique.releaseAll(current.customerId(), added);
            throw ApiException.versionConflict(store.find(current.customerId()).map(Customer::version).orElse(-1L));
        }
        unique.releaseAll(current.customerId(), dropped);
        return touched;
    }

    private void claimOrRefuse(String id, List<Claim> claims, Caller caller) {
        unique.claimAll(id, claims, holder -> store.find(holder).isPresent()).ifPresent(taken -> {
            Optional<Customer> holder = store.find(taken.holderId());
            String field = switch (taken.claim().kind()) {
                case "CUSTOMER_NAME" -> "companyName";
                case "CUSTOMER_CREDIT_CODE" -> "creditCode";
                default -> "contacts.phone";
            };
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("field", field);
            holder.ifPresent(h -> {
                details.put("existingCode", h.code());
                details.put("existingOwnerId", h.ownerId());
                details.put("existingOwnerName", directory.displayName(h.ownerId()));
                if (h.isDeleted()) {
                    details.put("existingDeleted", true);
                }
            });
            String who = holder.map(h -> h.code() + " (owner " + details.get("existingOwnerName") + ")"
                    + (h.isDeleted() ? ", deleted: a manager can restore it" : "")).orElse("a customer being created right now");
            throw ApiException.conflict("DUPLICATE_CUSTOMER",
                    "duplicate " + field + ": already recorded for customer " + who,
                    "客户重复（" + field + "）：已存在客户 " + holder.map(Customer::code).orElse("") + "，负责人 "
                            + details.getOrDefault("existingOwnerName", ""), details);
        });
    }

    static List<Claim> claims(CustomerDetails d) {
        List<Claim> claims = new ArrayList<>();
        claims.add(new Claim("CUSTOMER_NAME", DuplicateKeys.companyName(d.companyName())));
        if (d.creditCode() != null) {
            claims.add(new Claim("CUSTOMER_CREDIT_CODE", d.creditCode()));
        }
        DuplicateKeys.phones(d.contacts()).forEach(p -> claims.add(new Claim("CUSTOMER_PHONE", p)));
        return claims;
    }

    static CustomerDetails details(Customer c) {
        return new CustomerDetails(c.companyName(), c.creditCode(), c.contacts(), c.region(), c.source(), c.notes());
    }

    private String nextCode(Instant now) {
        int year = now.atZone(BUSINESS_ZONE).getYear();
        long seq = table.increment(Keys.counter(CustomerStore.TYPE + "#" + year));
        return String.format("C%d-%06d", year, seq);
    }

    /** An owner a caller may give a customer to: an active salesperson or manager of the caller's department (admin: any). */
    private StaffUser assignableOwner(Caller caller, String userId, String field) {
        StaffUser u = directory.user(userId).orElse(null);
        boolean sameDept = u != null && (caller.role() == Role.ADMIN || u.departmentId().equals(caller.departmentId()));
        if (u == null || !sameDept || !u.isActive() || (u.role() != Role.SALES && u.role() != Role.REGIONAL_MANAGER)) {
            throw ApiException.invalid(field, "assignable",
                    "must be an active salesperson or manager of your department");
        }
        if (caller.role() == Role.SALES && !u.userId().equals(caller.userId())) {
            throw ApiException.forbidden("sales may not assign customers to others");
        }
        return u;
    }

    static Object view(Customer c) {
        var o = (com.fasterxml.jackson.databind.node.ObjectNode) Json.tree(c);
        o.put("statusLabel", c.status().labelZh());
        if (c.source() != null) {
            o.put("sourceLabel", c.source().labelZh());
        }
        return o;
    }
}
