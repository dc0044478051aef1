package com.rackflow.activities;

import com.rackflow.access.Caller;
import com.rackflow.core.persistence.Table;
import com.rackflow.customers.Customer;
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

import static com.rackflow.testing.Staff.EAST_SALES_1;

/** Every activity endpoint × every role × own / same department / other department. */
class ActivitiesAccessMatrixTest {
    static final AccessMatrix MATRIX = new AccessMatrix()
            //                        own  sameS sameM othS othM maint ops  admin
            .row("log",              "201  404   201   404  404  403   403  201")
            .row("customer-list",    "200+ 404   200+  404  404  403   403  200+")
            .row("owner-period",     "200+ 200-  200+  200- 200- 403   403  200+")
            .row("get",              "200  404   200   404  404  403   403  200")
            .row("change",           "200  404   200   404  404  403   403  200")
            .row("delete",           "204  404   204   404  404  403   403  204")
            .row("restore",          "403  404   200   404  404  403   403  200")
            .row("history",          "200  404   200   404  404  403   403  200");

    static Table table;
    static ActivitiesHandler handler;
    static CrmFixture fixture;

    @BeforeAll
    static void setUp() {
        table = LocalTable.create();
        Staff.seed(table);
        handler = new ActivitiesHandler(table);
        fixture = new CrmFixture(table);
    }

    static Stream<Arguments> cells() {
        return MATRIX.cells();
    }

    static Reply log(Caller caller, String customerId) {
        return Reply.of(handler, Events.load("activities/log-activity.json").as(caller).id(customerId).header("Idempotency-Key", null));
    }

    @ParameterizedTest(name = "{0} as {1} → {3}")
    @MethodSource("cells")
    void cell(String operation, String relation, Caller caller, String expected) {
        Customer c = fixture.customer(EAST_SALES_1);
        if (operation.equals("log")) {
            AccessMatrix.assertCell(log(caller, c.customerId()), expected, null);
            return;
        }
        String id = log(EAST_SALES_1, c.customerId()).text("activityId");
        Reply r = switch (operation) {
            case "customer-list" -> Reply.of(handler, Events.load("activities/customer-activities.json").as(caller).id(c.customerId()));
            case "owner-period" -> Reply.of(handler, Events.load("activities/list-activities.json").as(caller).clearQuery()
                    .query("owner", "east.sales1").query("from", "2026-11-27").query("to", "2026-11-27").query("limit", "100"));
            case "get" -> Reply.of(handler, Events.load("activities/get-activity.json").as(caller).id(id));
            case "change" -> Reply.of(handler, Events.load("activities/change-activity.json").as(caller).id(id)
                    .header("If-Match", "\"1\"").body(Map.of("outcome", "matrix")));
            case "delete" -> Reply.of(handler, Events.load("activities/delete-activity.json").as(caller).id(id).header("If-Match", "\"1\""));
            case "restore" -> {
                Reply.of(handler, Events.load("activities/delete-activity.json").as(EAST_SALES_1).id(id).header("If-Match", "\"1\""));
                yield Reply.of(handler, Events.load("activities/restore-activity.json").as(caller).id(id));
            }
            case "history" -> Reply.of(handler, Events.load("activities/activity-history.json").as(caller).id(id));
            default -> throw new IllegalArgumentException(operation);
        };
        AccessMatrix.assertCell(r, expected, id);
    }
}
