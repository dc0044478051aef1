package com.rackflow.servicerecords;

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
import static com.rackflow.testing.Staff.MAINTENANCE;

/** Every service-record endpoint × every role × own / same department / other department (of the customer's owner). */
class ServiceRecordsAccessMatrixTest {
    static final AccessMatrix MATRIX = new AccessMatrix()
            //                      own  sameS sameM othS othM maint ops  admin
            .row("open",           "403  403   403   403  403  201   403  201")
            .row("get",            "200  404   200   404  404  200   403  200")
            .row("list-customer",  "200+ 200-  200+  200- 200- 200+  403  200+")
            .row("list-scope",     "200+ 200-  200+  200- 200- 200+  403  200+")
            .row("change",         "403  404   403   404  404  200   403  200")
            .row("transition",     "403  404   403   404  404  200   403  200")
            .row("history",        "200  404   200   404  404  200   403  200");

    static Table table;
    static ServiceRecordsHandler handler;
    static CrmFixture fixture;

    @BeforeAll
    static void setUp() {
        table = LocalTable.create();
        Staff.seed(table);
        handler = new ServiceRecordsHandler(table);
        fixture = new CrmFixture(table);
    }

    static Stream<Arguments> cells() {
        return MATRIX.cells();
    }

    static Reply open(Caller caller, String customerId) {
        return Reply.of(handler, Events.load("service-records/open-service-record.json").as(caller).header("Idempotency-Key", null)
                .body(Map.of("customerId", customerId, "type", "INSPECTION", "priority", "P3", "title", "季度巡检", "description", "巡检机柜")));
    }

    @ParameterizedTest(name = "{0} as {1} → {3}")
    @MethodSource("cells")
    void cell(String operation, String relation, Caller caller, String expected) {
        Customer c = fixture.signedCustomer(EAST_SALES_1);
        if (operation.equals("open")) {
            AccessMatrix.assertCell(open(caller, c.customerId()), expected, null);
            return;
        }
        String id = open(MAINTENANCE, c.customerId()).text("serviceRecordId");
        Reply r = switch (operation) {
            case "get" -> Reply.of(handler, Events.load("service-records/get-service-record.json").as(caller).id(id));
            case "list-customer" -> Reply.of(handler, Events.load("service-records/list-service-records.json").as(caller).clearQuery()
                    .query("customer", c.customerId()));
            case "list-scope" -> Reply.of(handler, Events.load("service-records/list-service-records.json").as(caller).clearQuery()
                    .query("status", "OPEN").query("limit", "100"));
            case "change" -> Reply.of(handler, Events.load("service-records/change-service-record.json").as(caller).id(id)
                    .header("If-Match", "\"1\"").body(Map.of("priority", "P1")));
            case "transition" -> Reply.of(handler, Events.load("service-records/transition-service-record.json").as(caller).id(id)
                    .body(Map.of("to", "IN_PROGRESS", "version", 1)));
            case "history" -> Reply.of(handler, Events.load("service-records/service-record-history.json").as(caller).id(id));
            default -> throw new IllegalArgumentException(operation);
        };
        AccessMatrix.assertCell(r, expected, id);
    }
}
