package com.rackflow.activities;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.access.AccessPolicy;
import com.rackflow.access.Caller;
import com.rackflow.access.RecordKind;
import com.rackflow.access.Scope;
import com.rackflow.core.history.HistoryEntry;
import com.rackflow.core.http.ApiException;
import com.rackflow.core.persistence.IdempotencyClaim;
import com.rackflow.core.persistence.KeyQuery;
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
import com.rackflow.customers.FollowUps;
import com.rackflow.directory.StaffDirectory;

import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Customer activities (客户活动): logged by the salesperson for a customer they may see, owned by the caller, kept by
 * occurrence time in the owner's and the department's partitions so that call volume per person per day is one
 * Query with a sort-key range.
 */
public final class ActivityService {
    static final String TYPE = "ACTIVITY";
    private static final String WHAT = "activity";

    private final AuditedRecords<Activity> records;
    private final CustomerService customers;
    private final StaffDirectory directory;

    public ActivityService(Table table) {
        this.directory = new StaffDirectory(table);
        RecordStore<Activity> store = new RecordStore<>(table, TYPE, Activity.class, ActivityService::indexKeys);
        this.records = new AuditedRecords<>(store, RecordKind.ACTIVITY, WHAT, AuditedRecords.Companions.none());
        this.customers = new CustomerService(table);
    }

    private static void indexKeys(Activity a, ObjectNode item) {
        String sort = Keys.typedSortKey(TYPE, a.occurredAt(), a.activityId());
        item.put("gsi1pk", Keys.ownerPartition(a.ownerId()));
        item.put("gsi1sk", sort);
        item.put("gsi2pk", Keys.departmentPartition(a.departmentId()));
        item.put("gsi2sk", sort);
        item.put("gsi3pk", Keys.customerActivitiesPartition(a.customerId()));
        item.put("gsi3sk", a.occurredAt() + "#" + a.activityId());
    }

    /** Owner and department are the caller's, never the body's. */
    public Activity log(Caller caller, String customerId, Map<String, Object> d) {
        return log(caller, customerId, d, null);
    }

    /** As {@link #log(Caller, String, Map)}, the request's Idempotency-Key written with the activity ({@code claim}). */
    public Activity log(Caller caller, String customerId, Map<String, Object> d, IdempotencyClaim claim) {
        AccessPolicy.requireCreator(caller, RecordKind.ACTIVITY, WHAT);
        Customer customer = visibleCustomer(caller, customerId);
        String now = Instant.now().toString();
        Activity a = new Activity(UUID.randomUUID().toString(), customer.customerId(), customer.code(),
                (ActivityType) d.get("type"), (String) d.get("occurredAt"), (Integer) d.get("durationMinutes"),
                (String) d.get("summary"), (String) d.get("outcome"), (LocalDate) d.get("nextFollowUpDate"),
                caller.userId(), caller.departmentId(), caller.userId(), caller.departmentId(), now,
                caller.userId(), caller.departmentId(), now, null, null, 1);
        return withFollowUp(() -> records.create(caller, a, null, claim, uow -> followUp(uow, a, false)));
    }

    /**
     * The customer's follow-up (FollowUps: the customer's next contact date for its owner) changed by this activity, in
     * its unit of work; read again when the follow-up or the customer's owner changed meanwhile.
     */
    private void followUp(UnitOfWork uow, Activity a, boolean deleted) {
        customers.find(a.customerId()).ifPresent(c -> customers.followUps().afterContact(uow, c, a.activityId(), a.occurredAt(),
                a.nextFollowUpDate(), a.summary(), deleted));
    }

