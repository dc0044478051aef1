package com.rackflow.core.priming;

import com.rackflow.core.http.ApiResponse;
import com.rackflow.core.persistence.Table;
import com.rackflow.customers.CustomersHandler;
import com.rackflow.testing.LocalTable;
import com.rackflow.testing.Staff;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** SnapStart priming against the local DynamoDB: its writes all fail as intended, and its reads are real routes. */
class PrimingTest {

    @Test
    void writesBoundToFailWriteNothing() {
        Table table = LocalTable.create();
        int before = table.client().scan(s -> s.tableName(table.name())).count();
        Table.takeWriteCapacity();
        Priming.writeBoundToFail(table);
        Priming.writeBoundToFail(table);
        assertThat(table.client().scan(s -> s.tableName(table.name())).count()).isEqualTo(before);
        assertThat(table.client().scan(s -> s.tableName(table.name()).filterExpression("begins_with(pk, :p)")
                .expressionAttributeValues(java.util.Map.of(":p", com.rackflow.core.persistence.Items.s("PRIMING"))))
                .count()).isZero();
    }

    @Test
    void theCustomerFunctionsPrimingRoutesExistAndAnswerWithoutAServerError() {
        Table table = LocalTable.create();
        Staff.seed(table);
        CustomersHandler handler = new CustomersHandler(table);
        ApiResponse one = handler.prime(Priming.primingEvent("/customers/{id}"));
        ApiResponse list = handler.prime(Priming.primingEvent("/customers"));
        ApiResponse history = handler.prime(Priming.primingEvent("/customers/{id}/history"));
        assertThat(one.status()).isEqualTo(404);
        assertThat(one.body()).contains("NOT_FOUND").doesNotContain("route");
        assertThat(list.status()).isEqualTo(200);
        assertThat(history.status()).isEqualTo(404);
        assertThat(history.body()).doesNotContain("route");
    }

    @Test
    void theListRoutesOtherFunctionsPrimeExistAndAnswerWithoutAServerError() {
        Table table = LocalTable.create();
        Staff.seed(table);
        java.util.Map<com.rackflow.core.http.ApiHandler, String> lists = java.util.Map.of(
                new com.rackflow.contracts.ContractsHandler(table), "/contracts",
                new com.rackflow.servicerecords.ServiceRecordsHandler(table), "/service-records",
                new com.rackflow.directory.DirectoryHandler(table), "/directory/departments",
                new com.rackflow.workitems.WorkItemsHandler(table, new com.rackflow.testing.RecordingCallbacks()), "/work-items");
        lists.forEach((handler, route) -> {
            ApiResponse r = handler.prime(Priming.primingEvent(route));
            assertThat(r.status()).as(route).isLessThan(500);
            assertThat(r.body()).as(route).doesNotContain("route");
        });
    }

    @Test
    void inMemoryPrimingOfTheCustomerFunctionPassesItsOwnValidation() {
        // a priming body the create's rules refuse would stop before the 查重 keys and the view
        Priming.readRecord(com.rackflow.customers.Customer.class);
        CustomersHandler.primeInMemory();
    }
}
