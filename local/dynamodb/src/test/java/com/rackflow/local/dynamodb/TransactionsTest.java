package com.rackflow.local.dynamodb;

import static com.rackflow.local.dynamodb.Sdk.item;
import static com.rackflow.local.dynamodb.Sdk.key;
import static com.rackflow.local.dynamodb.Sdk.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** TransactWriteItems / TransactGetItems through the SDK against the shared front. */
class TransactionsTest {
    static DynamoDbClient db;
    static String table;

    @BeforeAll
    static void front() {
        db = Sdk.client(DynamoFront.shared().endpoint());
        table = Sdk.table(db);
    }

    @Test
    void plainOperationsPassThroughUnchanged() {
        db.putItem(p -> p.tableName(table).item(item("plain", "n", "1")));
        assertThat(db.getItem(g -> g.tableName(table).key(key("plain")).consistentRead(true)).item()).containsEntry("n", AttributeValue.fromN("1"));
        assertThat(db.listTables().tableNames()).contains(table);
    }

    @Test
    void aTransactionAppliesEveryActionTogether() {
        db.putItem(p -> p.tableName(table).item(item("tx-upd", "n", "1")));
        db.putItem(p -> p.tableName(table).item(item("tx-del")));
        db.putItem(p -> p.tableName(table).item(item("tx-chk", "status", "open")));
        db.transactWriteItems(t -> t.transactItems(
                put(item("tx-new", "n", "7"), "attribute_not_exists(pk)"),
                TransactWriteItem.builder().update(u -> u.tableName(table).key(key("tx-upd")).updateExpression("SET n = n + :one")
                        .conditionExpression("n = :one").expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1")))).build(),
                TransactWriteItem.builder().delete(d -> d.tableName(table).key(key("tx-del"))).build(),
                TransactWriteItem.builder().conditionCheck(c -> c.tableName(table).key(key("tx-chk")).conditionExpression("#s = :open")
                        .expressionAttributeNames(Map.of("#s", "status")).expressionAttributeValues(Map.of(":open", s("open")))).build()));
        assertThat(get("tx-new")).containsEntry("n", AttributeValue.fromN("7"));
        assertThat(get("tx-upd")).containsEntry("n", AttributeValue.fromN("2"));
        assertThat(get("tx-del")).isEmpty();
        assertThat(get("tx-chk")).containsEntry("status", s("open"));
    }

    @Test
    void aFailedConditionCancelsEveryActionAndNamesTheReason() {
        db.putItem(p -> p.tableName(table).item(item("cc-taken", "owner", "someone")));
        db.putItem(p -> p.tableName(table).item(item("cc-counter", "n", "5")));
        TransactionCanceledException e = catchThrowableOfType(TransactionCanceledException.class, () -> db.transactWriteItems(t -> t.transactItems(
                TransactWriteItem.builder().update(u -> u.tableName(table).key(key("cc-counter")).updateExpression("SET n = n + :one")
                        .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1")))).build(),
                put(item("cc-new"), "attribute_not_exists(pk)"),
                TransactWriteItem.builder().put(p -> p.tableName(table).item(item("cc-taken", "owner", "me"))
                        .conditionExpression("attribute_not_exists(pk)")
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).build())));
        assertThat(e).isNotNull();
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("TransactionCanceledException");
        assertThat(e.getMessage()).contains("Transaction cancelled, please refer cancellation reasons for specific reasons [None, None, ConditionalCheckFailed]");
        List<CancellationReason> reasons = e.cancellationReasons();
        assertThat(reasons).extracting(CancellationReason::code).containsExactly("None", "None", "ConditionalCheckFailed");
        assertThat(reasons.get(2).message()).isEqualTo("The conditional request failed");
        assertThat(reasons.get(2).item()).containsEntry("owner", s("someone"));
        assertThat(reasons.get(0).item()).isEmpty();
        assertThat(get("cc-counter")).containsEntry("n", AttributeValue.fromN("5"));
        assertThat(get("cc-new")).isEmpty();
        assertThat(get("cc-taken")).containsEntry("owner", s("someone"));
    }

    @Test
    void aSingleItemWriteReturnsTheItemOnAFailedConditionWhenAsked() {
        db.putItem(p -> p.tableName(table).item(item("single-taken", "holder", "someone")));
        ConditionalCheckFailedException put = catchThrowableOfType(ConditionalCheckFailedException.class, () -> db.putItem(p -> p.tableName(table)
                .item(item("single-taken", "holder", "me")).conditionExpression("attribute_not_exists(pk)")
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)));
        assertThat(put.item()).containsEntry("holder", s("someone"));
        ConditionalCheckFailedException update = catchThrowableOfType(ConditionalCheckFailedException.class, () -> db.updateItem(u -> u.tableName(table)
                .key(key("single-taken")).updateExpression("SET holder = :me").conditionExpression("holder = :me")
                .expressionAttributeValues(Map.of(":me", s("me")))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)));
        assertThat(update.item()).containsEntry("holder", s("someone"));
        ConditionalCheckFailedException without = catchThrowableOfType(ConditionalCheckFailedException.class, () -> db.deleteItem(d -> d.tableName(table)
                .key(key("single-taken")).conditionExpression("attribute_not_exists(pk)")));
        assertThat(without.hasItem()).isFalse();
        assertThat(get("single-taken")).containsEntry("holder", s("someone"));
    }

    @Test
    void transactGetReadsEveryItemAtOnce() {
        db.putItem(p -> p.tableName(table).item(item("tg-1", "n", "1", "secret", "x")));
        var r = db.transactGetItems(t -> t.transactItems(
                g -> g.get(x -> x.tableName(table).key(key("tg-1")).projectionExpression("n")),
                g -> g.get(x -> x.tableName(table).key(key("tg-missing")))));
        assertThat(r.responses()).hasSize(2);
        assertThat(r.responses().get(0).item()).containsOnlyKeys("n");
        assertThat(r.responses().get(1).hasItem()).isFalse();
    }

    private static TransactWriteItem put(Map<String, AttributeValue> item, String condition) {
        return TransactWriteItem.builder().put(p -> p.tableName(table).item(item).conditionExpression(condition)).build();
    }

    private static Map<String, AttributeValue> get(String pk) {
        return db.getItem(g -> g.tableName(table).key(key(pk)).consistentRead(true)).item();
    }
}
