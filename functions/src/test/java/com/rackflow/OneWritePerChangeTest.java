package com.rackflow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.access.Caller;
import com.rackflow.activities.ActivitiesHandler;
import com.rackflow.contracts.ContractsHandler;
import com.rackflow.core.http.ApiHandler;
import com.rackflow.core.json.Json;
import com.rackflow.core.persistence.Key;
import com.rackflow.core.persistence.KeyQuery;
import com.rackflow.core.persistence.Keys;
import com.rackflow.core.persistence.Table;
import com.rackflow.customers.Customer;
import com.rackflow.customers.CustomersHandler;
import com.rackflow.directory.DirectoryHandler;
import com.rackflow.servicerecords.ServiceRecordsHandler;
import com.rackflow.testing.CrmFixture;
import com.rackflow.testing.Events;
import com.rackflow.testing.LocalTable;
import com.rackflow.testing.Reply;
import com.rackflow.testing.Staff;
import com.rackflow.testing.WriteLog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static com.rackflow.testing.Staff.ADMIN;
import static com.rackflow.testing.Staff.EAST_MANAGER;
import static com.rackflow.testing.Staff.EAST_SALES_1;
import static com.rackflow.testing.Staff.MAINTENANCE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every record change of customers, activities, contracts, service records and the directory, through its API:
 * the request's writes are ONE TransactWriteItems holding the record and its history entry (a counter increment
 * for codes and serials may go before it: a gap is harmless). And where the old code wrote the record, then its
 * history, guards, links and idempotency record one after the other, a process dying at that one write now leaves
 * none of it.
 */
class OneWritePerChangeTest {
    static Table base;
    static Table table;
    static final WriteLog log = new WriteLog();
    static CrmFixture fx;
    static CustomersHandler customers;
    static ActivitiesHandler activities;
    static ContractsHandler contracts;
    static ServiceRecordsHandler serviceRecords;
    static DirectoryHandler directory;

    @BeforeAll
    static void setUp() {
        base = LocalTable.create();
        Staff.seed(base);
        fx = new CrmFixture(base);
        table = WriteLog.table(base, log);
        customers = new CustomersHandler(table);
        activities = new ActivitiesHandler(table);
        contracts = new ContractsHandler(table);
        serviceRecords = new ServiceRecordsHandler(table);
        directory = new DirectoryHandler(table);
    }

    /** Sends the request and checks its one write; answers the reply. */
    static Reply oneWrite(ApiHandler handler, Events e, int status, String type, String idField) {
        log.clear();
        Reply r = Reply.of(handler, e);
        assertThat(r.status()).as(r.body().toString()).isEqualTo(status);
        String id = r.text(idField);
        List<SdkRequest> writes = log.writesBesidesCounters();
        assertThat(writes).as("writes of " + e.json().path("resource").asText()).singleElement().isInstanceOf(TransactWriteItemsRequest.class);
        List<String> keys = WriteLog.keys((TransactWriteItemsRequest) writes.get(0));
        String pk = type.equals("USER") || type.equals("DEPT") ? type + "#" + id : Keys.record(type, id).pk();
        assertThat(keys).anyMatch(k -> k.startsWith(pk + " | ") && !k.contains("HISTORY#"));
        assertThat(keys).anyMatch(k -> k.startsWith(pk + " | HISTORY#"));
        return r;
    }

    /**
     * The same request again, the process dying at the moment of its one write: none of what it would have written is
     * stored (no record or new version of it, no history entry, no guard, link or idempotency record).
     */
    static void crashLeavesNothing(ApiHandler handler, Events e) {
        log.clear();
        log.failWhen(r -> r instanceof TransactWriteItemsRequest);
        Reply r = Reply.of(handler, e);
        assertThat(r.status()).isEqualTo(500);
        assertThat(log.refused()).singleElement();
        TransactWriteItemsRequest t = (TransactWriteItemsRequest) log.refused().get(0);
        assertThat(t.transactItems()).hasSizeGreaterThanOrEqualTo(2);
        for (TransactWriteItem i : t.transactItems()) {
            if (i.put() != null) {
                Map<String, AttributeValue> item = i.put().item();
                Optional<Map<String, AttributeValue>> stored = base.get(new Key(item.get("pk").s(), item.get("sk").s()));
                assertThat(stored).as("stored " + item.get("pk").s() + " | " + item.get("sk").s()).isNotEqualTo(Optional.of(item));
            }
        }
        log.clear();
    }

