package com.rackflow.directory;

import com.rackflow.access.Caller;
import com.rackflow.access.Role;
import com.rackflow.core.http.ApiHandler;
import com.rackflow.core.http.ApiRequest;
import com.rackflow.core.http.ApiResponse;
import com.rackflow.core.http.Idempotency;
import com.rackflow.core.http.Input;
import com.rackflow.core.http.Route;
import com.rackflow.core.persistence.Dynamo;
import com.rackflow.core.persistence.Page;
import com.rackflow.core.persistence.Pager;
import com.rackflow.core.persistence.Table;
import com.rackflow.core.priming.Priming;
import com.rackflow.core.records.Requests;

import java.util.List;
import java.util.regex.Pattern;

/** The staff directory admin API (users, departments): admins change it, managers read their department's users. */
public class DirectoryHandler extends ApiHandler {
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]{2,}");
    private static final String ID_RULE = "1 to 128 letters, digits or . _ @ -, starting with a letter or digit";

    private final DirectoryService directory;
    private final Idempotency idempotency;

    public DirectoryHandler() {
        this(Dynamo.table());
        Priming.register(this, List.of(Priming.Read.of("/directory/users/{id}"), Priming.Read.of("/directory/users/{id}/history"),
                Priming.Read.of("/directory/departments", "limit", "20"), Priming.Read.of("/directory/departments/{id}"),
                Priming.Read.of("/directory/departments/{id}/users"), Priming.Read.of("/directory/departments/{id}/history")),
                List.of(Department.class), Priming.all(Priming.answers(StaffUser.class, DirectoryService::view),
                        Priming.answers(Department.class, (Department d) -> DirectoryService.view(d))));
    }

    public DirectoryHandler(Table table) {
        super(table);
        this.directory = new DirectoryService(table);
        this.idempotency = new Idempotency(table);
    }

    @Override
    protected List<Route> routes() {
        return List.of(
                Route.post("/directory/users", this::createUser),
                Route.get("/directory/users/{id}", this::getUser),
                Route.patch("/directory/users/{id}", this::changeUser),
                Route.post("/directory/users/{id}/disable", this::disableUser),
                Route.get("/directory/users/{id}/history", this::userHistory),
                Route.post("/directory/departments", this::createDepartment),
                Route.get("/directory/departments", this::listDepartments),
                Route.get("/directory/departments/{id}", this::getDepartment),
                Route.patch("/directory/departments/{id}", this::changeDepartment),
                Route.get("/directory/departments/{id}/users", this::members),
                Route.get("/directory/departments/{id}/history", this::departmentHistory));
    }

    private ApiResponse createUser(ApiRequest r) {
        Caller caller = r.requireCaller();
        return idempotency.create(r, caller, claim -> {
            Input in = Input.of(r.jsonBody(), "userId", "displayName", "role", "departmentId", "email");
            String id = in.formatted("userId", DirectoryService.ID, "format", "must be " + ID_RULE, true).orElse(null);
            String name = in.requiredString("displayName", 100);
            Role role = in.enumValue("role", Role.class, true).orElse(null);
            String dept = in.requiredString("departmentId", 64);
            String email = in.formatted("email", EMAIL, "email", "must be an e-mail address", false).orElse(null);
            in.validate();
            return createdUser(directory.createUser(caller, new StaffUser(id, name, role, dept, UserStatus.ACTIVE, email, 1, null, null),
                    claim));
        }, id -> createdUser(directory.user(caller, id)));
    }

    private static ApiResponse createdUser(StaffUser u) {
        return user(201, u).withHeader("Location", "/directory/users/" + u.userId());
    }

    private ApiResponse getUser(ApiRequest r) {
        return user(200, directory.user(r.requireCaller(), r.pathParam("id")));
    }

    private ApiResponse changeUser(ApiRequest r) {
        Caller caller = r.requireCaller();
        Input in = Input.of(r.jsonBody(), "displayName", "role", "departmentId", "email", "status", "version");
        long version = Requests.expectedVersion(r, in);
        var change = new DirectoryService.UserChange(
                in.has("displayName") ? in.requiredString("displayName", 100) : null,
                in.enumValue("role", Role.class, false).orElse(null),
                in.has("departmentId") ? in.requiredString("departmentId", 64) : null,
                in.formatted("email", EMAIL, "email", "must be an e-mail address", false).orElse(null),
                in.enumValue("status", UserStatus.class, false).orElse(null));
        in.validate();
        return user(200, directory.changeUser(caller, r.pathParam("id"), version, change));
    }

    private ApiResponse disableUser(ApiRequest r) {
        Caller caller = r.requireCaller();
        Input in = Input.of(r.jsonBodyOrEmpty(), "version");
        long version = Requests.expectedVersion(r, in);
        return user(200, directory.disableUser(caller, r.pathParam("id"), version));
    }

    private ApiResponse userHistory(ApiRequest r) {
        return ApiResponse.ok(directory.userHistory(r.requireCaller(), r.pathParam("id"), Requests.cursor(r),
                Pager.limit(r.queryParam("limit"))));
    }

    private ApiResponse createDepartment(ApiRequest r) {
        Caller caller = r.requireCaller();
        return idempotency.create(r, caller, claim -> {
            Input in = Input.of(r.jsonBody(), "departmentId", "name", "nameZh", "kind", "managerId");
            String id = in.formatted("departmentId", DirectoryService.ID, "format", "must be " + ID_RULE, true).orElse(null);
            String name = in.requiredString("name", 100);
            String nameZh = in.requiredString("nameZh", 100);
            DepartmentKind kind = in.enumValue("kind", DepartmentKind.class, true).orElse(null);
            String manager = in.optionalString("managerId", 128).orElse(null);
            in.validate();
            return createdDepartment(directory.createDepartment(caller, new Department(id, name, nameZh, kind, manager, 1), claim));
        }, id -> createdDepartment(directory.department(caller, id)));
    }

    private static ApiResponse createdDepartment(Department d) {
        return department(201, d).withHeader("Location", "/directory/departments/" + d.departmentId());
    }

    private ApiResponse listDepartments(ApiRequest r) {
        return ApiResponse.ok(directory.departments(r.requireCaller(), Requests.cursor(r), Pager.limit(r.queryParam("limit")))
                .map(DirectoryService::view));
    }

    private ApiResponse getDepartment(ApiRequest r) {
        return department(200, directory.department(r.requireCaller(), r.pathParam("id")));
    }

    private ApiResponse changeDepartment(ApiRequest r) {
        Caller caller = r.requireCaller();
        Input in = Input.of(r.jsonBody(), "name", "nameZh", "kind", "managerId", "version");
        long version = Requests.expectedVersion(r, in);
        var change = new Department(null, in.has("name") ? in.requiredString("name", 100) : null,
                in.has("nameZh") ? in.requiredString("nameZh", 100) : null,
                in.enumValue("kind", DepartmentKind.class, false).orElse(null),
                in.optionalString("managerId", 128).orElse(null), 0);
        in.validate();
        return department(200, directory.changeDepartment(caller, r.pathParam("id"), version, change));
    }

    private ApiResponse members(ApiRequest r) {
        return ApiResponse.ok(directory.members(r.requireCaller(), r.pathParam("id"), Requests.cursor(r),
                Pager.limit(r.queryParam("limit"))).map(DirectoryService::view));
    }

    private ApiResponse departmentHistory(ApiRequest r) {
        return ApiResponse.ok(directory.departmentHistory(r.requireCaller(), r.pathParam("id"), Requests.cursor(r),
                Pager.limit(r.queryParam("limit"))));
    }

    private static ApiResponse user(int status, StaffUser u) {
        return ApiResponse.versioned(status, DirectoryService.view(u), u.version());
    }

    private static ApiResponse department(int status, Department d) {
        return ApiResponse.versioned(status, DirectoryService.view(d), d.version());
    }
}
