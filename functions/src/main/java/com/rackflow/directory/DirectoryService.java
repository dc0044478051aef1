package com.rackflow.directory;

import com.rackflow.access.AccessPolicy;
import com.rackflow.access.Caller;
import com.rackflow.access.RecordKind;
import com.rackflow.access.Role;
import com.rackflow.core.history.Actor;
import com.rackflow.core.history.History;
import com.rackflow.core.history.HistoryEntry;
import com.rackflow.core.http.ApiException;
import com.rackflow.core.persistence.IdempotencyClaim;
import com.rackflow.core.persistence.Page;
import com.rackflow.core.persistence.Table;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The staff directory's admin side: admins create, change and disable (DEPARTED) users and departments; managers
 * read the users of their own department. The authorizer reads the same items, so a disabled user's next request
 * is refused once API Gateway's cached decision expires.
 */
public final class DirectoryService {
    static final String USER_TYPE = "USER";
    static final String DEPARTMENT_TYPE = "DEPT";
    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,127}");

    private final StaffDirectory directory;
    private final History history;

    public DirectoryService(Table table) {
        this.directory = new StaffDirectory(table);
        this.history = new History(table);
    }

    // ---- users ----

    public StaffUser createUser(Caller caller, StaffUser draft) {
        return createUser(caller, draft, null);
    }

    /** A new user and (with {@code claim}) the request's Idempotency-Key: one transaction. */
    public StaffUser createUser(Caller caller, StaffUser draft, IdempotencyClaim claim) {
        requireAdmin(caller);
        requireDepartment(draft.departmentId());
        String now = Instant.now().toString();
        StaffUser u = new StaffUser(draft.userId(), draft.displayName(), draft.role(), draft.departmentId(),
                UserStatus.ACTIVE, draft.email(), 1, now, now);
        directory.unitOfWork(Actor.of(caller)).create(StaffDirectory.USERS, u, "CREATED", null,
                () -> ApiException.conflict("USER_EXISTS", "a user with id " + u.userId() + " already exists",
                        "用户已存在：" + u.userId(), Map.of("userId", u.userId()))).idempotent(claim).commit();
        return u;
    }

    /** A user as the caller may see it: admins any, managers their department's members; others 404. */
    public StaffUser user(Caller caller, String userId) {
        return AccessPolicy.requireVisible(caller, RecordKind.STAFF_USER, directory.user(userId).orElse(null), "user");
    }

    /** The fields an admin may change; null leaves a field as it is. */
    public record UserChange(String displayName, Role role, String departmentId, String email, UserStatus status) {
    }

    public StaffUser changeUser(Caller caller, String userId, long expectedVersion, UserChange c) {
        StaffUser current = directory.user(userId).orElse(null);
        AccessPolicy.requireChangeable(caller, RecordKind.STAFF_USER, current, "user");
        if (c.departmentId() != null) {
            requireDepartment(c.departmentId());
        }
        StaffUser next = new StaffUser(current.userId(), or(c.displayName(), current.displayName()), or(c.role(), current.role()),
                or(c.departmentId(), current.departmentId()), or(c.status(), current.status()), or(c.email(), current.email()),
                current.version(), current.createdAt(), current.updatedAt());
        String action = next.status() != current.status() ? (next.isActive() ? "REACTIVATED" : "DISABLED") : "CHANGED";
        return saveUser(caller, current, next, expectedVersion, action);
    }

    /** Marks the user DEPARTED (离职): they can no longer sign in. Disabling a departed user changes nothing. */
    public StaffUser disableUser(Caller caller, String userId, long expectedVersion) {
        StaffUser current = directory.user(userId).orElse(null);
        AccessPolicy.requireChangeable(caller, RecordKind.STAFF_USER, current, "user");
        if (current.status() == UserStatus.DEPARTED) {
            return current;
        }
        if (current.userId().equals(caller.userId())) {
            throw ApiException.conflict("SELF_DISABLE", "an admin cannot disable their own account", "不能停用自己的账号", Map.of());
        }
        StaffUser next = new StaffUser(current.userId(), current.displayName(), current.role(), current.departmentId(),
                UserStatus.DEPARTED, current.email(), current.version(), current.createdAt(), current.updatedAt());
        return saveUser(caller, current, next, expectedVersion, "DISABLED");
    }

    private StaffUser saveUser(Caller caller, StaffUser current, StaffUser next, long expectedVersion, String action) {
        if (current.version() != expectedVersion) {
            throw ApiException.versionConflict(current.version());
        }
        StaffUser saved = new StaffUser(next.userId(), next.displayName(), next.role(), next.departmentId(), next.status(),
                next.email(), current.version() + 1, current.createdAt(), Instant.now().toString());
        directory.unitOfWork(Actor.of(caller)).change(StaffDirectory.USERS, current, saved, action, null).commit();
        return saved;
    }

    /** The members of a department: admins any department, managers their own (another's answers 404). */
    public Page<StaffUser> members(Caller caller, String departmentId, String cursor, int limit) {
        Department d = department(caller, departmentId);
        if (!AccessPolicy.maySeeMembersOf(caller, d.departmentId())) {
            throw ApiException.notFound("department");
        }
        return directory.members(departmentId, cursor, limit);
    }

    public Page<HistoryEntry> userHistory(Caller caller, String userId, String cursor, int limit) {
        user(caller, userId);
        return history.list(USER_TYPE, userId, cursor, limit);
    }

    // ---- departments ----

    public Department createDepartment(Caller caller, Department draft) {
        return createDepartment(caller, draft, null);
    }

    /** A new department and (with {@code claim}) the request's Idempotency-Key: one transaction. */
    public Department createDepartment(Caller caller, Department draft, IdempotencyClaim claim) {
        requireAdmin(caller);
        requireManager(draft.managerId());
        Department d = new Department(draft.departmentId(), draft.name(), draft.nameZh(), draft.kind(), draft.managerId(), 1);
        directory.unitOfWork(Actor.of(caller)).create(StaffDirectory.DEPARTMENTS, d, "CREATED", null,
                () -> ApiException.conflict("DEPARTMENT_EXISTS", "a department with id " + d.departmentId() + " already exists",
                        "部门已存在：" + d.departmentId(), Map.of("departmentId", d.departmentId()))).idempotent(claim).commit();
        return d;
    }

    /** Departments are not secret inside the company: every caller who may open the directory reads them. */
    public Department department(Caller caller, String departmentId) {
        AccessPolicy.requireModule(caller, com.rackflow.access.Module.DIRECTORY);
        return directory.department(departmentId).orElseThrow(() -> ApiException.notFound("department"));
    }

    public Page<Department> departments(Caller caller, String cursor, int limit) {
        AccessPolicy.requireModule(caller, com.rackflow.access.Module.DIRECTORY);
        return directory.departments(cursor, limit);
    }

    public Department changeDepartment(Caller caller, String departmentId, long expectedVersion, Department change) {
        requireAdmin(caller);
        Department current = department(caller, departmentId);
        if (current.version() != expectedVersion) {
            throw ApiException.versionConflict(current.version());
        }
        if (change.managerId() != null) {
            requireManager(change.managerId());
        }
        Department next = new Department(current.departmentId(), or(change.name(), current.name()),
                or(change.nameZh(), current.nameZh()), or(change.kind(), current.kind()),
                or(change.managerId(), current.managerId()), current.version() + 1);
        directory.unitOfWork(Actor.of(caller)).change(StaffDirectory.DEPARTMENTS, current, next, "CHANGED", null).commit();
        return next;
    }

    public Page<HistoryEntry> departmentHistory(Caller caller, String departmentId, String cursor, int limit) {
        requireAdmin(caller);
        department(caller, departmentId);
        return history.list(DEPARTMENT_TYPE, departmentId, cursor, limit);
    }

    private void requireDepartment(String departmentId) {
        if (directory.department(departmentId).isEmpty()) {
            throw ApiException.invalid("departmentId", "exists", "must be the id of an existing department");
        }
    }

    private void requireManager(String userId) {
        if (userId != null && directory.user(userId).filter(StaffUser::isActive).isEmpty()) {
            throw ApiException.invalid("managerId", "exists", "must be the id of an active user");
        }
    }

    private static void requireAdmin(Caller caller) {
        AccessPolicy.requireCreator(caller, RecordKind.STAFF_USER, "staff directory");
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    static Object view(StaffUser u) {
        return com.rackflow.core.records.ScopedQuery.view(u, List.of("userId", "displayName", "role", "departmentId", "status",
                "email", "version", "createdAt", "updatedAt"), "roleLabel", u.role().labelZh(), "statusLabel", u.status().labelZh());
    }

    static Object view(Department d) {
        return com.rackflow.core.records.ScopedQuery.view(d, List.of("departmentId", "name", "nameZh", "kind", "managerId", "version"),
                "kindLabel", d.kind().labelZh());
    }

}