    static Events event(String name, Caller c) {
        return Events.load(name).as(c).header("Idempotency-Key", null);
    }

    static ObjectNode customerBody() {
        long n = CrmFixture.next();
        ObjectNode b = Json.object();
        b.put("companyName", "一次写入客户" + n + "有限公司");
        b.put("creditCode", CrmFixture.creditCode(n + 500_000));
        b.putArray("contacts").addObject().put("name", "王磊").put("phone", String.format("136%08d", n % 100_000_000));
        return b;
    }

    static long historyCount(String type, String id) {
        return base.queryAll(KeyQuery.on(null, Keys.record(type, id).pk(), Keys.HISTORY_PREFIX)).size();
    }

    @Test
    void customerWrites() {
        ObjectNode body = customerBody();
        Events create = event("customers/create-customer.json", EAST_SALES_1).header("Idempotency-Key", "one-write-" + CrmFixture.next()).body(body);
        crashLeavesNothing(customers, create);
        Reply created = oneWrite(customers, create, 201, "CUSTOMER", "customerId");
        String id = created.text("customerId");
        // the transaction held the guards and the idempotency record too: a retry answers the same customer
        Reply retried = Reply.of(customers, create);
        assertThat(retried.status()).isEqualTo(201);
        assertThat(retried.text("customerId")).isEqualTo(id);

        Events rename = event("customers/change-customer.json", EAST_SALES_1).id(id).header("If-Match", "\"1\"")
                .body(Map.of("companyName", "改名客户" + CrmFixture.next() + "有限公司"));
        crashLeavesNothing(customers, rename);
        assertThat(historyCount("CUSTOMER", id)).isEqualTo(1);
        oneWrite(customers, rename, 200, "CUSTOMER", "customerId");

        Events move = event("customers/transition-customer.json", EAST_SALES_1).id(id).body(Map.of("to", "CONTACTED", "version", 2));
        crashLeavesNothing(customers, move);
        oneWrite(customers, move, 200, "CUSTOMER", "customerId");

        Events reassign = event("customers/change-customer.json", EAST_MANAGER).id(id).header("If-Match", "\"3\"")
                .body(Map.of("ownerId", Staff.EAST_SALES_2.userId()));
        oneWrite(customers, reassign, 200, "CUSTOMER", "customerId");

        Events delete = event("customers/delete-customer.json", EAST_MANAGER).id(id).header("If-Match", "\"4\"");
        crashLeavesNothing(customers, delete);
        log.clear();
        assertThat(Reply.of(customers, delete).status()).isEqualTo(204);
        assertThat(log.writes()).singleElement().isInstanceOf(TransactWriteItemsRequest.class);

        oneWrite(customers, event("customers/restore-customer.json", EAST_MANAGER).id(id), 200, "CUSTOMER", "customerId");
        assertThat(historyCount("CUSTOMER", id)).isEqualTo(6);
    }

    @Test
    void activityWrites() {
        Customer c = fx.customer(EAST_SALES_1);
        Events logCall = event("activities/log-activity.json", EAST_SALES_1).id(c.customerId());
        crashLeavesNothing(activities, logCall);
        String id = oneWrite(activities, logCall, 201, "ACTIVITY", "activityId").text("activityId");
        oneWrite(activities, event("activities/change-activity.json", EAST_SALES_1).id(id).header("If-Match", "\"1\""), 200,
                "ACTIVITY", "activityId");
        Events delete = event("activities/delete-activity.json", EAST_SALES_1).id(id).header("If-Match", "\"2\"");
        crashLeavesNothing(activities, delete);
        log.clear();
        assertThat(Reply.of(activities, delete).status()).isIn(200, 204);
        assertThat(log.writes()).singleElement().isInstanceOf(TransactWriteItemsRequest.class);
        oneWrite(activities, event("activities/restore-activity.json", EAST_MANAGER).id(id), 200, "ACTIVITY", "activityId");
        assertThat(historyCount("ACTIVITY", id)).isEqualTo(4);
    }

