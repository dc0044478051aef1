package com.rackflow.testing;

import com.rackflow.access.Caller;
import com.rackflow.access.Role;
import com.rackflow.core.persistence.Table;
import com.rackflow.directory.Department;
import com.rackflow.directory.DepartmentKind;
import com.rackflow.directory.StaffDirectory;
import com.rackflow.directory.StaffUser;
import com.rackflow.directory.UserStatus;

/** The test staff plus an operations manager (ops.lead), to whom overdue operations stages are escalated. */
public final class FlowStaff {
    public static final Caller OPS_LEAD = new Caller("ops.lead", Role.OPERATIONS, "operations");

    private FlowStaff() {
    }

    public static void seed(Table table) {
        Staff.seed(table);
        StaffDirectory d = new StaffDirectory(table);
        d.put(new StaffUser(OPS_LEAD.userId(), "运维主管", Role.OPERATIONS, "operations", UserStatus.ACTIVE, "ops.lead@rackflow.example", 1,
                "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z"));
        d.put(new Department("operations", "Operations", "运维部", DepartmentKind.OPERATIONS, OPS_LEAD.userId(), 2));
    }
}
