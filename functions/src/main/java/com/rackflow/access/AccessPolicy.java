package com.rackflow.access;

import com.rackflow.core.http.ApiException;
import com.rackflow.directory.StaffUser;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import static com.rackflow.access.Module.*;

/**
 * The one component that decides who may open which module and see or change which record.
 * The authorizer uses {@link #modules}; every handler uses the record-level methods. A record outside the
 * caller's scope is reported exactly like a missing one (404) so ids cannot be probed.
 */
public final class AccessPolicy {

    private static final Map<Role, Set<Module>> MODULES = new EnumMap<>(Role.class);

    static {
        MODULES.put(Role.SALES, EnumSet.of(CUSTOMERS, ACTIVITIES, CONTRACTS, PICKERS, SERVICE_RECORDS, RACKING, WORK_ITEMS));
        MODULES.put(Role.REGIONAL_MANAGER, EnumSet.of(CUSTOMERS, ACTIVITIES, CONTRACTS, PICKERS, SERVICE_RECORDS, RACKING,
                TERMINATIONS, WORK_ITEMS, REPORTS, DIRECTORY, STAFF_DEPARTURES));
        MODULES.put(Role.MAINTENANCE, EnumSet.of(PICKERS, SERVICE_RECORDS, WORK_ITEMS));
        MODULES.put(Role.OPERATIONS, EnumSet.of(PICKERS, RACKING, WORK_ITEMS, INVENTORY));
        MODULES.put(Role.ADMIN, EnumSet.allOf(Module.class));
    }

    private AccessPolicy() {
    }

    public static Set<Module> modules(Role role) {
        return MODULES.get(role);
    }

    public static boolean mayOpen(Role role, Module module) {
        return MODULES.get(role).contains(module);
    }

    /** 403 when the caller's role may not open the module at all (the authorizer already refuses; this is defence in depth). */
    public static void requireModule(Caller caller, Module module) {
        if (!mayOpen(caller.role(), module)) {
            throw ApiException.forbidden("role " + caller.role() + " may not open " + module.name().toLowerCase().replace('_', '-'));
        }
    }

    /** How far the caller sees records of this kind. */
    public static Scope scope(Caller caller, RecordKind kind) {
        Role role = caller.role();
        if (role == Role.ADMIN) {
            return new Scope.All();
        }
        return switch (kind) {
            case CUSTOMER, ACTIVITY, CONTRACT -> salesScope(caller);
            case SERVICE_RECORD -> role == Role.MAINTENANCE ? new Scope.All() : salesScope(caller);
            case RACKING_FLOW, WORK_ITEM, TERMINATION -> role == Role.OPERATIONS ? new Scope.All() : salesScope(caller);
            case ALLOCATION -> role == Role.OPERATIONS || role == Role.MAINTENANCE ? new Scope.All() : salesScope(caller);
            case SIGNED_CUSTOMER -> role == Role.MAINTENANCE || role == Role.OPERATIONS ? new Scope.All() : salesScope(caller);
            case STAFF_USER -> role == Role.REGIONAL_MANAGER ? new Scope.Department(caller.departmentId()) : new Scope.None();
        };
    }

    private static Scope salesScope(Caller caller) {
        return switch (caller.role()) {
            case SALES -> new Scope.Owner(caller.userId());
            case REGIONAL_MANAGER -> new Scope.Department(caller.departmentId());
            case ADMIN -> new Scope.All();
            default -> new Scope.None();
        };
    }

    public static boolean maySee(Caller caller, RecordKind kind, Owned record) {
        return scope(caller, kind).includes(record);
    }

    /** Throws the same 404 a missing record gets when the record is outside the caller's scope. */
    public static <T extends Owned> T requireVisible(Caller caller, RecordKind kind, T record, String what) {
        if (record == null || !maySee(caller, kind, record)) {
            throw ApiException.notFound(what);
        }
        return record;
    }

