package com.rackflow.local.dynamodb;

import static com.rackflow.local.dynamodb.Sdk.item;
import static com.rackflow.local.dynamodb.Sdk.key;
import static com.rackflow.local.dynamodb.Sdk.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The front bills reads and single-item writes as DynamoDB documents it (dynalite alone counts UTF-16 units, leaves
 * out index writes, charges nothing for an empty Query and reports nothing for a failed write), and says what it
 * billed in a header, also for failed conditional writes and cancelled transactions.
 */
class BillingTest {
    static DynamoDbClient db;
    static String table;
    static final ReturnConsumedCapacity INDEXES = ReturnConsumedCapacity.INDEXES;

    @BeforeAll
    static void front() {
        db = Sdk.client(DynamoFront.shared().endpoint());
        table = Sdk.table(db);
    }

    @Test
    void aPutIsBilledPerKilobyteOfUtf8AndAgainOnTheIndexItEnters() {
        // 400 Chinese characters: 1,200 bytes in UTF-8 (400 UTF-16 units, which is what dynalite counts)
        var put = db.putItem(p -> p.tableName(table).item(item("utf8", "text", "机".repeat(400), "email", "u@example.cn"))
                .returnConsumedCapacity(INDEXES));
        ConsumedCapacity c = put.consumedCapacity();
        assertThat(c.table().capacityUnits()).isEqualTo(2.0);
        assertThat(c.globalSecondaryIndexes().get("byEmail").capacityUnits()).isEqualTo(2.0);
        assertThat(c.capacityUnits()).isEqualTo(4.0);
        assertThat(billed(put)).isEqualTo("read=0;write=4.0");

        // the same item written again: the table write is billed, the unchanged index entry is not
        var again = db.putItem(p -> p.tableName(table).item(item("utf8", "text", "机".repeat(400), "email", "u@example.cn"))
                .returnConsumedCapacity(INDEXES));
        assertThat(again.consumedCapacity().capacityUnits()).isEqualTo(2.0);
        assertThat(again.consumedCapacity().globalSecondaryIndexes()).isNullOrEmpty();
    }

    @Test
    void anUpdateIsBilledOnTheLargerImageAndAMovedIndexKeyTwice() {
        db.putItem(p -> p.tableName(table).item(item("upd", "text", "x".repeat(1500), "email", "a@example.cn")));
        var shrink = db.updateItem(u -> u.tableName(table).key(key("upd")).updateExpression("SET #t = :t, email = :e")
                .expressionAttributeNames(Map.of("#t", "text"))
                .expressionAttributeValues(Map.of(":t", s("short"), ":e", s("b@example.cn"))).returnConsumedCapacity(INDEXES));
        // before ≈ 1.5 KB → 2 on the table; the index entry moves: old (2) + new (1)
        assertThat(shrink.consumedCapacity().table().capacityUnits()).isEqualTo(2.0);
        assertThat(shrink.consumedCapacity().globalSecondaryIndexes().get("byEmail").capacityUnits()).isEqualTo(3.0);
        assertThat(billed(shrink)).isEqualTo("read=0;write=5.0");
    }

    @Test
    void aFailedConditionalWriteIsBilledOnTheItemAsItIs() {
        db.putItem(p -> p.tableName(table).item(item("taken", "text", "x".repeat(2500), "email", "t@example.cn")));
        ConditionalCheckFailedException e = catchThrowableOfType(() -> db.putItem(p -> p.tableName(table)
                .item(item("taken", "text", "small")).conditionExpression("attribute_not_exists(pk)").returnConsumedCapacity(INDEXES)),
                ConditionalCheckFailedException.class);
        assertThat(billed(e)).isEqualTo("read=0;write=3.0");
        // no item at all: one unit
        ConditionalCheckFailedException absent = catchThrowableOfType(() -> db.deleteItem(d -> d.tableName(table).key(key("never"))
                .conditionExpression("attribute_exists(pk)").returnConsumedCapacity(INDEXES)), ConditionalCheckFailedException.class);
        assertThat(billed(absent)).isEqualTo("read=0;write=1.0");
        assertThat(db.getItem(g -> g.tableName(table).key(key("taken")).consistentRead(true)).item().get("text").s()).hasSize(2500);
    }

