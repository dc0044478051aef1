package com.rackflow.customers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.access.Caller;
import com.rackflow.core.persistence.KeyQuery;
import com.rackflow.core.persistence.Keys;
import com.rackflow.core.persistence.Table;
import com.rackflow.testing.CrmFixture;
import com.rackflow.testing.Events;
import com.rackflow.testing.LocalTable;
import com.rackflow.testing.Reply;
import com.rackflow.testing.Staff;
import com.rackflow.testing.WriteLog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static com.rackflow.testing.Staff.EAST_MANAGER;
import static com.rackflow.testing.Staff.EAST_SALES_1;
import static com.rackflow.testing.Staff.EAST_SALES_2;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Creates with an Idempotency-Key: the key's record is written in the create's own transaction, so a retry can never
 * create twice nor be refused as a duplicate of itself, and a replay applies the caller's current rights.
 */
class IdempotentCreateTest {
    static Table base;
    static Table table;
    static final WriteLog log = new WriteLog();
    static CustomersHandler handler;

    @BeforeAll
    static void setUp() {
        base = LocalTable.create();
        Staff.seed(base);
        table = WriteLog.table(base, log);
        handler = new CustomersHandler(table);
    }

    static ObjectNode body() {
        long n = CrmFixture.next();
        ObjectNode b = CustomersApiTest.body("幂等客户" + n + "有限公司", String.format("135%08d", n % 100_000_000));
        b.put("creditCode", CrmFixture.creditCode(n + 700_000));
        return b;
    }

    static Events create(Caller c, String key, ObjectNode body) {
        return Events.load("customers/create-customer.json").as(c).header("Idempotency-Key", key).body(body);
    }

    static List<String> customersNamed(String name) {
        return base.queryAll(KeyQuery.on(Keys.GSI_OWNER, Keys.ownerPartition(EAST_SALES_1.userId()), "CUSTOMER#")).stream()
                .filter(i -> i.get("companyName").s().equals(name)).map(i -> i.get("customerId").s()).toList();
    }

    @Test
    void theKeyIsWrittenInTheCreatesTransactionWithATokenDerivedFromIt() {
        String key = "tx-" + CrmFixture.next();
        log.clear();
        Reply r = Reply.of(handler, create(EAST_SALES_1, key, body()));
        assertThat(r.status()).isEqualTo(201);
        TransactWriteItemsRequest t = (TransactWriteItemsRequest) log.writesBesidesCounters().get(0);
        assertThat(WriteLog.keys(t)).contains(Keys.idempotency(EAST_SALES_1.userId(), "/customers", key).pk() + " | IDEMPOTENCY");
        assertThat(t.clientRequestToken()).hasSize(36);
        assertThat(base.get(Keys.idempotency(EAST_SALES_1.userId(), "/customers", key)))
                .hasValueSatisfying(i -> assertThat(i.get("recordId").s()).isEqualTo(r.text("customerId")));
    }

    @Test
    void aRetryAfterALostAnswerIsTheSameCustomerNeverADuplicateOfItself() {
        ObjectNode b = body();
        Events e = create(EAST_SALES_1, "lost-" + CrmFixture.next(), b);
        Reply first = Reply.of(handler, e);
        Reply retry = Reply.of(handler, e);
        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.errorCode()).isNull();
        assertThat(retry.text("customerId")).isEqualTo(first.text("customerId"));
        assertThat(retry.headers()).containsEntry("Idempotent-Replayed", "true").containsEntry("Location", "/customers/" + first.text("customerId"));
        assertThat(customersNamed(b.get("companyName").asText())).hasSize(1);
    }

    @Test
    void aCrashAtTheCreateLeavesTheKeyFreeAndTheRetryCreatesOnce() {
        ObjectNode b = body();
        Events e = create(EAST_SALES_1, "crash-" + CrmFixture.next(), b);
        log.clear();
        log.failWhen(r -> r instanceof TransactWriteItemsRequest);
        assertThat(Reply.of(handler, e).status()).isEqualTo(500);
        log.clear();
        Reply retry = Reply.of(handler, e);
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.headers()).doesNotContainKey("Idempotent-Replayed");
        assertThat(customersNamed(b.get("companyName").asText())).containsExactly(retry.text("customerId"));
    }

    @Test
    void concurrentRequestsWithTheSameKeyGiveOneCustomer() throws Exception {
        ObjectNode b = body();
        String key = "burst-" + CrmFixture.next();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<Reply>> futures = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            futures.add(pool.submit(() -> Reply.of(handler, create(EAST_SALES_1, key, b))));
        }
        List<Reply> replies = new ArrayList<>();
        for (Future<Reply> f : futures) {
            replies.add(f.get());
        }
        pool.shutdown();
        assertThat(replies).extracting(Reply::status).containsOnly(201);
        assertThat(replies).extracting(r -> r.text("customerId")).containsOnly(replies.get(0).text("customerId"));
        assertThat(customersNamed(b.get("companyName").asText())).hasSize(1);
    }

    @Test
    void aReplayAppliesTheCurrentAccessPolicy() {
        ObjectNode b = body();
        Events e = create(EAST_SALES_1, "moved-" + CrmFixture.next(), b);
        Reply first = Reply.of(handler, e);
        assertThat(first.status()).isEqualTo(201);
        String id = first.text("customerId");
        // the manager gives the customer to a colleague: it has left east.sales1's scope
        Reply moved = Reply.of(handler, Events.load("customers/change-customer.json").as(EAST_MANAGER).id(id)
                .header("If-Match", "\"1\"").body(Map.of("ownerId", EAST_SALES_2.userId())));
        assertThat(moved.status()).isEqualTo(200);
        Reply replay = Reply.of(handler, e);
        assertThat(replay.status()).isEqualTo(404);
        assertThat(replay.body().toString()).doesNotContain(b.get("companyName").asText());
    }

    @Test
    void theSameKeyWithAnotherBodyIsRefusedAndCreatesNothing() {
        String key = "reuse-" + CrmFixture.next();
        assertThat(Reply.of(handler, create(EAST_SALES_1, key, body())).status()).isEqualTo(201);
        ObjectNode other = body();
        Reply r = Reply.of(handler, create(EAST_SALES_1, key, other));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.firstViolationField()).isEqualTo("Idempotency-Key");
        assertThat(customersNamed(other.get("companyName").asText())).isEmpty();
    }
}
