package com.rackflow.local.dynamodb;

import static com.rackflow.local.dynamodb.Sdk.item;
import static com.rackflow.local.dynamodb.Sdk.key;
import static com.rackflow.local.dynamodb.Sdk.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.IdempotentParameterMismatchException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** ClientRequestToken, the limits, validation errors and ConsumedCapacity, as AWS documents them. */
class TransactionRulesTest {
    static DynamoDbClient db;
    static String table;

    @BeforeAll
    static void front() {
        db = Sdk.client(DynamoFront.shared().endpoint());
        table = Sdk.table(db);
    }

    @Test
    void aRepeatedTokenAnswersAgainWithoutApplyingTwice() {
        String token = UUID.randomUUID().toString();
        db.transactWriteItems(t -> t.clientRequestToken(token).transactItems(increment("tok-counter")));
        TransactWriteItemsResponse again = db.transactWriteItems(t -> t.clientRequestToken(token)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).transactItems(increment("tok-counter")));
        assertThat(number("tok-counter", "n")).isEqualTo(1);
        // a repeat reports what reading the item costs, not the writes
        assertThat(again.consumedCapacity()).singleElement().satisfies(c -> {
            assertThat(c.tableName()).isEqualTo(table);
            assertThat(c.readCapacityUnits()).isEqualTo(1.0);
            assertThat(c.writeCapacityUnits()).isNull();
        });

        IdempotentParameterMismatchException mismatch = catchThrowableOfType(IdempotentParameterMismatchException.class,
                () -> db.transactWriteItems(t -> t.clientRequestToken(token).transactItems(increment("tok-other"))));
        assertThat(mismatch).isNotNull();
        assertThat(get("tok-other")).isEmpty();

