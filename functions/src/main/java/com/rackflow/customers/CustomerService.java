package com.rackflow.customers;

import com.rackflow.access.AccessPolicy;
import com.rackflow.access.Caller;
import com.rackflow.access.RecordKind;
import com.rackflow.access.Role;
import com.rackflow.core.history.HistoryEntry;
import com.rackflow.core.http.ApiException;
import com.rackflow.core.json.Json;
import com.rackflow.core.persistence.Keys;
import com.rackflow.core.persistence.Page;
import com.rackflow.core.persistence.Table;
import com.rackflow.core.persistence.Guard;
import com.rackflow.core.persistence.IdempotencyClaim;
import com.rackflow.core.persistence.UnitOfWork;
import com.rackflow.core.records.AuditedRecords;
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
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The customer module's rules: codes, duplicate detection, the status pipeline, ownership. The lifecycle every
 * audited record shares (scope, versions, soft delete, restore, history, one unit of work per write) is
 * {@link AuditedRecords}'; the 查重 guards are claimed in the same unit of work as the customer they belong to.
 */
public final class CustomerService {
    static final ZoneId BUSINESS_ZONE = ZoneId.of("Asia/Shanghai");
    private static final String WHAT = "customer";

    private final CustomerStore store;
    private final AuditedRecords<Customer> records;
    private final StaffDirectory directory;
    private final Table table;
    private final FollowUps followUps;

    public CustomerService(Table table) {
        this.table = table;
        this.followUps = new FollowUps(table);
        this.store = new CustomerStore(table);
        this.records = new AuditedRecords<>(store.records(), RecordKind.CUSTOMER, WHAT, AuditedRecords.Companions.none());
        this.directory = new StaffDirectory(table);
    }

    public Customer create(Caller caller, CustomerDetails d, Optional<String> requestedOwner) {
        return create(caller, d, requestedOwner, null);
    }

    /**
     * A new customer, its 查重 guards and (with {@code claim}) the request's Idempotency-Key: one transaction. The code
     * comes from a counter written before it (a failed create leaves a gap in the codes, nothing else).
     */
    public Customer create(Caller caller, CustomerDetails d, Optional<String> requestedOwner, IdempotencyClaim claim) {
        return create(caller, d, requestedOwner, "CREATED", null, claim, (c, uow) -> {
        });
    }

    /**
     * A customer created for the caller as POST /customers creates it (same owner rules, code, 查重 guards, one unit of
     * work) under another history action, e.g. {@code IMPORTED} naming the import in {@code note}; {@code with} adds
     * items to the same transaction before the guards (an import's per-row ledger item, so a retried row finds its
     * own write first).
     */
    public Customer create(Caller caller, CustomerDetails d, Optional<String> requestedOwner, String action, String note,
                           java.util.function.BiConsumer<Customer, com.rackflow.core.persistence.UnitOfWork> with) {
        return create(caller, d, requestedOwner, action, note, null, with);
    }

    private Customer create(Caller caller, CustomerDetails d, Optional<String> requestedOwner, String action, String note,
                            IdempotencyClaim claim, java.util.function.BiConsumer<Customer, com.rackflow.core.persistence.UnitOfWork> with) {
        AccessPolicy.requireCreator(caller, RecordKind.CUSTOMER, WHAT);
        // the caller owns it unless another owner is asked for: the caller is as the directory has them at this
        // request (read once by ApiHandler), so their profile is not read again
        StaffUser requested = requestedOwner.map(o -> assignableOwner(caller, o, "ownerId")).orElse(null);
        String ownerId = requested != null ? requested.userId() : caller.userId();
        String ownerDepartment = requested != null ? requested.departmentId() : caller.departmentId();
        String id = UUID.randomUUID().toString();
        Instant now = Instant.now();
        Customer c = new Customer(id, nextCode(now), d.companyName(), d.creditCode(), d.contacts(), d.region(), d.source(),
                d.notes(), CustomerStatus.ENTERED, null, ownerId, ownerDepartment, caller.userId(),
                caller.departmentId(), now.toString(), caller.userId(), caller.departmentId(), now.toString(), null, null, 1);
        return records.create(caller, c, action, note, claim, uow -> {
            with.accept(c, uow);
            claims(d).forEach(g -> uow.claim(g, id, holder -> duplicate(g, holder)));
        });
    }

