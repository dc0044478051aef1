package com.rackflow.access;

import com.rackflow.core.persistence.Table;
import com.rackflow.customers.CustomersHandler;
import com.rackflow.directory.DirectoryHandler;
import com.rackflow.reports.ReportsHandler;
import com.rackflow.testing.Events;
import com.rackflow.testing.LocalTable;
import com.rackflow.testing.Reply;
import com.rackflow.testing.Staff;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.Map;

import static com.rackflow.testing.Staff.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The functions act on the caller's profile as the directory has it at this request, not on the role and department
 * the authorizer put into API Gateway's cached context: a disabled user is refused, a demoted one has the new role.
 */
class CurrentCallerTest {
    Table table;
    CustomersHandler customers;
    DirectoryHandler directory;
    ReportsHandler reports;

    @BeforeEach
    void setUp() {
        table = LocalTable.create();
        Staff.seed(table);
        customers = new CustomersHandler(table);
        directory = new DirectoryHandler(table);
        reports = new ReportsHandler(table, Clock.systemUTC(), runId -> {
            throw new AssertionError("no job is started here");
        });
    }

    Reply listCustomers(Caller claimed) {
        return Reply.of(customers, Events.load("customers/list-customers.json").as(claimed).clearQuery());
    }

    @Test
    void aDisabledUsersNextRequestIsRefusedInTheOneErrorShape() {
        assertThat(listCustomers(EAST_SALES_2).status()).isEqualTo(200);
        Reply disabled = Reply.of(directory, Events.load("directory/disable-user.json").as(ADMIN).id(EAST_SALES_2.userId())
                .body(Map.of("version", 1)));
        assertThat(disabled.status()).as(disabled.body().toString()).isEqualTo(200);

        Reply refused = listCustomers(EAST_SALES_2);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.errorCode()).isEqualTo("UNAUTHORIZED");
        assertThat(refused.body().path("error").path("messageZh").asText()).isEqualTo("账号已停用或不存在，请重新登录");
        assertThat(refused.body().path("requestId").asText()).isNotBlank();
        assertThat(listCustomers(new Caller("nobody.known", Role.ADMIN, "hq")).status()).as("not in the directory").isEqualTo(401);
        assertThat(listCustomers(new Caller(DEPARTED, Role.SALES, "east")).status()).isEqualTo(401);
    }

    @Test
    void aDemotedManagerHasTheNewRolesModulesAndScopeAtOnce() {
        Reply before = Reply.of(reports, Events.load("reports/contract-expiry.json").as(EAST_MANAGER));
        assertThat(before.status()).as(before.body().toString()).isEqualTo(200);
        Reply demoted = Reply.of(directory, Events.load("directory/change-user.json").as(ADMIN).id(EAST_MANAGER.userId())
                .header("If-Match", "\"1\"").body(Map.of("role", "SALES", "departmentId", "south")));
        assertThat(demoted.status()).as(demoted.body().toString()).isEqualTo(200);

        // the gateway's cached context still says REGIONAL_MANAGER of east
        Reply after = Reply.of(reports, Events.load("reports/contract-expiry.json").as(EAST_MANAGER));
        assertThat(after.status()).isEqualTo(403);
        assertThat(after.errorCode()).isEqualTo("FORBIDDEN");
        assertThat(after.body().path("error").path("message").asText()).contains("SALES");
        Reply own = listCustomers(EAST_MANAGER);
        assertThat(own.status()).isEqualTo(200);
        own.body().path("items").forEach(c -> assertThat(c.path("ownerId").asText()).isEqualTo(EAST_MANAGER.userId()));
    }
}
