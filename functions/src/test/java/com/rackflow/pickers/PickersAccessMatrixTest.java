package com.rackflow.pickers;

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

import java.util.stream.Stream;

import static com.rackflow.testing.Staff.EAST_SALES_1;

/** Both pickers × every role × own / same department / other department (a signed customer of east.sales1). */
class PickersAccessMatrixTest {
    static final AccessMatrix MATRIX = new AccessMatrix()
            //                        own  sameS sameM othS othM maint ops  admin
            .row("signed-customers",   "200+ 200-  200+  200- 200- 200+  200+ 200+")
            .row("contract-customers", "200+ 200-  200+  200- 200- 403   403  200+");

    static Table table;
    static PickersHandler handler;
    static CrmFixture fixture;

    @BeforeAll
    static void setUp() {
        table = LocalTable.create();
        Staff.seed(table);
        handler = new PickersHandler(table);
        fixture = new CrmFixture(table);
    }

    static Stream<Arguments> cells() {
        return MATRIX.cells();
    }

    @ParameterizedTest(name = "{0} as {1} → {3}")
    @MethodSource("cells")
    void cell(String operation, String relation, Caller caller, String expected) {
        Customer c = fixture.signedCustomer(EAST_SALES_1);
        Reply r = Reply.of(handler, Events.load("pickers/" + operation + ".json").as(caller).clearQuery().query("q", c.code()));
        AccessMatrix.assertCell(r, expected, c.customerId());
    }
}