    /**
     * 查重 without writing, for many at once (an import's rows): per details, what the 409 DUPLICATE_CUSTOMER of a
     * create with them would name (field, the existing customer's code and owner, whether deleted), read from the
     * same guards the create claims (BatchGetItem), empty when none is taken.
     */
    public List<Optional<Map<String, Object>>> existingDuplicates(List<CustomerDetails> all) {
        List<List<Guard>> claims = all.stream().map(CustomerService::claims).toList();
        var taken = table.getAll(claims.stream().flatMap(List::stream).map(Guard::key).toList());
        Map<String, Map<String, Object>> byHolder = new java.util.HashMap<>();
        List<Optional<Map<String, Object>>> out = new ArrayList<>();
        for (List<Guard> c : claims) {
            Optional<Map<String, Object>> found = Optional.empty();
            for (Guard g : c) {
                var item = taken.get(g.key());
                if (item != null) {
                    String holder = item.get("holderId").s();
                    found = Optional.of(byHolder.computeIfAbsent(g.kind() + "#" + holder, k -> duplicate(g, holder).details()));
                    break;
                }
            }
            out.add(found);
        }
        return out;
    }

    /** The duplicate keys (查重) of these details, as the create's guards hold them: equal keys = the same company. */
    public static List<String> duplicateKeys(CustomerDetails d) {
        return claims(d).stream().map(g -> g.kind() + "#" + g.value()).toList();
    }

    /** The field of the request a duplicate key belongs to ({@code companyName}, {@code creditCode}, {@code contacts.phone}). */
    public static String duplicateField(String duplicateKey) {
        return fieldOf(duplicateKey.substring(0, duplicateKey.indexOf('#')));
    }

    private static String fieldOf(String guardKind) {
        return switch (guardKind) {
            case "CUSTOMER_NAME" -> "companyName";
            case "CUSTOMER_CREDIT_CODE" -> "creditCode";
            default -> "contacts.phone";
        };
    }

    /** The staff member the caller may make the owner of a customer (the create's rule): 400 naming {@code field}, or 403. */
    public StaffUser requireAssignableOwner(Caller caller, String userId, String field) {
        return assignableOwner(caller, userId, field);
    }

    public Customer get(Caller caller, String id) {
        return records.visible(caller, id);
    }

