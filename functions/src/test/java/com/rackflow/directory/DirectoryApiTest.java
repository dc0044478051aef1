package com.rackflow.directory;

import com.rackflow.access.Caller;
import com.rackflow.access.Role;
import com.rackflow.core.persistence.Table;
import com.rackflow.testing.CrmFixture;
import com.rackflow.testing.Events;
import com.rackflow.testing.LocalTable;
import com.rackflow.testing.Reply;
import com.rackflow.testing.Staff;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.rackflow.testing.Staff.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The staff directory admin API through its handler, with the sample events, against dynalite. */
class DirectoryApiTest {
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

    static Map<String, Object> user(String id, String dept) {
        Map<String, Object> b = new HashMap<>();
        b.put("userId", id);
        b.put("displayName", "新同事");
        b.put("role", "SALES");
        b.put("departmentId", dept);
        b.put("email", id + "@rackflow.example");
        return b;
    }

    static Reply createUser(Caller c, Object body) {
        return Reply.of(handler, Events.load("directory/create-user.json").as(c).header("Idempotency-Key", null).body(body));
    }


    @Test
    void sampleEventsCreateDepartmentAndUser() {
        Reply dept = Reply.of(handler, Events.load("directory/create-department.json").as(ADMIN));
        assertThat(dept.status()).isEqualTo(201);
        assertThat(dept.text("kindLabel")).isEqualTo("销售区域");
        Reply retry = Reply.of(handler, Events.load("directory/create-department.json").as(ADMIN));
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.headers()).containsEntry("Idempotent-Replayed", "true");
        Reply u = Reply.of(handler, Events.load("directory/create-user.json").as(ADMIN));
        assertThat(u.status()).isEqualTo(201);
        assertThat(u.text("status")).isEqualTo("ACTIVE");
        assertThat(u.text("statusLabel")).isEqualTo("在职");
        assertThat(u.text("roleLabel")).isEqualTo("业务员");
        assertThat(directory.user("east.sales3")).map(StaffUser::departmentId).contains("east");
        Reply again = createUser(ADMIN, user("east.sales3", "east"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.errorCode()).isEqualTo("USER_EXISTS");
        Reply changeDept = Reply.of(handler, Events.load("directory/change-department.json").as(ADMIN));
        assertThat(changeDept.status()).isEqualTo(200);
        assertThat(changeDept.text("managerId")).isEqualTo("admin");
        Reply depts = Reply.of(handler, Events.load("directory/list-departments.json").as(EAST_MANAGER));
        assertThat(depts.body().path("items").toString()).contains("north", "east", "south");
    }

    @Test
    void validationNamesEveryFieldAndRule() {
        Map<String, Object> b = new HashMap<>();
        b.put("userId", "bad id!");
        b.put("displayName", "");
        b.put("role", "CEO");
        b.put("email", "not-an-email");
        b.put("age", 30);
        Reply r = createUser(ADMIN, b);
        assertThat(r.violations()).contains("userId:format", "displayName:required", "role:enum", "departmentId:required",
                "email:email", "age:unknown");
        Reply noDept = createUser(ADMIN, user("x" + CrmFixture.next(), "atlantis"));
        assertThat(noDept.firstViolationField()).isEqualTo("departmentId");
        assertThat(noDept.firstViolationRule()).isEqualTo("exists");
        Reply badKind = Reply.of(handler, Events.load("directory/create-department.json").as(ADMIN).header("Idempotency-Key", null)
                .body(Map.of("departmentId", "d" + CrmFixture.next(), "name", "X", "nameZh", "某部", "kind", "SPACE", "managerId", "nobody")));
        assertThat(badKind.violations()).contains("kind:enum");
        Reply badManager = Reply.of(handler, Events.load("directory/create-department.json").as(ADMIN).header("Idempotency-Key", null)
                .body(Map.of("departmentId", "d" + CrmFixture.next(), "name", "X", "nameZh", "某部", "kind", "OPERATIONS", "managerId", "nobody")));
        assertThat(badManager.firstViolationField()).isEqualTo("managerId");
    }

