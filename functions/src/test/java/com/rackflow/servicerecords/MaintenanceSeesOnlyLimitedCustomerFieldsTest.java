package com.rackflow.servicerecords;

import com.fasterxml.jackson.databind.JsonNode;
import com.rackflow.activities.ActivitiesHandler;
import com.rackflow.contracts.Contract;
import com.rackflow.contracts.ContractsHandler;
import com.rackflow.core.persistence.Table;
import com.rackflow.customers.Customer;
import com.rackflow.customers.CustomersHandler;
import com.rackflow.pickers.PickersHandler;
import com.rackflow.testing.CrmFixture;
import com.rackflow.testing.Events;
import com.rackflow.testing.LocalTable;
import com.rackflow.testing.Reply;
import com.rackflow.testing.Staff;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static com.rackflow.testing.Staff.EAST_SALES_1;
import static com.rackflow.testing.Staff.MAINTENANCE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Maintenance learns only the limited customer fields (code, name, service contact, contract serials, racked
 * locations) on every path it can reach: pickers, service records, their history, and every error answer.
 */
class MaintenanceSeesOnlyLimitedCustomerFieldsTest {
    /** Customer fields outside the limited set, as JSON keys anywhere in an answer. */
    static final Set<String> FORBIDDEN_KEYS = Set.of("creditCode", "notes", "region", "source", "ownerId", "departmentId",
            "contacts", "lostReason", "searchText", "existingOwnerId", "existingOwnerName");

    @Test
    void noMaintenanceAnswerCarriesAnotherCustomerField() {
        Table table = LocalTable.create();
        Staff.seed(table);
        CrmFixture fixture = new CrmFixture(table);
        PickersHandler pickers = new PickersHandler(table);
        ServiceRecordsHandler records = new ServiceRecordsHandler(table);
        CustomersHandler customers = new CustomersHandler(table);
        ActivitiesHandler activities = new ActivitiesHandler(table);
        ContractsHandler contracts = new ContractsHandler(table);

        Customer signed = fixture.signedCustomer(EAST_SALES_1);
        Customer entered = fixture.customer(EAST_SALES_1);
        Contract contract = fixture.contract(contracts, EAST_SALES_1, signed.customerId());
        List<String> secretValues = new ArrayList<>(List.of(CrmFixture.SECRET_NOTES, CrmFixture.SECRET_REGION,
                CrmFixture.OTHER_CONTACT, CrmFixture.OTHER_CONTACT_EMAIL, "east.sales1", "REFERRAL", "ENTERED", "完成录入",
                signed.creditCode(), entered.creditCode(), signed.contacts().get(0).phone()));

        Map<String, Reply> answers = new LinkedHashMap<>();
        answers.put("signed picker", Reply.of(pickers, Events.load("pickers/signed-customers.json").as(MAINTENANCE).clearQuery()));
        answers.put("signed picker by code", Reply.of(pickers, Events.load("pickers/signed-customers.json").as(MAINTENANCE)
                .clearQuery().query("q", signed.code())));
        answers.put("contract picker", Reply.of(pickers, Events.load("pickers/contract-customers.json").as(MAINTENANCE)));
        Reply opened = Reply.of(records, Events.load("service-records/open-service-record.json").as(MAINTENANCE)
                .header("Idempotency-Key", null).body(Map.of("customerId", signed.customerId(), "type", "FAULT", "priority", "P1",
                        "title", "断电", "description", "A 路断电")));
        answers.put("open", opened);
        String id = opened.text("serviceRecordId");
        answers.put("open not signed", Reply.of(records, Events.load("service-records/open-service-record.json").as(MAINTENANCE)
                .header("Idempotency-Key", null).body(Map.of("customerId", entered.customerId(), "type", "FAULT", "priority", "P1",
                        "title", "x", "description", "x"))));
        answers.put("open unknown", Reply.of(records, Events.load("service-records/open-service-record.json").as(MAINTENANCE)
                .header("Idempotency-Key", null).body(Map.of("customerId", "nope", "type", "FAULT", "priority", "P1",
                        "title", "x", "description", "x"))));
        answers.put("open invalid", Reply.of(records, Events.load("service-records/open-service-record.json").as(MAINTENANCE)
                .header("Idempotency-Key", null).body(Map.of("customerId", signed.customerId(), "ownerId", "x"))));
        answers.put("get", Reply.of(records, Events.load("service-records/get-service-record.json").as(MAINTENANCE).id(id)));
        answers.put("change", Reply.of(records, Events.load("service-records/change-service-record.json").as(MAINTENANCE).id(id)
                .header("If-Match", "\"1\"").body(Map.of("assigneeId", "maint.zhao"))));
        answers.put("transition", Reply.of(records, Events.load("service-records/transition-service-record.json").as(MAINTENANCE).id(id)
                .body(Map.of("to", "IN_PROGRESS", "version", 2))));
        answers.put("stale transition", Reply.of(records, Events.load("service-records/transition-service-record.json").as(MAINTENANCE).id(id)
                .body(Map.of("to", "RESOLVED", "version", 1, "reason", "x"))));
        answers.put("list by customer", Reply.of(records, Events.load("service-records/list-service-records.json").as(MAINTENANCE)
                .clearQuery().query("customer", signed.customerId())));
        answers.put("list", Reply.of(records, Events.load("service-records/list-service-records.json").as(MAINTENANCE).clearQuery()));
        answers.put("history", Reply.of(records, Events.load("service-records/service-record-history.json").as(MAINTENANCE).id(id)));
        answers.put("customer", Reply.of(customers, Events.load("customers/get-customer.json").as(MAINTENANCE).id(signed.customerId())));
        answers.put("customer history", Reply.of(customers, Events.load("customers/customer-history.json").as(MAINTENANCE).id(signed.customerId())));
        answers.put("customers", Reply.of(customers, Events.load("customers/list-customers.json").as(MAINTENANCE)));
        answers.put("customer activities", Reply.of(activities, Events.load("activities/customer-activities.json").as(MAINTENANCE).id(signed.customerId())));
        answers.put("activities", Reply.of(activities, Events.load("activities/list-activities.json").as(MAINTENANCE)));
        answers.put("contract by serial", Reply.of(contracts, Events.load("contracts/get-contract-by-serial.json").as(MAINTENANCE)
                .param("serial", contract.serial())));

        assertThat(answers.get("signed picker by code").body().path("items").path(0).path("contractSerials").toString()).contains(contract.serial());
        assertThat(answers.get("open").status()).isEqualTo(201);
        assertThat(answers.get("open not signed").status()).isEqualTo(409);
        assertThat(answers.get("customer").status()).isEqualTo(403);
        answers.forEach((what, reply) -> {
            List<String> keys = new ArrayList<>();
            collectKeys(reply.body(), keys);
            assertThat(keys).as(what + ": " + reply.body()).doesNotContainAnyElementsOf(FORBIDDEN_KEYS);
            String text = reply.body().toString();
            for (String secret : secretValues) {
                assertThat(text).as(what).doesNotContain(secret);
            }
        });
    }

    private static void collectKeys(JsonNode node, List<String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                out.add(e.getKey());
                collectKeys(e.getValue(), out);
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectKeys(n, out));
        }
    }
}
