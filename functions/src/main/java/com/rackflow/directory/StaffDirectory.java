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

    /** A display name for error messages and lists; the id itself when the user is unknown. */
    public String displayName(String userId) {
        return user(userId).map(StaffUser::displayName).orElse(userId);
    }
}
