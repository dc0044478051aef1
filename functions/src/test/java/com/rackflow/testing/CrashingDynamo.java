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

import java.util.function.Predicate;

/**
 * A DynamoDB client that dies once, at an armed point: the process is gone before a write is sent, or right after
 * DynamoDB applied it (the function never learns it did). What a kill -9 leaves in the table, in-process.
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

    public CrashingDynamo(DynamoDbClient real) {
        this.real = real;
    }

    /** The next transaction dies before it is sent. */
    public void beforeNextTransaction() {
        armed = "beforeTransaction";
    }

    /** The next transaction is applied, then the caller dies. */
    public void afterNextTransaction() {
        armed = "afterTransaction";
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
        if ("beforeTransaction".equals(armed)) {
            armed = null;
            throw new Killed("before the transaction");
        }
        TransactWriteItemsResponse response = real.transactWriteItems(r);
        if ("afterTransaction".equals(armed)) {
            armed = null;
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
        return real.putItem(r);
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
