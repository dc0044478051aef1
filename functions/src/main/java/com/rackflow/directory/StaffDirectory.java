package com.rackflow.directory;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.core.json.Json;
import com.rackflow.core.persistence.Items;
import com.rackflow.core.persistence.KeyQuery;
import com.rackflow.core.persistence.Keys;
import com.rackflow.core.persistence.RecordType;
import com.rackflow.core.persistence.Table;
import com.rackflow.core.persistence.UnitOfWork;
import com.rackflow.core.history.Actor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads and writes the staff directory (users and departments) in the table. */
public final class StaffDirectory {
    /** Longer ids name nobody (and would exceed DynamoDB's key size). */
    private static final int MAX_ID_LENGTH = 128;
    private final Table table;

    public StaffDirectory(Table table) {
        this.table = table;
    }

    /** A member of staff as they are now (strongly consistent): for a read that decides a write. */
    public Optional<StaffUser> user(String userId) {
        return user(userId, Table.Read.STRONG);
    }

    /**
     * A member of staff read {@code read}: EVENTUAL (half the read units) where nothing is written on it, e.g. the
     * caller's profile for a GET, or the authorizer's decision (API Gateway caches it for 300 s anyway).
     */
    public Optional<StaffUser> user(String userId, Table.Read read) {
        if (userId == null || userId.isBlank() || userId.length() > MAX_ID_LENGTH) {
            return Optional.empty();
        }
        return table.get(Keys.user(userId), read).map(i -> Items.toRecord(i, StaffUser.class));
    }

    public Optional<Department> department(String departmentId) {
        if (departmentId == null || departmentId.isBlank() || departmentId.length() > MAX_ID_LENGTH) {
            return Optional.empty();
        }
        return table.get(Keys.department(departmentId)).map(i -> Items.toRecord(i, Department.class));
    }

    /**
     * Who holds the department's manager post now: its listed manager while that person is active; empty when the post
     * is vacant or its holder departed or was disabled (a stage is never escalated to someone who cannot sign in).
     */
    public Optional<String> activeManager(String departmentId) {
        return department(departmentId).map(Department::managerId)
                .filter(m -> user(m).map(StaffUser::isActive).orElse(false));
    }

    public List<StaffUser> members(String departmentId) {
        return table.queryAll(KeyQuery.on(Keys.GSI_OWNER, Keys.departmentUsersPartition(departmentId), null).oldestFirst())
                .stream().map(i -> Items.toRecord(i, StaffUser.class)).toList();
    }

    /** One page of a department's members, in user id order. */
    public com.rackflow.core.persistence.Page<StaffUser> members(String departmentId, String cursor, int limit) {
        return com.rackflow.core.persistence.Pager.page(table,
                List.of(KeyQuery.on(Keys.GSI_OWNER, Keys.departmentUsersPartition(departmentId), null).oldestFirst()),
                cursor, limit, i -> Items.toRecord(i, StaffUser.class), u -> true);
    }

    /** One page of the departments, in id order. */
    public com.rackflow.core.persistence.Page<Department> departments(String cursor, int limit) {
        return com.rackflow.core.persistence.Pager.page(table,
                List.of(KeyQuery.on(Keys.GSI_OWNER, Keys.ALL_DEPARTMENTS_PARTITION, null).oldestFirst()),
                cursor, limit, i -> Items.toRecord(i, Department.class), d -> true);
    }

    /** Writes a user with its directory keys (admin API, fixtures). */
    public void put(StaffUser u) {
        table.put(item(u));
    }

    /** Writes a department with its directory keys. */
    public void put(Department d) {
        table.put(item(d));
    }

    /** Users as units of work write them (history: {@code USER#<id>}). */
    public static final RecordType<StaffUser> USERS = RecordType.of("USER", "user", StaffUser::userId,
            StaffUser::version, StaffDirectory::item);
    /** Departments as units of work write them (history: {@code DEPT#<id>}). */
    public static final RecordType<Department> DEPARTMENTS = RecordType.of("DEPT", "department",
            Department::departmentId, Department::version, StaffDirectory::item);

    /** A unit of work on the directory's table. */
    public UnitOfWork unitOfWork(Actor actor) {
        return new UnitOfWork(table, actor);
    }

    /** Every department, in id order (a handful: one Query). */
    public List<Department> departments() {
        return table.queryAll(KeyQuery.on(Keys.GSI_OWNER, Keys.ALL_DEPARTMENTS_PARTITION, null).oldestFirst())
                .stream().map(i -> Items.toRecord(i, Department.class)).toList();
    }

    private static Map<String, AttributeValue> item(StaffUser u) {
        ObjectNode o = (ObjectNode) Json.tree(u);
        var key = Keys.user(u.userId());
        o.put("pk", key.pk());
        o.put("sk", key.sk());
        o.put("gsi1pk", Keys.departmentUsersPartition(u.departmentId()));
        o.put("gsi1sk", "USER#" + u.userId());
        return Items.fromObject(o);
    }

    private static Map<String, AttributeValue> item(Department d) {
        ObjectNode o = (ObjectNode) Json.tree(d);
        var key = Keys.department(d.departmentId());
        o.put("pk", key.pk());
        o.put("sk", key.sk());
        o.put("gsi1pk", Keys.ALL_DEPARTMENTS_PARTITION);
        o.put("gsi1sk", "DEPT#" + d.departmentId());
        return Items.fromObject(o);
    }

    /** A display name for error messages and lists; the id itself when the user is unknown. */
    /** A name to show (eventually consistent: nothing is decided on it). */
    public String displayName(String userId) {
        return user(userId, Table.Read.EVENTUAL).map(StaffUser::displayName).orElse(userId);
    }
}