    /**
     * Changes details and, for managers, the owner (reassignment within the department; the customer's follow-up moves
     * with it in the same unit of work). A follow-up changed between its read and the write is read again.
     */
    public Customer change(Caller caller, String id, long expectedVersion,
                           java.util.function.Function<CustomerDetails, CustomerDetails> edit, Optional<String> newOwner) {
        for (int attempt = 1; ; attempt++) {
            Customer current = records.changeable(caller, id, expectedVersion);
            try {
                return change(caller, current, edit, newOwner);
            } catch (ApiException e) {
                if (!"VERSION_CONFLICT".equals(e.code()) || attempt >= Reassignment.ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private Customer change(Caller caller, Customer current, java.util.function.Function<CustomerDetails, CustomerDetails> edit,
                            Optional<String> newOwner) {
        String id = current.customerId();
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
        List<Guard> added = new ArrayList<>(claims(after));
        added.removeAll(claims(before));
        List<Guard> dropped = new ArrayList<>(claims(before));
        dropped.removeAll(claims(after));
        Customer moved = reassigned ? next : null;
        return records.save(caller, current, next, reassigned ? "REASSIGNED" : "CHANGED", null, uow -> {
            added.forEach(g -> uow.claim(g, id, holder -> duplicate(g, holder)));
            dropped.forEach(g -> uow.release(g, id));
            if (moved != null) {
                followUps.moveWith(uow, id, moved.ownerId(), moved.departmentId());
            }
        });
    }

    /**
     * Staff departure: moves the customer from one owner to a colleague for {@code actor} (a manager), history
     * REASSIGNED with the note, its follow-up moved with it (same unit of work). A concurrent change is re-read and the
     * move tried on the new version; safe to retry.
     */
    public Reassignment reassign(Caller actor, String id, String fromOwnerId, String toOwnerId, String toDepartmentId, String note,
                                 Consumer<UnitOfWork> with) {
        return records.reassign(actor, id, fromOwnerId, toOwnerId, toDepartmentId, note, uow -> {
            with.accept(uow);
            followUps.moveWith(uow, id, toOwnerId, toDepartmentId);
        });
    }

    public FollowUps followUps() {
        return followUps;
    }

    public Customer transition(Caller caller, String id, CustomerStatus to, String reason, long expectedVersion) {
        Customer current = records.changeable(caller, id, expectedVersion);
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
        return records.save(caller, current, current.withStatus(to, reason), "STATUS_CHANGED", reason);
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
            Optional<Customer> saved = records.saveAsSystem(current, current.withStatus(to, null), actorId, "STATUS_CHANGED", note);
            if (saved.isPresent()) {
                return saved.get();
            }
        }
        throw ApiException.versionConflict(-1);
    }

    public Customer delete(Caller caller, String id, long expectedVersion) {
        return records.delete(caller, id, expectedVersion, current -> {
            if (CustomerStatus.SIGNED_OR_LATER.contains(current.status())) {
                throw ApiException.conflict("NOT_DELETABLE",
                        "customer " + current.code() + " is " + current.status() + "; signed customers are never deleted, only terminated",
                        "已签约客户不能删除，只能解约", Map.of("status", current.status().name()));
            }
        });
    }

    /** A deleted customer keeps its 查重 guards (a duplicate names it, for a manager to restore), so restoring claims nothing. */
    public Customer restore(Caller caller, String id) {
        return records.restore(caller, id);
    }

    public Page<Customer> list(Caller caller, CustomerStore.ListFilter filter, String cursor, int limit) {
        AccessPolicy.requireModule(caller, com.rackflow.access.Module.CUSTOMERS);
        if (filter.deleted() && !AccessPolicy.isManagerOrAdmin(caller)) {
            throw ApiException.forbidden("only a regional manager or an admin may list deleted customers");
        }
        return store.list(AccessPolicy.scope(caller, RecordKind.CUSTOMER), filter, cursor, limit);
    }

    public Page<HistoryEntry> history(Caller caller, String id, String cursor, int limit) {
        return records.history(caller, id, cursor, limit);
    }

    /** For other modules (contracts, pickers, flows): the customer if it exists, whatever the caller. */
    public Optional<Customer> find(String id) {
        return store.find(id);
    }

    public CustomerStore store() {
        return store;
    }

    /** 409 DUPLICATE_CUSTOMER naming the field and the customer holding the value (code, owner; whether deleted). */
    private ApiException duplicate(Guard taken, String holderId) {
        // named in the 409 only (the guard's own transaction refused the write): eventually consistent
        Optional<Customer> holder = holderId == null ? Optional.empty() : store.view(holderId);
        String field = fieldOf(taken.kind());
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
                + (h.isDeleted() ? ", deleted: a manager can restore it" : "")).orElse("another customer");
        return ApiException.conflict("DUPLICATE_CUSTOMER",
                "duplicate " + field + ": already recorded for customer " + who,
                "客户重复（" + field + "）：已存在客户 " + holder.map(Customer::code).orElse("") + "，负责人 "
                        + details.getOrDefault("existingOwnerName", ""), details);
    }

    static List<Guard> claims(CustomerDetails d) {
        List<Guard> claims = new ArrayList<>();
        claims.add(new Guard("CUSTOMER_NAME", DuplicateKeys.companyName(d.companyName())));
        if (d.creditCode() != null) {
            claims.add(new Guard("CUSTOMER_CREDIT_CODE", d.creditCode()));
        }
        DuplicateKeys.phones(d.contacts()).forEach(p -> claims.add(new Guard("CUSTOMER_PHONE", p)));
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
        return AccessPolicy.requireAssignableOwner(caller, RecordKind.CUSTOMER, directory.user(userId), field);
    }

    private static final List<String> SHOWN = List.of("customerId", "code", "companyName", "creditCode", "contacts", "region",
            "source", "notes", "status", "lostReason", "ownerId", "departmentId", "createdBy", "createdByDepartmentId", "createdAt", "updatedBy", "modifiedByDepartmentId", "updatedAt", "deletedAt", "deletedBy", "version");

    static Object view(Customer c) {
        var o = com.rackflow.core.json.View.of(c, SHOWN.toArray(String[]::new));
        o.put("statusLabel", c.status().labelZh());
        if (c.source() != null) {
            o.put("sourceLabel", c.source().labelZh());
        }
        return o;
    }
}