        db.transactWriteItems(t -> t.clientRequestToken(UUID.randomUUID().toString()).transactItems(increment("tok-counter")));
        assertThat(number("tok-counter", "n")).isEqualTo(2);
    }

    @Test
    void aCancelledTransactionDoesNotRecordItsToken() {
        String token = UUID.randomUUID().toString();
        db.putItem(p -> p.tableName(table).item(item("tok-exists")));
        TransactWriteItem create = TransactWriteItem.builder().put(p -> p.tableName(table).item(item("tok-exists", "v", "2"))
                .conditionExpression("attribute_not_exists(pk)")).build();
        assertThat(catchThrowableOfType(TransactionCanceledException.class,
                () -> db.transactWriteItems(t -> t.clientRequestToken(token).transactItems(create)))).isNotNull();
        db.deleteItem(d -> d.tableName(table).key(key("tok-exists")));
        db.transactWriteItems(t -> t.clientRequestToken(token).transactItems(create));
        assertThat(get("tok-exists")).containsEntry("v", AttributeValue.fromN("2"));
    }

    @Test
    void moreThanAHundredActionsAreRefused() {
        List<TransactWriteItem> items = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            items.add(putOf(item("limit-" + i)));
        }
        DynamoDbException e = validation(() -> db.transactWriteItems(t -> t.transactItems(items)));
        assertThat(e.awsErrorDetails().errorMessage()).startsWith("1 validation error detected: Value '[com.amazonaws.dynamodb.v20120810.TransactWriteItem@")
                .endsWith("' at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100");
        assertThat(get("limit-0")).isEmpty();

        db.transactWriteItems(t -> t.transactItems(items.subList(0, 100)));
        assertThat(get("limit-99")).isNotEmpty();
    }

    @Test
    void anEmptyTransactionIsRefused() {
        assertThat(validation(() -> db.transactWriteItems(t -> t.transactItems(List.of()))).awsErrorDetails().errorMessage())
                .isEqualTo("1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: "
                        + "Member must have length greater than or equal to 1");
    }

    @Test
    void twoActionsOnOneItemAreRefused() {
        DynamoDbException e = validation(() -> db.transactWriteItems(t -> t.transactItems(putOf(item("twice")),
                TransactWriteItem.builder().conditionCheck(c -> c.tableName(table).key(key("twice")).conditionExpression("attribute_exists(pk)")).build())));
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Transaction request cannot include multiple operations on one item");
        assertThat(get("twice")).isEmpty();
    }

    @Test
    void moreThanFourMegabytesAreRefused() {
        List<TransactWriteItem> items = new ArrayList<>();
        SdkBytes big = SdkBytes.fromByteArray(new byte[390 * 1024]);
        for (int i = 0; i < 11; i++) {
            Map<String, AttributeValue> it = new java.util.HashMap<>(key("big-" + i));
            it.put("blob", AttributeValue.fromB(big));
            items.add(putOf(it));
        }
        DynamoDbException e = validation(() -> db.transactWriteItems(t -> t.transactItems(items)));
        assertThat(e.awsErrorDetails().errorMessage()).contains("4 MB");
        assertThat(get("big-0")).isEmpty();
    }

    @Test
    void aMissingTableIsNotFoundAndNothingIsApplied() {
        assertThat(catchThrowableOfType(ResourceNotFoundException.class, () -> db.transactWriteItems(t -> t.transactItems(
                putOf(item("nf-1")),
                TransactWriteItem.builder().put(p -> p.tableName("no-such-table").item(item("nf-2"))).build())))).isNotNull();
        assertThat(get("nf-1")).isEmpty();
    }

    @Test
    void anInvalidExpressionLaterInTheTransactionUndoesTheEarlierActions() {
        DynamoDbException e = validation(() -> db.transactWriteItems(t -> t.transactItems(putOf(item("bad-1")),
                TransactWriteItem.builder().update(u -> u.tableName(table).key(key("bad-2")).updateExpression("SET = oops")).build())));
        assertThat(e.awsErrorDetails().errorMessage()).contains("Invalid UpdateExpression");
        assertThat(get("bad-1")).isEmpty();
    }

    @Test
    void aTypeErrorOnTheItemIsAValidationErrorReason() {
        db.putItem(p -> p.tableName(table).item(item("type-1", "n", "text")));
        TransactionCanceledException e = catchThrowableOfType(TransactionCanceledException.class, () -> db.transactWriteItems(t -> t.transactItems(
                putOf(item("type-0")),
                TransactWriteItem.builder().update(u -> u.tableName(table).key(key("type-1")).updateExpression("SET n = n + :one")
                        .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1")))).build())));
        assertThat(e).isNotNull();
        assertThat(e.cancellationReasons()).extracting(r -> r.code()).containsExactly("None", "ValidationError");
        assertThat(e.cancellationReasons().get(1).message()).contains("incorrect data type");
        assertThat(get("type-0")).isEmpty();
    }

    @Test
    void consumedCapacityCountsTwoWritesPerKilobytePerItemAndTheIndexesOnce() {
        db.putItem(p -> p.tableName(table).item(item("cap-upd")));
        db.putItem(p -> p.tableName(table).item(item("cap-chk")));
        db.putItem(p -> p.tableName(table).item(item("cap-del")));
        String twoAndAHalfKb = "x".repeat(2500);
        List<TransactWriteItem> items = List.of(
                putOf(item("cap-put", "text", twoAndAHalfKb)), // 3 KB → 6
                TransactWriteItem.builder().update(u -> u.tableName(table).key(key("cap-upd")).updateExpression("SET email = :e")
                        .expressionAttributeValues(Map.of(":e", s("a@example.com")))).build(), // 2, and 1 on byEmail (updated after the commit)
                TransactWriteItem.builder().conditionCheck(c -> c.tableName(table).key(key("cap-chk")).conditionExpression("attribute_exists(pk)")).build(), // 2
                TransactWriteItem.builder().delete(d -> d.tableName(table).key(key("cap-del"))).build()); // 2
        ConsumedCapacity total = db.transactWriteItems(t -> t.transactItems(items).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL))
                .consumedCapacity().get(0);
        assertThat(total.tableName()).isEqualTo(table);
        assertThat(total.capacityUnits()).isEqualTo(13.0);
        assertThat(total.writeCapacityUnits()).isEqualTo(13.0);
        assertThat(total.table()).isNull();

        db.putItem(p -> p.tableName(table).item(item("cap-del")));
        db.putItem(p -> p.tableName(table).item(item("cap-upd")));
        ConsumedCapacity indexes = db.transactWriteItems(t -> t.transactItems(items).returnConsumedCapacity(ReturnConsumedCapacity.INDEXES))
                .consumedCapacity().get(0);
        assertThat(indexes.capacityUnits()).isEqualTo(13.0);
        assertThat(indexes.table().capacityUnits()).isEqualTo(12.0);
        assertThat(indexes.globalSecondaryIndexes().get("byEmail").capacityUnits()).isEqualTo(1.0);

        assertThat(db.transactWriteItems(t -> t.transactItems(items.get(2))).consumedCapacity()).isEmpty();
    }

    @Test
    void transactGetCountsTwoReadsPerFourKilobytesPerItem() {
        db.putItem(p -> p.tableName(table).item(item("read-big", "text", "y".repeat(5000)))); // 5 KB → 2 × 2
        var r = db.transactGetItems(t -> t.returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).transactItems(
                g -> g.get(x -> x.tableName(table).key(key("read-big"))),
                g -> g.get(x -> x.tableName(table).key(key("read-none"))))); // 2
        assertThat(r.consumedCapacity()).singleElement().satisfies(c -> {
            assertThat(c.capacityUnits()).isEqualTo(6.0);
            assertThat(c.readCapacityUnits()).isEqualTo(6.0);
        });
    }

    private static DynamoDbException validation(Runnable call) {
        DynamoDbException e = catchThrowableOfType(DynamoDbException.class, call::run);
        assertThat(e).isNotNull();
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
        assertThat(e.statusCode()).isEqualTo(400);
        return e;
    }

    private static TransactWriteItem increment(String pk) {
        return TransactWriteItem.builder().update(u -> u.tableName(table).key(key(pk)).updateExpression("ADD n :one")
                .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1")))).build();
    }

    private static TransactWriteItem putOf(Map<String, AttributeValue> item) {
        return TransactWriteItem.builder().put(p -> p.tableName(table).item(item)).build();
    }

    private static Map<String, AttributeValue> get(String pk) {
        return db.getItem(g -> g.tableName(table).key(key(pk)).consistentRead(true)).item();
    }

    private static int number(String pk, String attribute) {
        return Integer.parseInt(get(pk).get(attribute).n());
    }
}
