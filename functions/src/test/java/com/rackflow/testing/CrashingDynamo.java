package com.rackflow.testing;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * A DynamoDB client that dies once, at an armed point: the process is gone before a write is sent, or right after
 * DynamoDB applied it (the function never learns it did). What a kill -9 leaves in the table, in-process. It can also
 * let another writer's change land just before a conditional write of one record (a race lost on purpose).
 */
public final class CrashingDynamo implements DynamoDbClient {
    public static final class Killed extends SdkClientException {
        Killed(String where) {
            super(SdkClientException.builder().message("killed " + where));
        }
    }

    private final DynamoDbClient real;
    private volatile String armed;
    private volatile Predicate<PutItemRequest> putMatches;
    private volatile Predicate<TransactWriteItemsRequest> transactionMatches = r -> true;
    private final Map<String, Runnable> editsBefore = new ConcurrentHashMap<>();
    private volatile TransactWriteItemsRequest killed;

    public CrashingDynamo(DynamoDbClient real) {
        this.real = real;
    }

    /** The next transaction dies before it is sent. */
    public void beforeNextTransaction() {
        beforeTransaction(r -> true);
    }

    /** The next transaction is applied, then the caller dies. */
    public void afterNextTransaction() {
        afterTransaction(r -> true);
    }

    /** The next transaction that matches dies before it is sent. */
    public void beforeTransaction(Predicate<TransactWriteItemsRequest> matches) {
        transactionMatches = matches;
        armed = "beforeTransaction";
    }

    /** The next transaction that matches is applied, then the caller dies. */
    public void afterTransaction(Predicate<TransactWriteItemsRequest> matches) {
        transactionMatches = matches;
        armed = "afterTransaction";
    }

    /** {@code edit} runs just before the next conditional write of the record with partition key {@code pk}. */
    public void beforeNextWriteOf(String pk, Runnable edit) {
        editsBefore.put(pk, edit);
    }


    /** The transaction the crash happened at (before or after it was applied). */
    public TransactWriteItemsRequest killed() {
        return killed;
    }

    /** The keys ({@code pk | sk}) a transaction writes or checks. */
    public static java.util.List<String> keys(TransactWriteItemsRequest r) {
        return r.transactItems().stream().map(i -> {
            java.util.Map<String, AttributeValue> k = i.put() != null ? i.put().item() : i.update() != null ? i.update().key()
                    : i.delete() != null ? i.delete().key() : i.conditionCheck().key();
            return k.get("pk").s() + " | " + k.get("sk").s();
        }).toList();
    }

    /** Whether the transaction writes (or checks) an item of partition {@code pk} whose sort key starts with {@code skPrefix}. */
    public static Predicate<TransactWriteItemsRequest> writing(String pk, String skPrefix) {
        return r -> keys(r).stream().anyMatch(k -> k.startsWith(pk + " | " + skPrefix));
    }

    /** The next PutItem that matches dies before it is sent. */
    public void beforePut(Predicate<PutItemRequest> matches) {
        putMatches = matches;
        armed = "beforePut";
    }

    public boolean fired() {
        return armed == null;
    }

    @Override
    public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest r) {
        boolean matches = armed != null && armed.endsWith("Transaction") && transactionMatches.test(r);
        if (matches && "beforeTransaction".equals(armed)) {
            armed = null;
            killed = r;
            throw new Killed("before the transaction");
        }
        for (var i : r.transactItems()) {
            editFirst(i.put() == null || i.put().conditionExpression() == null ? null : i.put().item());
        }
        TransactWriteItemsResponse response = real.transactWriteItems(r);
        if (matches && "afterTransaction".equals(armed)) {
            armed = null;
            killed = r;
            throw new Killed("after the transaction");
        }
        return response;
    }

    @Override
    public PutItemResponse putItem(PutItemRequest r) {
        if ("beforePut".equals(armed) && putMatches.test(r)) {
            armed = null;
            throw new Killed("before a put");
        }
        editFirst(r.conditionExpression() == null ? null : r.item());
        return real.putItem(r);
    }

    private void editFirst(Map<String, AttributeValue> conditionallyWritten) {
        AttributeValue pk = conditionallyWritten == null ? null : conditionallyWritten.get("pk");
        Runnable edit = pk == null ? null : editsBefore.remove(pk.s());
        if (edit != null) {
            edit.run();
        }
    }

    public static boolean hasAttribute(PutItemRequest r, String name, String value) {
        AttributeValue v = r.item().get(name);
        return v != null && value.equals(v.s());
    }

    @Override
    public GetItemResponse getItem(GetItemRequest r) {
        return real.getItem(r);
    }

    @Override
    public software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse batchGetItem(
            software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest r) {
        return real.batchGetItem(r);
    }

    @Override
    public QueryResponse query(QueryRequest r) {
        return real.query(r);
    }

    @Override
    public DeleteItemResponse deleteItem(DeleteItemRequest r) {
        return real.deleteItem(r);
    }

    @Override
    public UpdateItemResponse updateItem(UpdateItemRequest r) {
        return real.updateItem(r);
    }

    @Override
    public String serviceName() {
        return real.serviceName();
    }

    @Override
    public void close() {
    }
}