    @Test
    void disablingMarksTheUserDepartedAndIsVersionedAndIdempotent() {
        String id = "leaver" + CrmFixture.next();
        createUser(ADMIN, user(id, "east"));
        Reply stale = Reply.of(handler, Events.load("directory/disable-user.json").as(ADMIN).id(id).body(Map.of("version", 7)));
        assertThat(stale.errorCode()).isEqualTo("VERSION_CONFLICT");
        Reply disabled = Reply.of(handler, Events.load("directory/disable-user.json").as(ADMIN).id(id).body(Map.of("version", 1)));
        assertThat(disabled.status()).isEqualTo(200);
        assertThat(disabled.text("status")).isEqualTo("DEPARTED");
        assertThat(disabled.text("statusLabel")).isEqualTo("离职");
        assertThat(directory.user(id).map(StaffUser::isActive)).contains(false);
        Reply again = Reply.of(handler, Events.load("directory/disable-user.json").as(ADMIN).id(id).body(Map.of("version", 1)));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.version()).isEqualTo(2);
        Reply self = Reply.of(handler, Events.load("directory/disable-user.json").as(ADMIN).id("admin").body(Map.of("version", 1)));
        assertThat(self.errorCode()).isEqualTo("SELF_DISABLE");
        Reply reactivated = Reply.of(handler, Events.load("directory/change-user.json").as(ADMIN).id(id)
                .header("If-Match", "\"2\"").body(Map.of("status", "ACTIVE")));
        assertThat(reactivated.text("status")).isEqualTo("ACTIVE");
        Reply history = Reply.of(handler, Events.load("directory/user-history.json").as(ADMIN).id(id));
        List<String> actions = new ArrayList<>();
        history.body().path("items").forEach(e -> actions.add(e.path("action").asText()));
        assertThat(actions).containsExactly("REACTIVATED", "DISABLED", "CREATED");
    }

    @Test
    void changesMoveUsersBetweenDepartments() {
        String id = "mover" + CrmFixture.next();
        createUser(ADMIN, user(id, "east"));
        Reply moved = Reply.of(handler, Events.load("directory/change-user.json").as(ADMIN).id(id)
                .header("If-Match", "\"1\"").body(Map.of("departmentId", "south", "role", "REGIONAL_MANAGER")));
        assertThat(moved.status()).isEqualTo(200);
        assertThat(directory.user(id).map(StaffUser::role)).contains(Role.REGIONAL_MANAGER);
        Reply east = Reply.of(handler, Events.load("directory/department-users.json").as(EAST_MANAGER).id("east"));
        assertThat(east.body().path("items").toString()).doesNotContain(id).contains("east.sales1");
        Reply south = Reply.of(handler, Events.load("directory/department-users.json").as(SOUTH_MANAGER).id("south"));
        assertThat(south.body().path("items").toString()).contains(id);
        Reply stale = Reply.of(handler, Events.load("directory/change-user.json").as(ADMIN).id(id)
                .header("If-Match", "\"1\"").body(Map.of("displayName", "x")));
        assertThat(stale.status()).isEqualTo(409);
    }

    @Test
    void managersReadTheirOwnDepartmentOnly() {
        assertThat(Reply.of(handler, Events.load("directory/department-users.json").as(EAST_MANAGER).id("east")).status()).isEqualTo(200);
        assertThat(Reply.of(handler, Events.load("directory/department-users.json").as(SOUTH_MANAGER).id("east")).status()).isEqualTo(404);
        assertThat(Reply.of(handler, Events.load("directory/get-user.json").as(EAST_MANAGER).id("east.sales2")).status()).isEqualTo(200);
        assertThat(Reply.of(handler, Events.load("directory/get-user.json").as(EAST_MANAGER).id("south.sales1")).status()).isEqualTo(404);
        assertThat(createUser(EAST_MANAGER, user("m" + CrmFixture.next(), "east")).status()).isEqualTo(403);
        assertThat(Reply.of(handler, Events.load("directory/get-user.json").as(EAST_SALES_1).id("east.sales1")).status()).isEqualTo(403);
        assertThat(Reply.of(handler, Events.load("directory/get-user.json").as(ADMIN).id("x".repeat(3000))).status()).isEqualTo(404);
        assertThat(Reply.of(handler, Events.load("directory/department-users.json").as(ADMIN).id("x".repeat(3000))).status()).isEqualTo(404);
    }

    @Test
    void routesTemplateAndSampleEventsAgree() {
        com.rackflow.testing.RouteCheck.verify(DirectoryHandler::new, "DirectoryFunction", "directory");
    }
}
