package com.rackflow.testing;

import com.rackflow.access.Caller;
import com.rackflow.access.Role;
import com.rackflow.core.persistence.Table;
import com.rackflow.directory.Department;
import com.rackflow.directory.DepartmentKind;
import com.rackflow.directory.StaffDirectory;
import com.rackflow.directory.StaffUser;
import com.rackflow.directory.UserStatus;

import java.util.List;

/** The test staff: two sales regions (east, south) with a manager and salespeople each, maintenance, operations, admin. */
public final class Staff {
    public static final Caller EAST_SALES_1 = new Caller("east.sales1", Role.SALES, "east");
    public static final Caller EAST_SALES_2 = new Caller("east.sales2", Role.SALES, "east");
    public static final Caller EAST_MANAGER = new Caller("east.manager", Role.REGIONAL_MANAGER, "east");
    public static final Caller SOUTH_SALES_1 = new Caller("south.sales1", Role.SALES, "south");
    public static final Caller SOUTH_MANAGER = new Caller("south.manager", Role.REGIONAL_MANAGER, "south");
    public static final Caller MAINTENANCE = new Caller("maint.zhao", Role.MAINTENANCE, "maintenance");
    public static final Caller OPERATIONS = new Caller("ops.qian", Role.OPERATIONS, "operations");
    public static final Caller ADMIN = new Caller("admin", Role.ADMIN, "hq");
    public static final String DEPARTED = "east.departed";

    public static final List<Caller> ALL = List.of(EAST_SALES_1, EAST_SALES_2, EAST_MANAGER, SOUTH_SALES_1, SOUTH_MANAGER,
            MAINTENANCE, OPERATIONS, ADMIN);

    private Staff() {
    }

    public static void seed(Table table) {
        StaffDirectory d = new StaffDirectory(table);
        d.put(new Department("east", "East region", "华东区", DepartmentKind.SALES_REGION, "east.manager", 1));
        d.put(new Department("south", "South region", "华南区", DepartmentKind.SALES_REGION, "south.manager", 1));
        d.put(new Department("maintenance", "Maintenance", "维护部", DepartmentKind.MAINTENANCE, null, 1));
        d.put(new Department("operations", "Operations", "运维部", DepartmentKind.OPERATIONS, null, 1));
        d.put(new Department("hq", "Head office", "总部", DepartmentKind.MANAGEMENT, "admin", 1));
        for (Caller c : ALL) {
            d.put(user(c, UserStatus.ACTIVE));
        }
        d.put(user(new Caller(DEPARTED, Role.SALES, "east"), UserStatus.DEPARTED));
    }

    private static StaffUser user(Caller c, UserStatus status) {
        return new StaffUser(c.userId(), "Name of " + c.userId(), c.role(), c.departmentId(), status,
                c.userId() + "@rackflow.example", 1, "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z");
    }
}