    /**
     * Change rights equal the view scope (sales own, managers department, admin all), except that service records
     * are changed by maintenance (and admins) only, and the staff directory by admins only; the others read them.
     */
    public static void requireChangeable(Caller caller, RecordKind kind, Owned record, String what) {
        requireVisible(caller, kind, record, what);
        Set<Role> writers = WRITERS.get(kind);
        if (writers != null && !writers.contains(caller.role())) {
            throw ApiException.forbidden("role " + caller.role() + " may read but not change this " + what);
        }
    }

    /** Kinds only some of the roles that see them may create or change; the others are written by whoever sees them. */
    private static final Map<RecordKind, Set<Role>> WRITERS = new EnumMap<>(RecordKind.class);
    /** Kinds created only by some roles. */
    private static final Map<RecordKind, Set<Role>> CREATORS = new EnumMap<>(RecordKind.class);

    static {
        WRITERS.put(RecordKind.SERVICE_RECORD, EnumSet.of(Role.MAINTENANCE, Role.ADMIN));
        WRITERS.put(RecordKind.STAFF_USER, EnumSet.of(Role.ADMIN));
        WRITERS.put(RecordKind.SIGNED_CUSTOMER, EnumSet.noneOf(Role.class));
        Set<Role> salesSide = EnumSet.of(Role.SALES, Role.REGIONAL_MANAGER, Role.ADMIN);
        CREATORS.put(RecordKind.CUSTOMER, salesSide);
        CREATORS.put(RecordKind.ACTIVITY, salesSide);
        CREATORS.put(RecordKind.CONTRACT, salesSide);
        CREATORS.putAll(WRITERS);
    }

    /** 403 unless the caller's role creates records of this kind. */
    public static void requireCreator(Caller caller, RecordKind kind, String what) {
        Set<Role> creators = CREATORS.get(kind);
        if (creators != null && !creators.contains(caller.role())) {
            throw ApiException.forbidden("role " + caller.role() + " may not create or change " + what + " records");
        }
    }

    /**
     * Whether the caller may give a record of this kind to {@code ownerId} of {@code departmentId}: only to someone
     * within the caller's own scope (sales: themselves, managers: their department, admins: anyone).
     */
    public static boolean mayAssignTo(Caller caller, RecordKind kind, String ownerId, String departmentId) {
        return scope(caller, kind).includes(new Owned() {
            @Override
            public String ownerId() {
                return ownerId;
            }

            @Override
            public String departmentId() {
                return departmentId;
            }
        });
    }

    /**
     * The staff member the caller may give a record of {@code kind} to (a create naming another owner, a reassignment):
     * an active salesperson or manager whom the caller's scope includes. 400 naming {@code field} when the candidate is
     * not such a person of the caller's department, 403 when the caller's role may not give records to others.
     */
    public static StaffUser requireAssignableOwner(Caller caller, RecordKind kind, java.util.Optional<StaffUser> candidate, String field) {
        StaffUser u = candidate.orElse(null);
        boolean mayAssign = u != null && mayAssignTo(caller, kind, u.userId(), u.departmentId());
        boolean ownDepartment = u != null && (mayAssign || u.departmentId().equals(caller.departmentId()));
        if (u == null || !ownDepartment || !u.isActive() || (u.role() != Role.SALES && u.role() != Role.REGIONAL_MANAGER)) {
            throw ApiException.invalid(field, "assignable", "must be an active salesperson or manager of your department");
        }
        if (!mayAssign) {
            throw ApiException.forbidden("role " + caller.role() + " may not assign " + kind.name().toLowerCase() + "s to others");
        }
        return u;
    }

    /** Whether the caller may read the members of a department: admins any, managers their own. */
    public static boolean maySeeMembersOf(Caller caller, String departmentId) {
        return scope(caller, RecordKind.STAFF_USER).includes(new Owned() {
            @Override
            public String ownerId() {
                return null;
            }

            @Override
            public String departmentId() {
                return departmentId;
            }
        });
    }

