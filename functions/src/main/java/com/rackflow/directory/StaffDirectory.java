package com.rackflow.directory;

import com.rackflow.core.persistence.Items;
import com.rackflow.core.persistence.KeyQuery;
import com.rackflow.core.persistence.Keys;
import com.rackflow.core.persistence.Table;

import java.util.List;
import java.util.Optional;

/** Reads the staff directory (users and departments) from the table. */
public final class StaffDirectory {
    private final Table table;

    public StaffDirectory(Table table) {
        this.table = table;
    }

    public Optional<StaffUser> user(String userId) {
        if (userId == null || userId.isBlank()) {
            return Optional.empty();
        }
        return table.get(Keys.user(userId)).map(i -> Items.toRecord(i, StaffUser.class));
    }

    public Optional<Department> department(String departmentId) {
        return table.get(Keys.department(departmentId)).map(i -> Items.toRecord(i, Department.class));
    }

    public List<StaffUser> members(String departmentId) {
        return table.queryAll(KeyQuery.on(Keys.GSI_OWNER, Keys.departmentUsersPartition(departmentId), null).oldestFirst())
                .stream().map(i -> Items.toRecord(i, StaffUser.class)).toList();
    }

    /** Writes a user with its directory keys (admin API, fixtures). */
    public void put(StaffUser u) {
        com.fasterxml.jackson.databind.node.ObjectNode o = (com.fasterxml.jackson.databind.node.ObjectNode) com.rackflow.core.json.Json.tree(u);
        var key = Keys.user(u.userId());
        o.put("pk", key.pk());
        o.put("sk", key.sk());
        o.put("gsi1pk", Keys.departmentUsersPartition(u.departmentId()));
        o.put("gsi1sk", "USER#" + u.userId());
        table.put(Items.fromObject(o));
    }

    /** Writes a department with its directory keys. */
    public void put(Department d) {
        com.fasterxml.jackson.databind.node.ObjectNode o = (com.fasterxml.jackson.databind.node.ObjectNode) com.rackflow.core.json.Json.tree(d);
        var key = Keys.department(d.departmentId());
        o.put("pk", key.pk());
        o.put("sk", key.sk());
        o.put("gsi1pk", Keys.ALL_DEPARTMENTS_PARTITION);
        o.put("gsi1sk", "DEPT#" + d.departmentId());
        table.put(Items.fromObject(o));
    }

    /** A display name for error messages and lists; the id itself when the user is unknown. */
    public String displayName(String userId) {
        return user(userId).map(StaffUser::displayName).orElse(userId);
    }
}
