package com.rackflow.servicerecords;

import com.rackflow.access.Caller;
import com.rackflow.core.persistence.Table;
import com.rackflow.customers.Customer;
import com.rackflow.testing.CrmFixture;
import com.rackflow.testing.Events;
import com.rackflow.testing.LocalTable;
import com.rackflow.testing.Reply;
import com.rackflow.testing.Staff;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static com.rackflow.testing.Staff.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The service-record API through its handler, with the sample events, against dynalite. */
class ServiceRecordsApiTest {
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

    static Map<String, Object> body(String customerId) {
        Map<String, Object> b = new HashMap<>();
        b.put("customerId", customerId);
        b.put("type", "FAULT");
        b.put("priority", "P2");
        b.put("title", "交换机端口故障");
        b.put("description", "上联端口频繁断开");
        return b;
    }

    static Reply open(Caller c, Object body) {
        return Reply.of(handler, Events.load("service-records/open-service-record.json").as(c).header("Idempotency-Key", null).body(body));
    }

    static Reply move(Caller c, String id, Map<String, Object> body) {
        return Reply.of(handler, Events.load("service-records/transition-service-record.json").as(c).id(id).body(body));
    }


    @Test
    void maintenanceOpensARecordForASignedCustomerWithATicketNumber() {
        Customer c = fixture.signedCustomer(EAST_SALES_1);
        Reply r = Reply.of(handler, Events.load("service-records/open-service-record.json").as(MAINTENANCE)
                .header("Idempotency-Key", "sr-" + CrmFixture.next()).body(body(c.customerId())));
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.text("ticketNumber")).matches("SR\\d{10}");
        assertThat(r.text("status")).isEqualTo("OPEN");
        assertThat(r.text("statusLabel")).isEqualTo("待处理");
        assertThat(r.text("typeLabel")).isEqualTo("故障处理");
        assertThat(r.text("priorityLabel")).isEqualTo("高");
        assertThat(r.text("customerCode")).isEqualTo(c.code());
        assertThat(r.text("createdBy")).isEqualTo("maint.zhao");
        assertThat(r.body().has("ownerId")).isFalse();
        Reply admin = Reply.of(handler, Events.load("service-records/get-service-record.json").as(ADMIN).id(r.text("serviceRecordId")));
        assertThat(admin.text("ownerId")).isEqualTo("east.sales1");
    }

    @Test
    void notSignedCustomerIsRefusedWith409WithoutItsStatusForMaintenance() {
        Customer c = fixture.customer(EAST_SALES_1);
        Reply r = open(MAINTENANCE, body(c.customerId()));
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.errorCode()).isEqualTo("CUSTOMER_NOT_SIGNED");
        assertThat(r.body().toString()).doesNotContain("ENTERED").doesNotContain("完成录入");
        Reply admin = open(ADMIN, body(c.customerId()));
        assertThat(admin.status()).isEqualTo(409);
        assertThat(admin.body().path("error").path("details").path("customerStatus").asText()).isEqualTo("ENTERED");
        assertThat(open(MAINTENANCE, body("no-such-customer")).status()).isEqualTo(404);
    }

    @Test
    void onlyMaintenanceAndAdminsOpenRecords() {
        Customer c = fixture.signedCustomer(EAST_SALES_1);
        assertThat(open(EAST_SALES_1, body(c.customerId())).status()).isEqualTo(403);
        assertThat(open(EAST_MANAGER, body(c.customerId())).status()).isEqualTo(403);
        assertThat(open(OPERATIONS, body(c.customerId())).status()).isEqualTo(403);
        assertThat(open(ADMIN, body(c.customerId())).status()).isEqualTo(201);
    }

    @Test
    void validationNamesEveryFieldAndRule() {
        Map<String, Object> b = new HashMap<>();
        b.put("type", "COFFEE");
        b.put("priority", "P9");
        b.put("title", "");
        b.put("description", "x".repeat(4001));
        b.put("assigneeId", 42);
        b.put("urgent", true);
        Reply r = open(MAINTENANCE, b);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.violations()).contains("customerId:required", "type:enum", "priority:enum", "title:required",
                "description:maxLength", "assigneeId:type", "urgent:unknown");
        Customer c = fixture.signedCustomer(EAST_SALES_1);
        Map<String, Object> salesAssignee = body(c.customerId());
        salesAssignee.put("assigneeId", "east.sales1");
        Reply notAssignable = open(MAINTENANCE, salesAssignee);
        assertThat(notAssignable.firstViolationField()).isEqualTo("assigneeId");
        assertThat(notAssignable.firstViolationRule()).isEqualTo("assignable");
    }

    @Test
    void oversizedIdsAreNotServerErrors() {
        String huge = "x".repeat(3000);
        assertThat(Reply.of(handler, Events.load("service-records/get-service-record.json").as(MAINTENANCE).id(huge)).status()).isEqualTo(404);
        assertThat(Reply.of(handler, Events.load("service-records/list-service-records.json").as(MAINTENANCE).clearQuery()
                .query("assignee", huge)).firstViolationField()).isEqualTo("assignee");
    }

    @Test
    void idempotentRetryOpensOneRecord() {
        Customer c = fixture.signedCustomer(EAST_SALES_1);
        Events e = Events.load("service-records/open-service-record.json").as(MAINTENANCE)
                .header("Idempotency-Key", "sr-" + CrmFixture.next()).body(body(c.customerId()));
        Reply first = Reply.of(handler, e);
        Reply retry = Reply.of(handler, e);
        assertThat(retry.text("ticketNumber")).isEqualTo(first.text("ticketNumber"));
        assertThat(retry.headers()).containsEntry("Idempotent-Replayed", "true");
        Reply list = Reply.of(handler, Events.load("service-records/list-service-records.json").as(MAINTENANCE).clearQuery()
                .query("customer", c.customerId()));
        assertThat(list.body().path("items")).hasSize(1);
    }

    @Test
    void statusTableSetsResponseAndResolutionTimes() {
        Customer c = fixture.signedCustomer(EAST_SALES_1);
        String id = open(MAINTENANCE, body(c.customerId())).text("serviceRecordId");
        Reply resolveEarly = move(MAINTENANCE, id, Map.of("to", "RESOLVED", "version", 1, "reason", "x"));
        assertThat(resolveEarly.status()).isEqualTo(409);
        assertThat(resolveEarly.body().path("error").path("details").path("allowed").toString()).contains("IN_PROGRESS", "CANCELLED");
        Reply started = move(MAINTENANCE, id, Map.of("to", "IN_PROGRESS", "version", 1));
        assertThat(started.text("respondedAt")).isNotNull();
        String responded = started.text("respondedAt");
        Reply noResolution = move(MAINTENANCE, id, Map.of("to", "RESOLVED", "version", 2));
        assertThat(noResolution.firstViolationField()).isEqualTo("reason");
        Reply resolved = move(MAINTENANCE, id, Map.of("to", "RESOLVED", "version", 2, "reason", "更换光模块"));
        assertThat(resolved.text("resolvedAt")).isNotNull();
        assertThat(resolved.text("resolution")).isEqualTo("更换光模块");
        Reply reopened = move(MAINTENANCE, id, Map.of("to", "IN_PROGRESS", "version", 3, "reason", "故障复现"));
        assertThat(reopened.text("resolvedAt")).isNull();
        assertThat(reopened.text("respondedAt")).isEqualTo(responded);
        move(MAINTENANCE, id, Map.of("to", "RESOLVED", "version", 4, "reason", "更换交换机"));
        Reply closed = move(MAINTENANCE, id, Map.of("to", "CLOSED", "version", 5));
        assertThat(closed.text("closedAt")).isNotNull();
        assertThat(closed.text("statusLabel")).isEqualTo("已关闭");
        Reply edit = Reply.of(handler, Events.load("service-records/change-service-record.json").as(MAINTENANCE).id(id)
                .header("If-Match", "\"6\"").body(Map.of("priority", "P1")));
        assertThat(edit.errorCode()).isEqualTo("NOT_EDITABLE");
        Reply history = Reply.of(handler, Events.load("service-records/service-record-history.json").as(MAINTENANCE).id(id));
        assertThat(history.body().path("items")).hasSize(6);
        String other = open(MAINTENANCE, body(c.customerId())).text("serviceRecordId");
        assertThat(move(MAINTENANCE, other, Map.of("to", "CANCELLED", "version", 1)).firstViolationField()).isEqualTo("reason");
        assertThat(move(MAINTENANCE, other, Map.of("to", "CANCELLED", "version", 1, "reason", "重复报修")).text("closedAt")).isNotNull();
    }

    @Test
    void changesAreVersionedAndOnlyMaintenanceChanges() {
        Customer c = fixture.signedCustomer(EAST_SALES_1);
        String id = open(MAINTENANCE, body(c.customerId())).text("serviceRecordId");
        Reply changed = Reply.of(handler, Events.load("service-records/change-service-record.json").as(MAINTENANCE).id(id)
                .header("If-Match", "\"1\"").body(Map.of("priority", "P1", "assigneeId", "maint.zhao")));
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.text("priorityLabel")).isEqualTo("紧急");
        Reply stale = Reply.of(handler, Events.load("service-records/change-service-record.json").as(ADMIN).id(id)
                .header("If-Match", "\"1\"").body(Map.of("priority", "P4")));
        assertThat(stale.errorCode()).isEqualTo("VERSION_CONFLICT");
        Reply sales = Reply.of(handler, Events.load("service-records/change-service-record.json").as(EAST_SALES_1).id(id)
                .header("If-Match", "\"2\"").body(Map.of("priority", "P4")));
        assertThat(sales.status()).isEqualTo(403);
        Reply empty = Reply.of(handler, Events.load("service-records/change-service-record.json").as(MAINTENANCE).id(id)
                .header("If-Match", "\"2\"").body(Map.of()));
        assertThat(empty.firstViolationRule()).isEqualTo("empty");
    }

    @Test
    void listsFilterByStatusAssigneeAndScope() {
        Customer c = fixture.signedCustomer(EAST_SALES_2);
        Map<String, Object> b = body(c.customerId());
        b.put("assigneeId", "ops.qian");
        String assigned = open(MAINTENANCE, b).text("serviceRecordId");
        String unassigned = open(MAINTENANCE, body(c.customerId())).text("serviceRecordId");
        Reply byAssignee = Reply.of(handler, Events.load("service-records/list-service-records.json").as(MAINTENANCE).clearQuery()
                .query("assignee", "ops.qian").query("limit", "100"));
        assertThat(byAssignee.body().path("items").toString()).contains(assigned).doesNotContain(unassigned);
        Reply open = Reply.of(handler, Events.load("service-records/list-service-records.json").as(ADMIN).clearQuery()
                .query("status", "OPEN").query("limit", "100"));
        assertThat(open.body().path("items").toString()).contains(assigned, unassigned);
        Reply owner = Reply.of(handler, Events.load("service-records/list-service-records.json").as(EAST_SALES_2).clearQuery().query("limit", "100"));
        assertThat(owner.body().path("items").toString()).contains(assigned, unassigned);
        Reply otherSales = Reply.of(handler, Events.load("service-records/list-service-records.json").as(EAST_SALES_1).clearQuery().query("limit", "100"));
        assertThat(otherSales.body().path("items").toString()).doesNotContain(assigned);
        Reply manager = Reply.of(handler, Events.load("service-records/list-service-records.json").as(EAST_MANAGER).clearQuery().query("limit", "100"));
        assertThat(manager.body().path("items").toString()).contains(assigned);
        Reply otherManager = Reply.of(handler, Events.load("service-records/list-service-records.json").as(SOUTH_MANAGER).clearQuery().query("limit", "100"));
        assertThat(otherManager.body().path("items").toString()).doesNotContain(assigned);
        Reply badStatus = Reply.of(handler, Events.load("service-records/list-service-records.json").as(MAINTENANCE).clearQuery().query("status", "DONE"));
        assertThat(badStatus.firstViolationField()).isEqualTo("status");
    }

    @Test
    void routesTemplateAndSampleEventsAgree() {
        com.rackflow.testing.RouteCheck.verify(ServiceRecordsHandler::new, "ServiceRecordsFunction", "service-records");
    }
}