    /** 403 when the caller's scope for this kind is empty (e.g. maintenance asking for the contract-customer picker). */
    public static Scope requireScope(Caller caller, RecordKind kind, String what) {
        Scope s = scope(caller, kind);
        if (s instanceof Scope.None) {
            throw ApiException.forbidden("role " + caller.role() + " has no access to " + what);
        }
        return s;
    }

    /**
     * The scope a report counts records of this kind in: a manager their own department (naming another is a 403),
     * an admin everything or the one department named. Same scopes as the records, so no count shows more than the lists.
     */
    public static Scope reportScope(Caller caller, RecordKind kind, String departmentId) {
        requireModule(caller, Module.REPORTS);
        if (caller.role() == Role.ADMIN) {
            return departmentId == null ? new Scope.All() : new Scope.Department(departmentId);
        }
        if (departmentId != null && !departmentId.equals(caller.departmentId())) {
            throw ApiException.forbidden("a regional manager reports on their own department only");
        }
        return requireScope(caller, kind, "reports");
    }

    /** Undoing a deletion, reopening a lost customer and reassigning owners are a manager's (or admin's) acts. */
    public static void requireManagerOf(Caller caller, RecordKind kind, Owned record, String what, String act) {
        requireVisible(caller, kind, record, what);
        if (caller.role() != Role.REGIONAL_MANAGER && caller.role() != Role.ADMIN) {
            throw ApiException.forbidden("only a regional manager or an admin may " + act);
        }
    }

    public static boolean isManagerOrAdmin(Caller caller) {
        return caller.role() == Role.REGIONAL_MANAGER || caller.role() == Role.ADMIN;
    }

    /**
     * May the caller act on (complete) a work item: its assignee, a member of the assigned role and department when
     * no one person is assigned, the manager it was escalated to, or an admin.
     */
    public static boolean mayAct(Caller caller, Assigned item) {
        if (caller.role() == Role.ADMIN || caller.userId().equals(item.escalatedTo())) {
            return true;
        }
        if (item.assigneeId() != null) {
            return caller.userId().equals(item.assigneeId());
        }
        return caller.role() == item.assigneeRole() && caller.departmentId().equals(item.assigneeDepartmentId());
    }

    /** A work item is visible to whoever may follow its flow (the contract's scope) and to whoever may act on it. */
    public static <T extends Assigned> T requireVisibleWorkItem(Caller caller, T item, String what) {
        if (item == null || !(maySee(caller, RecordKind.WORK_ITEM, item) || mayAct(caller, item))) {
            throw ApiException.notFound(what);
        }
        return item;
    }

    /** 404 when the work item is not visible, 403 when it is visible but belongs to another role or person. */
    public static <T extends Assigned> T requireActor(Caller caller, T item, String what) {
        requireVisibleWorkItem(caller, item, what);
        if (!mayAct(caller, item)) {
            throw ApiException.forbidden("this work item is for " + item.assigneeRole()
                    + (item.assigneeId() != null ? " " + item.assigneeId() : " of department " + item.assigneeDepartmentId()));
        }
        return item;
    }

    /** Whether customer codes may be shown next to racked locations (rack elevations, allocations). */
    public static boolean maySeeCustomerCodes(Caller caller) {
        return caller.role() == Role.OPERATIONS || caller.role() == Role.MAINTENANCE || caller.role() == Role.ADMIN;
    }

    /** Racking flows are started by whoever may see the contract among sales, managers and admins. */
    public static void requireFlowStarter(Caller caller, RecordKind kind, Owned contract, String what) {
        requireVisible(caller, kind, contract, what);
        if (caller.role() != Role.SALES && !isManagerOrAdmin(caller)) {
            throw ApiException.forbidden("only sales, regional managers and admins start racking flows");
        }
    }
}
