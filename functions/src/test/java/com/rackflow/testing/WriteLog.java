package com.rackflow.testing;

import com.rackflow.core.persistence.Table;
import com.rackflow.local.dynamodb.DynamoFront;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;

/**
 * Every request a table's client sends, as the SDK is about to send it (an execution interceptor on a real client of
 * the local DynamoDB, never a mock), and a fault to inject: a request matching {@link #failWhen} is not sent, as if
 * the process died at that moment.
 */
public final class WriteLog implements ExecutionInterceptor {
    private final List<SdkRequest> requests = Collections.synchronizedList(new ArrayList<>());
    private volatile Predicate<SdkRequest> fail = r -> false;
    private final List<SdkRequest> refused = Collections.synchronizedList(new ArrayList<>());

    /** The process "dies" instead of sending a matching request. */
    public static final class Crash extends RuntimeException {
        public Crash() {
            super("simulated crash before the request was sent");
        }
    }

    /** The same table as {@code base}, through a client that logs into {@code log}. */
    public static Table table(Table base, WriteLog log) {
        DynamoDbClient client = DynamoDbClient.builder().endpointOverride(DynamoFront.shared().endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.addExecutionInterceptor(log)).build();
        return new Table(client, base.name());
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (isWrite(context.request()) && fail.test(context.request())) {
            refused.add(context.request());
            throw new Crash();
        }
        requests.add(context.request());
    }

    public void failWhen(Predicate<SdkRequest> p) {
        fail = p;
    }

    public void clear() {
        requests.clear();
        refused.clear();
        fail = r -> false;
    }

    /** The writes the injected fault stopped since the last {@link #clear}. */
    public List<SdkRequest> refused() {
        synchronized (refused) {
            return List.copyOf(refused);
        }
    }

    /** The writes sent since the last {@link #clear}. */
    public List<SdkRequest> writes() {
        synchronized (requests) {
            return requests.stream().filter(WriteLog::isWrite).toList();
        }
    }

    /** The requests other than writes (GetItem, Query, BatchGetItem …) sent since the last {@link #clear}. */
    public List<SdkRequest> reads() {
        synchronized (requests) {
            return requests.stream().filter(r -> !isWrite(r)).toList();
        }
    }

    /** The writes other than counter increments (ADD on a {@code COUNTER#} item: a separate write where a gap is harmless). */
    public List<SdkRequest> writesBesidesCounters() {
        return writes().stream().filter(r -> !(r instanceof UpdateItemRequest u && u.key().get("pk").s().startsWith("COUNTER#"))).toList();
    }

    public static boolean isWrite(SdkRequest r) {
        return r instanceof PutItemRequest || r instanceof UpdateItemRequest || r instanceof DeleteItemRequest
                || r instanceof TransactWriteItemsRequest || r instanceof BatchWriteItemRequest;
    }

    /** The sort keys ({@code pk | sk}) a transaction writes. */
    public static List<String> keys(TransactWriteItemsRequest t) {
        return t.transactItems().stream().map(WriteLog::key).toList();
    }

    private static String key(TransactWriteItem i) {
        var k = i.put() != null ? i.put().item() : i.update() != null ? i.update().key()
                : i.delete() != null ? i.delete().key() : i.conditionCheck().key();
        return k.get("pk").s() + " | " + k.get("sk").s();
    }
}
