package com.rackflow.directory;

import com.rackflow.access.Caller;
import com.rackflow.access.Role;
import com.rackflow.core.persistence.Table;
import com.rackflow.testing.AccessMatrix;
import com.rackflow.testing.CrmFixture;
import com.rackflow.testing.Events;
import com.rackflow.testing.LocalTable;
import com.rackflow.testing.Reply;
import com.rackflow.testing.Staff;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.stream.Stream;

/** Every directory endpoint × every role × own / same department / other department (a user of department east). */
class DirectoryAccessMatrixTest {
    static final AccessMatrix MATRIX = new AccessMatrix()
            //                         own  sameS sameM othS othM maint ops  admin
            .row("get-user",           "403  403   200   403  404  403   403  200")
            .row("change-user",        "403  403   403   403  404  403   403  200")
            .row("disable-user",       "403  403   403   403  404  403   403  200")
            .row("user-history",       "403  403   200   403  404  403   403  200")
            .row("department-users",   "403  403   200+  403  404  403   403  200+")
            .row("create-user",        "403  403   403   403  403  403   403  201")
            .row("list-departments",   "403  403   200   403  200  403   403  200")
            .row("create-department",  "403  403   403   403  403  403   403  201")
            .row("change-department",  "403  403   403   403  403  403   403  200")
            .row("department-history", "403  403   403   403  403  403   403  200");

    static Table table;
    static DirectoryHandler handler;
    static StaffDirectory directory;

    @BeforeAll
    static void setUp() {
        table = LocalTable.create();
        Staff.seed(table);
        handler = new DirectoryHandler(table);
        directory = new StaffDirectory(table);
    }

    static Stream<Arguments> cells() {
        return MATRIX.cells();
    }

    @ParameterizedTest(name = "{0} as {1} → {3}")
    @MethodSource("cells")
    void cell(String operation, String relation, Caller caller, String expected) {
        String uid = "target" + CrmFixture.next();
        directory.put(new StaffUser(uid, "目标用户", Role.SALES, "east", UserStatus.ACTIVE, null, 1, "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z"));
        String did = "dept" + CrmFixture.next();
        directory.put(new Department(did, "D", "部门", DepartmentKind.OPERATIONS, null, 1));
        Reply r = switch (operation) {
            case "get-user" -> Reply.of(handler, Events.load("directory/get-user.json").as(caller).id(uid));
            case "change-user" -> Reply.of(handler, Events.load("directory/change-user.json").as(caller).id(uid)
                    .header("If-Match", "\"1\"").body(Map.of("displayName", "新名字")));
            case "disable-user" -> Reply.of(handler, Events.load("directory/disable-user.json").as(caller).id(uid).body(Map.of("version", 1)));
            case "user-history" -> Reply.of(handler, Events.load("directory/user-history.json").as(caller).id(uid));
            case "department-users" -> Reply.of(handler, Events.load("directory/department-users.json").as(caller).id("east").query("limit", "100"));
            case "create-user" -> Reply.of(handler, Events.load("directory/create-user.json").as(caller).header("Idempotency-Key", null)
                    .body(Map.of("userId", "new" + CrmFixture.next(), "displayName", "新人", "role", "SALES", "departmentId", "east")));
            case "list-departments" -> Reply.of(handler, Events.load("directory/list-departments.json").as(caller));
            case "create-department" -> Reply.of(handler, Events.load("directory/create-department.json").as(caller).header("Idempotency-Key", null)
                    .body(Map.of("departmentId", "new" + CrmFixture.next(), "name", "N", "nameZh", "新部门", "kind", "MANAGEMENT")));
            case "change-department" -> Reply.of(handler, Events.load("directory/change-department.json").as(caller).id(did)
                    .header("If-Match", "\"1\"").body(Map.of("nameZh", "改名")));
            case "department-history" -> Reply.of(handler, Events.load("directory/department-history.json").as(caller).id(did));
            default -> throw new IllegalArgumentException(operation);
        };
        AccessMatrix.assertCell(r, expected, uid);
    }
}
