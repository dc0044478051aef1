package com.rackflow.core.priming;

import com.rackflow.core.http.ApiResponse;
import com.rackflow.core.persistence.Table;
import com.rackflow.customers.CustomersHandler;
import com.rackflow.testing.LocalTable;
import com.rackflow.testing.Staff;
import org.junit.jupiter.api.Test;

import java.util.List;

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
    void aReadIsPrimedAsEveryRoleThatMayOpenItsModuleWithItsQueryAndPathParameters() {
        Priming.Read read = Priming.Read.of("/contracts/by-serial/{serial}", "status", "ACTIVE").withPath("serial", "HT2026999999");
        List<com.fasterxml.jackson.databind.node.ObjectNode> events = Priming.events(read);
        assertThat(events).extracting(e -> e.path("requestContext").path("authorizer").path("role").asText())
                .containsExactly("SALES", "REGIONAL_MANAGER", "ADMIN");
        com.fasterxml.jackson.databind.node.ObjectNode e = events.get(0);
        assertThat(e.path("path").asText()).isEqualTo("/contracts/by-serial/HT2026999999");
        assertThat(e.path("pathParameters").path("serial").asText()).isEqualTo("HT2026999999");
        assertThat(e.path("queryStringParameters").path("status").asText()).isEqualTo("ACTIVE");
        assertThat(Priming.events(Priming.Read.of("/work-items/{id}"))).hasSize(5)
                .allSatisfy(w -> assertThat(w.path("pathParameters").path("id").asText()).isEqualTo(Priming.MISSING_ID));
    }

    @Test
    void aSampleRecordHasEveryFieldSetAndSurvivesTheStoresConversion() {
        com.rackflow.contracts.Contract c = Priming.sample(com.rackflow.contracts.Contract.class);
        assertThat(c.status()).isNotNull();
        assertThat(c.startDate()).isNotNull();
        assertThat(c.createdAt()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(com.rackflow.core.persistence.Items.toRecord(com.rackflow.core.persistence.Items.fromRecord(c),
                com.rackflow.contracts.Contract.class)).isEqualTo(c);
        com.rackflow.customers.Customer customer = Priming.sample(com.rackflow.customers.Customer.class);
        assertThat(customer.contacts()).hasSize(1);
    }

    @Test
    void aCreateBoundToFailWritesNothing() {
        Table table = LocalTable.create();
        int before = table.client().scan(s -> s.tableName(table.name())).count();
        var store = new com.rackflow.customers.CustomerService(table).store().records();
        Priming.createBoundToFail(table, store, Priming.sample(com.rackflow.customers.Customer.class));
        assertThat(table.client().scan(s -> s.tableName(table.name())).count()).isEqualTo(before);
    }

    @Test
    void inMemoryPrimingOfTheCustomerFunctionPassesItsOwnValidation() {
        // a priming body the create's rules refuse would stop before the 查重 keys and the view
        Priming.readRecord(com.rackflow.customers.Customer.class);
        CustomersHandler.primeInMemory();
    }
}
