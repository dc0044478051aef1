package com.rackflow.customers;

import com.rackflow.core.persistence.Table;
import com.rackflow.testing.Events;
import com.rackflow.testing.LocalTable;
import com.rackflow.testing.Reply;
import com.rackflow.testing.Staff;
import com.rackflow.testing.WriteLog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

import java.util.List;
import java.util.Map;

import static com.rackflow.testing.Staff.EAST_SALES_1;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads that only show something are eventually consistent (half the read units); reads that decide a write, and a
 * replay's read of the record its create just wrote, are strongly consistent. Each read is seen as the function sends
 * it (an interceptor on a real client of the local DynamoDB) and as the local DynamoDB bills it.
 */
class ReadConsistencyTest {
    static final WriteLog log = new WriteLog();
    static Table table;
    static CustomersHandler handler;

    @BeforeAll
    static void setUp() {
        Table base = LocalTable.create();
        Staff.seed(base);
        table = WriteLog.table(base, log);
        handler = new CustomersHandler(table);
    }

    static String create(String key) {
        Events e = Events.load("customers/create-customer.json").as(EAST_SALES_1)
                .body(CustomersApiTest.body("一致性客户" + System.nanoTime() + "有限公司", phone()));
        Reply r = Reply.of(handler, key == null ? e.header("Idempotency-Key", null) : e.header("Idempotency-Key", key));
        assertThat(r.status()).isIn(201);
        return r.text("customerId");
    }

    static String phone() {
        return String.format("137%08d", (System.nanoTime() / 1000) % 100_000_000);
    }

    static List<GetItemRequest> gets(String pkPrefix) {
        return log.reads().stream().filter(r -> r instanceof GetItemRequest g && g.key().get("pk").s().startsWith(pkPrefix))
                .map(r -> (GetItemRequest) r).toList();
    }

    static boolean strong(SdkRequest r) {
        Boolean c = r instanceof GetItemRequest g ? g.consistentRead() : ((QueryRequest) r).consistentRead();
        return Boolean.TRUE.equals(c);
    }

    @Test
    void aGetReadsTheCallersProfileAndTheRecordEventuallyAndShowsTheRecord() {
        String id = create(null);
        log.clear();
        Table.takeConsumedCapacity();
        Reply r = Reply.of(handler, Events.load("customers/get-customer.json").as(EAST_SALES_1).id(id));
        double units = Table.takeConsumedCapacity();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text("customerId")).isEqualTo(id);
        assertThat(gets("USER#")).hasSize(1).noneMatch(ReadConsistencyTest::strong);
        assertThat(gets("CUSTOMER#")).hasSize(1).noneMatch(ReadConsistencyTest::strong);
        // two small items, half a unit each (strongly consistent they cost one each)
        assertThat(units).isEqualTo(1.0);
    }

    @Test
    void aHistoryPageIsReadEventually() {
        String id = create(null);
        log.clear();
        Reply r = Reply.of(handler, Events.load("customers/customer-history.json").as(EAST_SALES_1).id(id));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("items")).hasSize(1);
        List<SdkRequest> queries = log.reads().stream().filter(q -> q instanceof QueryRequest).toList();
        assertThat(queries).isNotEmpty().noneMatch(ReadConsistencyTest::strong);
    }

    @Test
    void aChangeReadsTheProfileAndTheRecordStrongly() {
        String id = create(null);
        log.clear();
        Reply r = Reply.of(handler, Events.load("customers/change-customer.json").as(EAST_SALES_1).id(id)
                .header("If-Match", "\"1\"").body(Map.of("notes", "强一致读取")));
        assertThat(r.status()).isEqualTo(200);
        assertThat(gets("USER#")).isNotEmpty().allMatch(ReadConsistencyTest::strong);
        assertThat(gets("CUSTOMER#")).isNotEmpty().allMatch(ReadConsistencyTest::strong);
    }

    @Test
    void aReplayReadsTheRecordItsCreateWroteStrongly() {
        String key = "consistency-" + System.nanoTime();
        Events e = Events.load("customers/create-customer.json").as(EAST_SALES_1).header("Idempotency-Key", key)
                .body(CustomersApiTest.body("重放客户" + System.nanoTime() + "有限公司", phone()));
        Reply first = Reply.of(handler, e);
        assertThat(first.status()).isEqualTo(201);
        log.clear();
        Reply again = Reply.of(handler, e);
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.text("customerId")).isEqualTo(first.text("customerId"));
        assertThat(gets("CUSTOMER#")).isNotEmpty().allMatch(ReadConsistencyTest::strong);
    }

    @Test
    void aDuplicateReadsNoGuardAndNamesTheHolderWithEventualReads() {
        String name = "查重一致性" + System.nanoTime() + "有限公司";
        Reply first = Reply.of(handler, Events.load("customers/create-customer.json").as(EAST_SALES_1).header("Idempotency-Key", null)
                .body(CustomersApiTest.body(name, phone())));
        assertThat(first.status()).isEqualTo(201);
        log.clear();
        Reply dup = Reply.of(handler, Events.load("customers/create-customer.json").as(Staff.EAST_SALES_2).header("Idempotency-Key", null)
                .body(CustomersApiTest.body(name, phone())));
        assertThat(dup.status()).isEqualTo(409);
        assertThat(dup.errorCode()).isEqualTo("DUPLICATE_CUSTOMER");
        assertThat(dup.body().path("error").path("details").path("existingCode").asText()).isEqualTo(first.text("code"));
        // the taken guard comes back with the cancelled transaction: no read of any guard
        assertThat(log.reads()).noneMatch(r -> r.toString().contains("GUARD#"));
        // the holder and its owner's name are only shown: eventually consistent
        assertThat(gets("CUSTOMER#")).hasSize(1).noneMatch(ReadConsistencyTest::strong);
        assertThat(gets("USER#" + EAST_SALES_1.userId())).hasSize(1).noneMatch(ReadConsistencyTest::strong);
        // the caller's profile for the POST: strong, once
        assertThat(gets("USER#" + Staff.EAST_SALES_2.userId())).hasSize(1).allMatch(ReadConsistencyTest::strong);
    }

    @Test
    void aCreateReadsTheCallersProfileOnce() {
        log.clear();
        create(null);
        assertThat(gets("USER#" + EAST_SALES_1.userId())).hasSize(1).allMatch(ReadConsistencyTest::strong);
    }
}