    @Test
    void readsCostAtLeastOneUnitHalfWhenEventuallyConsistent() {
        db.putItem(p -> p.tableName(table).item(item("five-kb", "text", "x".repeat(5000))));
        assertThat(db.getItem(g -> g.tableName(table).key(key("missing")).consistentRead(true).returnConsumedCapacity(INDEXES))
                .consumedCapacity().capacityUnits()).isEqualTo(1.0);
        assertThat(db.getItem(g -> g.tableName(table).key(key("missing")).returnConsumedCapacity(INDEXES))
                .consumedCapacity().capacityUnits()).isEqualTo(0.5);
        assertThat(db.getItem(g -> g.tableName(table).key(key("five-kb")).consistentRead(true).returnConsumedCapacity(INDEXES))
                .consumedCapacity().capacityUnits()).isEqualTo(2.0);
        // a projection returns less, the whole item is billed
        var projected = db.getItem(g -> g.tableName(table).key(key("five-kb")).projectionExpression("pk").returnConsumedCapacity(INDEXES));
        assertThat(projected.consumedCapacity().capacityUnits()).isEqualTo(1.0);
        assertThat(billed(projected)).isEqualTo("read=1.0;write=0");
    }

    @Test
    void aBatchGetIsBilledAsAGetPerKey() {
        db.putItem(p -> p.tableName(table).item(item("batch-5kb", "text", "x".repeat(5000))));
        var r = db.batchGetItem(b -> b.returnConsumedCapacity(INDEXES).requestItems(Map.of(table,
                software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes.builder().consistentRead(true)
                        .keys(key("batch-5kb"), key("batch-none")).build())));
        // 2 (a 5 KB item) + 1 (no item)
        assertThat(r.consumedCapacity().get(0).capacityUnits()).isEqualTo(3.0);
        assertThat(billed(r)).isEqualTo("read=3.0;write=0");
    }

    @Test
    void aQueryIsBilledOnWhatItEvaluatedRoundedOnceAndAnEmptyOneStillCosts() {
        for (int i = 0; i < 3; i++) {
            String n = Integer.toString(i);
            db.putItem(p -> p.tableName(table).item(Map.of("pk", s("q"), "sk", s(n), "text", s("y".repeat(1500)),
                    "keep", AttributeValue.fromBool(n.equals("0")))));
        }
        // 3 × ~1.5 KB = ~4.5 KB evaluated → 2 units, though the filter keeps one item
        var filtered = db.query(q -> q.tableName(table).keyConditionExpression("pk = :pk").filterExpression("#k = :t")
                .expressionAttributeNames(Map.of("#k", "keep"))
                .expressionAttributeValues(Map.of(":pk", s("q"), ":t", AttributeValue.fromBool(true)))
                .consistentRead(true).returnConsumedCapacity(INDEXES));
        assertThat(filtered.count()).isEqualTo(1);
        assertThat(filtered.consumedCapacity().capacityUnits()).isEqualTo(2.0);
        var empty = db.query(q -> q.tableName(table).indexName("byEmail").keyConditionExpression("email = :e")
                .expressionAttributeValues(Map.of(":e", s("nobody@example.cn"))).returnConsumedCapacity(INDEXES));
        assertThat(empty.consumedCapacity().capacityUnits()).isEqualTo(0.5);
        assertThat(empty.consumedCapacity().globalSecondaryIndexes().get("byEmail").capacityUnits()).isEqualTo(0.5);
        assertThat(empty.consumedCapacity().table().capacityUnits()).isEqualTo(0.0);
    }

    @Test
    void aCancelledTransactionIsBilledTwoUnitsPerItem() {
        db.putItem(p -> p.tableName(table).item(item("tx-taken", "text", "x".repeat(1500))));
        TransactionCanceledException e = catchThrowableOfType(() -> db.transactWriteItems(t -> t.returnConsumedCapacity(INDEXES)
                .transactItems(TransactWriteItem.builder().put(p -> p.tableName(table).item(item("tx-fresh"))
                                .conditionExpression("attribute_not_exists(pk)")).build(),
                        TransactWriteItem.builder().put(p -> p.tableName(table).item(item("tx-taken"))
                                .conditionExpression("attribute_not_exists(pk)")).build())), TransactionCanceledException.class);
        // 2 × 1 (a new small item) + 2 × 2 (the ~1.5 KB item as it is)
        assertThat(billed(e)).isEqualTo("read=0;write=6.0");
        assertThat(db.getItem(g -> g.tableName(table).key(key("tx-fresh")).consistentRead(true)).hasItem()).isFalse();
    }

    private static String billed(SdkResponse r) {
        return r.sdkHttpResponse().firstMatchingHeader(Billing.HEADER).orElse(null);
    }

    private static String billed(AwsServiceException e) {
        return e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader(Billing.HEADER).orElse(null);
    }
}
