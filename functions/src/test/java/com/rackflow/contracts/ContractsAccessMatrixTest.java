package com.rackflow.contracts;

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

/** Every contract endpoint × every role × own / same department / other department. */
class ContractsAccessMatrixTest {
    static final AccessMatrix MATRIX = new AccessMatrix()
            //                      own  sameS sameM othS othM maint ops  admin
            .row("create",         "201  404   201   404  404  403   403  201")
            .row("get",            "200  404   200   404  404  403   403  200")
            .row("get-by-serial",  "200  404   200   404  404  403   403  200")
            .row("list-customer",  "200+ 200-  200+  200- 200- 403   403  200+")
            .row("list-scope",     "200+ 200-  200+  200- 200- 403   403  200+")
            .row("change",         "200  404   200   404  404  403   403  200")
            .row("transition",     "200  404   200   404  404  403   403  200")
            .row("delete",         "204  404   204   404  404  403   403  204")
            .row("restore",        "403  404   200   404  404  403   403  200")
            .row("history",        "200  404   200   404  404  403   403  200");

    static Table table;
    static ContractsHandler handler;
    static CrmFixture fixture;

    @BeforeAll
    static void setUp() {
        table = LocalTable.create();
        Staff.seed(table);
        handler = new ContractsHandler(table);
        fixture = new CrmFixture(table);
    }

    static Stream<Arguments> cells() {
        return MATRIX.cells();
    }

    @ParameterizedTest(name = "{0} as {1} → {3}")
    @MethodSource("cells")
    void cell(String operation, String relation, Caller caller, String expected) {
        Customer c = fixture.signedCustomer(EAST_SALES_1);
        if (operation.equals("create")) {
            Reply r = Reply.of(handler, Events.load("contracts/create-contract.json").as(caller).header("Idempotency-Key", null)
                    .body(CrmFixture.contractBody(c.customerId())));
            AccessMatrix.assertCell(r, expected, null);
            return;
        }
        Contract k = fixture.contract(handler, EAST_SALES_1, c.customerId());
        String id = k.contractId();
        Reply r = switch (operation) {
            case "get" -> Reply.of(handler, Events.load("contracts/get-contract.json").as(caller).id(id));
            case "get-by-serial" -> Reply.of(handler, Events.load("contracts/get-contract-by-serial.json").as(caller).param("serial", k.serial()));
            case "list-customer" -> Reply.of(handler, Events.load("contracts/list-contracts.json").as(caller).clearQuery()
                    .query("customer", c.customerId()));
            case "list-scope" -> Reply.of(handler, Events.load("contracts/list-contracts.json").as(caller).clearQuery()
                    .query("status", "DRAFT").query("limit", "100"));
            case "change" -> Reply.of(handler, Events.load("contracts/change-contract.json").as(caller).id(id)
                    .header("If-Match", "\"1\"").body(Map.of("notes", "matrix")));
            case "transition" -> Reply.of(handler, Events.load("contracts/transition-contract.json").as(caller).id(id)
                    .body(Map.of("to", "ACTIVE", "version", 1)));
            case "delete" -> Reply.of(handler, Events.load("contracts/delete-contract.json").as(caller).id(id).header("If-Match", "\"1\""));
            case "restore" -> {
                Reply.of(handler, Events.load("contracts/delete-contract.json").as(EAST_SALES_1).id(id).header("If-Match", "\"1\""));
                yield Reply.of(handler, Events.load("contracts/restore-contract.json").as(caller).id(id));
            }
            case "history" -> Reply.of(handler, Events.load("contracts/contract-history.json").as(caller).id(id));
            default -> throw new IllegalArgumentException(operation);
        };
        AccessMatrix.assertCell(r, expected, id);
    }
}