    /** Runs a write again (at most a few times) when what it read of the follow-up changed before it committed. */
    private static Activity withFollowUp(java.util.function.Supplier<Activity> write) {
        for (int attempt = 1; ; attempt++) {
            try {
                return write.get();
            } catch (ApiException e) {
                if (!"VERSION_CONFLICT".equals(e.code()) || attempt >= com.rackflow.core.records.Reassignment.ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private Customer visibleCustomer(Caller caller, String customerId) {
        Customer c = customers.find(customerId).filter(x -> !x.isDeleted()).orElse(null);
        return AccessPolicy.requireVisible(caller, RecordKind.CUSTOMER, c, "customer");
    }

    public Activity get(Caller caller, String id) {
        return records.visible(caller, id);
    }

    /** The stored activity, for reading a change against it. */
    public Activity changeable(Caller caller, String id, long expectedVersion) {
        return records.changeable(caller, id, expectedVersion);
    }

    /** The change, with what it does to the customer's follow-up; a stale activity stays a 409 (read before the write). */
    public Activity change(Caller caller, Activity current, Map<String, Object> changes) {
        return change(caller, current, changes, java.util.Optional.empty());
    }

    /**
     * As {@link #change(Caller, Activity, Map)}, and for managers and admins a new owner (a reassignment within their
     * scope, history REASSIGNED): the owner's and department's call volume then count it for the new owner.
     */
    public Activity change(Caller caller, Activity current, Map<String, Object> changes, java.util.Optional<String> newOwner) {
        Map<String, Object> all = new java.util.LinkedHashMap<>(changes);
        boolean reassigned = newOwner.isPresent() && !newOwner.get().equals(current.ownerId());
        if (reassigned) {
            AccessPolicy.requireManagerOf(caller, RecordKind.ACTIVITY, current, WHAT, "reassign an activity");
            var owner = AccessPolicy.requireAssignableOwner(caller, RecordKind.ACTIVITY, directory.user(newOwner.get()), "ownerId");
            all.put("ownerId", owner.userId());
            all.put("departmentId", owner.departmentId());
        }
        if (all.isEmpty()) {
            return current;
        }
        Activity next = Stamps.with(current, all);
        return withFollowUp(() -> {
            records.changeable(caller, current.activityId(), current.version());
            return records.save(caller, current, next, reassigned ? "REASSIGNED" : "CHANGED", null, uow -> followUp(uow, next, false));
        });
    }

    public Activity delete(Caller caller, String id, long expectedVersion) {
        return withFollowUp(() -> {
            Activity current = records.changeable(caller, id, expectedVersion);
            return records.save(caller, current, Stamps.deleted(current, caller.userId(), Instant.now().toString()), "DELETED", null,
                    uow -> followUp(uow, current, true));
        });
    }

    public Activity restore(Caller caller, String id) {
        return withFollowUp(() -> records.restore(caller, id, a -> uow -> followUp(uow, a, false)));
    }

    /** Staff departure: moves the activity from one owner to a colleague for {@code actor} (idempotent; see AuditedRecords). */
    public Reassignment reassign(Caller actor, String id, String fromOwnerId, String toOwnerId, String toDepartmentId, String note,
                                 Consumer<UnitOfWork> with) {
        return records.reassign(actor, id, fromOwnerId, toOwnerId, toDepartmentId, note, with);
    }

    public Page<HistoryEntry> history(Caller caller, String id, String cursor, int limit) {
        return records.history(caller, id, cursor, limit);
    }

    /** A customer's activities, newest first: the customer must be visible; the activities are those in scope. */
    public Page<Activity> ofCustomer(Caller caller, String customerId, boolean deleted, String cursor, int limit) {
        visibleCustomer(caller, customerId);
        requireDeletedListing(caller, deleted);
        Scope scope = AccessPolicy.scope(caller, RecordKind.ACTIVITY);
        KeyQuery q = ScopedQuery.deleted(deleted).apply(KeyQuery.on(Keys.GSI_KIND, Keys.customerActivitiesPartition(customerId), null));
        return records.store().page(List.of(q), cursor, limit, scope::includes);
    }

    /**
     * The follow-ups due (待跟进; {@code due} a date range from today in Asia/Shanghai), earliest first, from the
     * follow-up index: the caller's own (sales; {@code owner} of someone else finds nothing), a manager's department (or
     * one member: {@code owner}), an admin's named owner or department. Each with its customer's name and status; a
     * deleted customer's follow-up is left out.
     */
    public Page<ObjectNode> followUps(Caller caller, FollowUpDue due, String owner, String department, LocalDate today,
                                      String cursor, int limit) {
        Scope scope = AccessPolicy.requireScope(caller, RecordKind.CUSTOMER, "follow-ups");
        if (scope instanceof Scope.Owner o && owner == null) {
            owner = o.userId();
        } else if (scope instanceof Scope.Department d && owner == null) {
            department = department == null ? d.departmentId() : department;
        }
        if (owner == null && department == null) {
            throw ApiException.invalid("owner", "required", "name an owner (or a department) whose follow-ups to list");
        }
        Page<FollowUps.FollowUp> page = customers.followUps().due(scope, owner, department, due.from(today), due.to(today), cursor, limit);
        Map<String, Customer> byId = new java.util.HashMap<>();
        for (var item : customers.store().records().table().getAll(page.items().stream()
                .map(f -> Keys.record("CUSTOMER", f.customerId())).toList()).values()) {
            Customer c = customers.store().records().fromItem(item);
            byId.put(c.customerId(), c);
        }
        Map<String, String> names = new java.util.HashMap<>();
        List<ObjectNode> out = new java.util.ArrayList<>();
        for (FollowUps.FollowUp f : page.items()) {
            Customer c = byId.get(f.customerId());
            if (c == null || c.isDeleted()) {
                continue;
            }
            ObjectNode o = com.rackflow.core.json.View.of(f, "customerId", "customerCode", "ownerId", "departmentId", "dueDate",
                    "activityId", "summary");
            o.put("companyName", c.companyName()).put("customerStatus", c.status().name()).put("customerStatusLabel", c.status().labelZh());
            o.put("ownerName", names.computeIfAbsent(f.ownerId(), directory::displayName));
            o.put("overdue", f.dueDate().isBefore(today));
            out.add(o);
        }
        return new Page<>(out, page.nextCursor());
    }

    /** Which activities a period list reads: one owner's, or one department's; from/to bound occurredAt. */
    public record Period(String ownerId, String departmentId, Instant from, Instant to, boolean deleted) {
    }

    private static void requireDeletedListing(Caller caller, boolean deleted) {
        if (deleted && !AccessPolicy.isManagerOrAdmin(caller)) {
            throw ApiException.forbidden("only a regional manager or an admin may list deleted activities");
        }
    }

    /**
     * Activities of one person (or one department) in a period, newest first: a Query on the owner (department)
     * partition with a sort-key range on the occurrence time. Sales read their own; managers their department's.
     */
    public Page<Activity> inPeriod(Caller caller, Period p, String cursor, int limit) {
        Scope scope = AccessPolicy.requireScope(caller, RecordKind.ACTIVITY, "activities");
        requireDeletedListing(caller, p.deleted());
        String owner = p.ownerId();
        String department = p.departmentId();
        if (scope instanceof Scope.Owner o) {
            owner = owner == null ? o.userId() : owner;
        } else if (scope instanceof Scope.Department d && owner == null) {
            department = department == null ? d.departmentId() : department;
        }
        if (owner == null && department == null) {
            throw ApiException.invalid("owner", "required", "name an owner (or a department) whose activities to list");
        }
        String from = p.from() == null ? "0000" : p.from().toString();
        String to = p.to() == null ? "9999" : p.to().toString();
        if (p.from() != null && p.to() != null && p.to().isBefore(p.from())) {
            throw ApiException.invalid("to", "after", "must not be before from");
        }
        String[] range = Keys.typedSortRange(TYPE, from, to);
        KeyQuery q = owner != null
                ? KeyQuery.between(Keys.GSI_OWNER, Keys.ownerPartition(owner), range[0], range[1])
                : KeyQuery.between(Keys.GSI_DEPARTMENT, Keys.departmentPartition(department), range[0], range[1]);
        return records.store().page(List.of(ScopedQuery.deleted(p.deleted()).apply(q)), cursor, limit, scope::includes);
    }

    /** One person's activities of one business day, by type: call volume (电话量) for reports. */
    public record DailyVolume(LocalDate day, String ownerId, int total, Map<ActivityType, Integer> byType) {
    }

    /**
     * Call volume per day of one person over a period (business days in China Standard Time), for report jobs: one
     * Query on the owner partition with a sort-key range, so the cost follows the period's activities. Days without
     * activities are left out.
     */
    public List<DailyVolume> dailyVolume(String ownerId, LocalDate from, LocalDate to) {
        String[] range = Keys.typedSortRange(TYPE, from.atStartOfDay(Requests.BUSINESS_ZONE).toInstant().toString(),
                to.plusDays(1).atStartOfDay(Requests.BUSINESS_ZONE).toInstant().minusSeconds(1).toString());
        KeyQuery q = ScopedQuery.deleted(false).apply(KeyQuery.between(Keys.GSI_OWNER, Keys.ownerPartition(ownerId), range[0], range[1]))
                .oldestFirst();
        Map<LocalDate, Map<ActivityType, Integer>> days = new TreeMap<>();
        for (var item : records.store().table().queryAll(q)) {
            Activity a = records.store().fromItem(item);
            LocalDate day = Instant.parse(a.occurredAt()).atZone(Requests.BUSINESS_ZONE).toLocalDate();
            days.computeIfAbsent(day, d -> new EnumMap<>(ActivityType.class)).merge(a.type(), 1, Integer::sum);
        }
        return days.entrySet().stream().map(e -> new DailyVolume(e.getKey(), ownerId,
                e.getValue().values().stream().mapToInt(Integer::intValue).sum(), e.getValue())).toList();
    }

    private static final List<String> SHOWN = List.of("activityId", "customerId", "customerCode", "type", "occurredAt",
            "durationMinutes", "summary", "outcome", "nextFollowUpDate", "ownerId", "departmentId", "createdBy", "createdByDepartmentId", "createdAt", "updatedBy", "modifiedByDepartmentId", "updatedAt", "deletedAt", "deletedBy", "version");

    static Object view(Activity a) {
        return ScopedQuery.view(a, SHOWN, "typeLabel", a.type().labelZh());
    }
}