    @Test
    void contractWrites() {
        Customer c = fx.signedCustomer(EAST_SALES_1);
        Events create = event("contracts/create-contract.json", EAST_SALES_1).body(CrmFixture.contractBody(c.customerId()));
        crashLeavesNothing(contracts, create);
        Reply created = oneWrite(contracts, create, 201, "CONTRACT", "contractId");
        String id = created.text("contractId");
        // the serial guard and the customer's link item are in the same transaction
        List<String> keys = WriteLog.keys((TransactWriteItemsRequest) log.writesBesidesCounters().get(0));
        assertThat(keys).contains("GUARD#CONTRACT_SERIAL#" + created.text("serial") + " | GUARD");
        assertThat(keys).anyMatch(k -> k.startsWith("CUSTOMER#" + c.customerId() + " | CONTRACT#"));

        Events change = event("contracts/change-contract.json", EAST_SALES_1).id(id).header("If-Match", "\"1\"");
        crashLeavesNothing(contracts, change);
        oneWrite(contracts, change, 200, "CONTRACT", "contractId");
        Events activate = event("contracts/transition-contract.json", EAST_SALES_1).id(id).body(Map.of("to", "ACTIVE", "version", 2));
        crashLeavesNothing(contracts, activate);
        oneWrite(contracts, activate, 200, "CONTRACT", "contractId");
        assertThat(historyCount("CONTRACT", id)).isEqualTo(3);
    }

    @Test
    void serviceRecordWrites() {
        Customer c = fx.signedCustomer(EAST_SALES_1);
        Events open = event("service-records/open-service-record.json", MAINTENANCE);
        ObjectNode b = (ObjectNode) Json.tree(Map.of("customerId", c.customerId(), "type", "FAULT", "priority", "P2",
                "title", "端口故障", "description", "上联端口频繁断开"));
        open.body(b);
        crashLeavesNothing(serviceRecords, open);
        String id = oneWrite(serviceRecords, open, 201, "SERVICE_RECORD", "serviceRecordId").text("serviceRecordId");
        Events change = event("service-records/change-service-record.json", MAINTENANCE).id(id).header("If-Match", "\"1\"");
        crashLeavesNothing(serviceRecords, change);
        oneWrite(serviceRecords, change, 200, "SERVICE_RECORD", "serviceRecordId");
        oneWrite(serviceRecords, event("service-records/transition-service-record.json", MAINTENANCE).id(id)
                .body(Map.of("to", "IN_PROGRESS", "version", 2)), 200, "SERVICE_RECORD", "serviceRecordId");
        assertThat(historyCount("SERVICE_RECORD", id)).isEqualTo(3);
    }

    @Test
    void directoryWrites() {
        String user = "one.write" + CrmFixture.next();
        Events create = event("directory/create-user.json", ADMIN).body(Map.of("userId", user, "displayName", "测试",
                "role", "SALES", "departmentId", "east"));
        crashLeavesNothing(directory, create);
        oneWrite(directory, create, 201, "USER", "userId");
        oneWrite(directory, event("directory/change-user.json", ADMIN).id(user).header("If-Match", "\"1\"")
                .body(Map.of("displayName", "测试二")), 200, "USER", "userId");
        oneWrite(directory, event("directory/disable-user.json", ADMIN).id(user).body(Map.of("version", 2)), 200, "USER", "userId");

        String dept = "dept" + CrmFixture.next();
        Events department = event("directory/create-department.json", ADMIN).body(Map.of("departmentId", dept, "name", "West",
                "nameZh", "华西区", "kind", "SALES_REGION"));
        crashLeavesNothing(directory, department);
        oneWrite(directory, department, 201, "DEPT", "departmentId");
        oneWrite(directory, event("directory/change-department.json", ADMIN).id(dept).header("If-Match", "\"1\"")
                .body(Map.of("nameZh", "华西大区")), 200, "DEPT", "departmentId");
    }
}
