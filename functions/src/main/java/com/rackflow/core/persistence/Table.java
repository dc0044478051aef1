package com.rackflow.core.persistence;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import java.util.HashMap;

import static software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity.INDEXES;
import static software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity.TOTAL;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The persistence helpers over the single table (key scheme: docs/keys.md, builders in {@link Keys}).
 * Only key lookups and Queries: nothing here scans. A write of more than one item is a {@link UnitOfWork}
 * (one transaction); the single-item writes here are for items that stand alone (job runs, reminders, snapshots).
 */
public final class Table {
    /** Capacity units consumed by the current request's calls on this thread (logged per request, read by the benchmark). */
    private static final ThreadLocal<double[]> CONSUMED = ThreadLocal.withInitial(() -> new double[1]);

    private final DynamoDbClient client;
    private final String name;

    public Table(DynamoDbClient client, String name) {
        this.client = client;
        this.name = name;
    }

    /** Capacity units consumed on this thread since the last call; resets the count. */
    public static double takeConsumedCapacity() {
        double[] c = CONSUMED.get();
        double v = c[0];
        c[0] = 0;
        return v;
    }

    /** Capacity units consumed on this thread since the last {@link #takeConsumedCapacity}. */
    public static double consumedCapacity() {
        return CONSUMED.get()[0];
    }

    /**
     * Write units consumed on this thread: [0] the table's, [1] with its indexes', [2] the table's in transactions (the
     * benchmark reads them).
     */
    private static final ThreadLocal<double[]> WRITES = ThreadLocal.withInitial(() -> new double[3]);

    /**
     * Write units consumed on this thread since the last call, the table's own (a transaction: two per item and KB)
     * and with the index writes; resets the count.
     */
    public static double[] takeWriteCapacity() {
        double[] c = WRITES.get();
        double[] v = c.clone();
        java.util.Arrays.fill(c, 0);
        return v;
    }

    private static void countWrite(software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity cc) {
        count(cc);
        if (cc != null && cc.capacityUnits() != null) {
            WRITES.get()[0] += cc.table() != null && cc.table().capacityUnits() != null ? cc.table().capacityUnits() : cc.capacityUnits();
            WRITES.get()[1] += cc.capacityUnits();
        }
    }

    private static void count(software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity cc) {
        if (cc != null && cc.capacityUnits() != null) {
            CONSUMED.get()[0] += cc.capacityUnits();
        }
    }

    public String name() {
        return name;
    }

    public DynamoDbClient client() {
        return client;
    }

    /** DynamoDB's key size limits (UTF-8 bytes): a longer key names no item, so asking for it is not an error. */
    private static final int MAX_PARTITION_KEY_BYTES = 2048;
    private static final int MAX_SORT_KEY_BYTES = 1024;

    /** How a GetItem reads: STRONG (the latest write, one unit per 4 KB) or EVENTUAL (half the units). */
    public enum Read {
        /** For a read that decides a write (or answers with what a write just changed). */
        STRONG,
        /** For what is only shown, never for a read that decides a write: half the read units. */
        EVENTUAL
    }

    /** A strongly consistent GetItem. */
    public Optional<Map<String, AttributeValue>> get(Key key) {
        return get(key, Read.STRONG);
    }

    /** Reads on this thread that are strongly consistent whatever they ask (see {@link #readingStrongly}). */
    private static final ThreadLocal<Boolean> STRONG_ONLY = ThreadLocal.withInitial(() -> false);

    /**
     * Runs {@code body} with every read of this thread strongly consistent: an idempotent replay answers with the
     * record its create wrote moments ago through the same code a GET uses, and must not miss it.
     */
    public static <T> T readingStrongly(java.util.function.Supplier<T> body) {
        boolean outer = STRONG_ONLY.get();
        STRONG_ONLY.set(true);
        try {
            return body.get();
        } finally {
            STRONG_ONLY.set(outer);
        }
    }

    public Optional<Map<String, AttributeValue>> get(Key key, Read read) {
        if (key.pk().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_PARTITION_KEY_BYTES
                || key.sk().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_SORT_KEY_BYTES) {
            return Optional.empty();
        }
        var r = client.getItem(GetItemRequest.builder().tableName(name).returnConsumedCapacity(TOTAL)
                .key(key.toMap()).consistentRead(read == Read.STRONG || STRONG_ONLY.get()).build());
        count(r.consumedCapacity());
        Map<String, AttributeValue> item = r.item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    /**
     * Many items by key (BatchGetItem, 100 keys a call, strongly consistent; what DynamoDB leaves unprocessed is asked
     * again): the items found, by key.
     */
    public Map<Key, Map<String, AttributeValue>> getAll(java.util.Collection<Key> keys) {
        Map<Key, Map<String, AttributeValue>> found = new HashMap<>();
        List<Key> all = new java.util.ArrayList<>(new java.util.LinkedHashSet<>(keys));
        for (int from = 0; from < all.size(); from += 100) {
            List<Map<String, AttributeValue>> ask = all.subList(from, Math.min(all.size(), from + 100)).stream()
                    .map(Key::toMap).toList();
            for (int attempt = 0; !ask.isEmpty(); attempt++) {
                if (attempt > 0) {
                    sleepBackoff(attempt);
                }
                var r = client.batchGetItem(software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest.builder()
                        .requestItems(Map.of(name, software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes.builder()
                                .keys(ask).consistentRead(true).build()))
                        .returnConsumedCapacity(TOTAL).build());
                if (r.hasConsumedCapacity()) {
                    r.consumedCapacity().forEach(Table::count);
                }
                r.responses().getOrDefault(name, List.of())
                        .forEach(i -> found.put(new Key(i.get("pk").s(), i.get("sk").s()), i));
                var left = r.unprocessedKeys().get(name);
                ask = left == null ? List.of() : left.keys();
            }
        }
        return found;
    }

    private static void sleepBackoff(int attempt) {
        try {
            Thread.sleep(Math.min(1000, 20L << attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public void put(Map<String, AttributeValue> item) {
        countWrite(client.putItem(PutItemRequest.builder().tableName(name).item(item).returnConsumedCapacity(INDEXES).build()).consumedCapacity());
    }

    /** Writes the item only if no item has its key; false when one exists. */
    public boolean putIfAbsent(Map<String, AttributeValue> item) {
        try {
            put(PutItemRequest.builder().tableName(name).item(item)
                    .conditionExpression("attribute_not_exists(pk)").build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** Replaces the item only if its stored version is {@code expectedVersion}; false on a stale version. */
    public boolean putIfVersion(Map<String, AttributeValue> item, long expectedVersion) {
        try {
            put(PutItemRequest.builder().tableName(name).item(item)
                    .conditionExpression("#v = :expected")
                    .expressionAttributeNames(Map.of("#v", "version"))
                    .expressionAttributeValues(Map.of(":expected", Items.n(expectedVersion))).build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** Writes the item only if the stored attribute has the given string value; false otherwise. */
    public boolean putIfAttributeEquals(Map<String, AttributeValue> item, String attribute, String expected) {
        try {
            put(PutItemRequest.builder().tableName(name).item(item)
                    .conditionExpression("#a = :expected")
                    .expressionAttributeNames(Map.of("#a", attribute))
                    .expressionAttributeValues(Map.of(":expected", Items.s(expected))).build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** Writes the item only if {@code condition} holds for the stored one (or its absence); false otherwise. */
    public boolean putIf(Map<String, AttributeValue> item, String condition, Map<String, String> names,
                         Map<String, AttributeValue> values) {
        try {
            put(PutItemRequest.builder().tableName(name).item(item).conditionExpression(condition)
                    .expressionAttributeNames(names).expressionAttributeValues(values).build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private void put(PutItemRequest request) {
        countWrite(client.putItem(request.toBuilder().returnConsumedCapacity(INDEXES).build()).consumedCapacity());
    }

    public void delete(Key key) {
        countWrite(client.deleteItem(DeleteItemRequest.builder().tableName(name).key(key.toMap()).returnConsumedCapacity(INDEXES).build()).consumedCapacity());
    }

    /** Deletes the item only if the attribute still has the given value (e.g. a guard still pointing at us). */
    public boolean deleteIfAttributeEquals(Key key, String attribute, String expected) {
        try {
            countWrite(client.deleteItem(DeleteItemRequest.builder().tableName(name).key(key.toMap())
                    .conditionExpression("#a = :expected").returnConsumedCapacity(INDEXES)
                    .expressionAttributeNames(Map.of("#a", attribute))
                    .expressionAttributeValues(Map.of(":expected", Items.s(expected))).build()).consumedCapacity());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** Atomically adds one to a counter item and returns the new value (sequence numbers; gaps possible, reuse never). */
    public long increment(Key key) {
        var r = client.updateItem(UpdateItemRequest.builder().tableName(name).returnConsumedCapacity(INDEXES)
                .key(key.toMap())
                .updateExpression("ADD #v :one")
                .expressionAttributeNames(Map.of("#v", "value"))
                .expressionAttributeValues(Map.of(":one", Items.n(1)))
                .returnValues(ReturnValue.UPDATED_NEW).build());
        countWrite(r.consumedCapacity());
        Map<String, AttributeValue> attrs = r.attributes();
        return Long.parseLong(attrs.get("value").n());
    }

    /** The one place a transaction is sent (by {@link UnitOfWork}); its capacity is counted like every call's. */
    void transactWrite(TransactWriteItemsRequest request) {
        var r = client.transactWriteItems(request.toBuilder().returnConsumedCapacity(INDEXES).build());
        if (r.hasConsumedCapacity()) {
            r.consumedCapacity().forEach(cc -> {
                double[] before = WRITES.get().clone();
                countWrite(cc);
                WRITES.get()[2] += WRITES.get()[0] - before[0];
            });
        }
    }

    /**
     * A unit of work of one item, sent as the plain conditional write (as atomic, half the write units of a
     * transaction); a failed condition is answered by {@code failure} from the item as it is.
     */
    void writeOne(TransactWriteItem w, java.util.function.Function<Map<String, AttributeValue>, RuntimeException> failure) {
        try {
            if (w.put() != null) {
                var p = w.put();
                countWrite(client.putItem(PutItemRequest.builder().tableName(p.tableName()).item(p.item())
                        .conditionExpression(p.conditionExpression())
                        .expressionAttributeNames(p.hasExpressionAttributeNames() ? p.expressionAttributeNames() : null)
                        .expressionAttributeValues(p.hasExpressionAttributeValues() ? p.expressionAttributeValues() : null)
                        .returnValuesOnConditionCheckFailure(p.returnValuesOnConditionCheckFailureAsString())
                        .returnConsumedCapacity(INDEXES).build()).consumedCapacity());
            } else if (w.update() != null) {
                var u = w.update();
                countWrite(client.updateItem(UpdateItemRequest.builder().tableName(u.tableName()).key(u.key())
                        .updateExpression(u.updateExpression()).conditionExpression(u.conditionExpression())
                        .expressionAttributeNames(u.hasExpressionAttributeNames() ? u.expressionAttributeNames() : null)
                        .expressionAttributeValues(u.hasExpressionAttributeValues() ? u.expressionAttributeValues() : null)
                        .returnValuesOnConditionCheckFailure(u.returnValuesOnConditionCheckFailureAsString())
                        .returnConsumedCapacity(INDEXES).build()).consumedCapacity());
            } else if (w.delete() != null) {
                var d = w.delete();
                countWrite(client.deleteItem(DeleteItemRequest.builder().tableName(d.tableName()).key(d.key())
                        .conditionExpression(d.conditionExpression())
                        .expressionAttributeNames(d.hasExpressionAttributeNames() ? d.expressionAttributeNames() : null)
                        .expressionAttributeValues(d.hasExpressionAttributeValues() ? d.expressionAttributeValues() : null)
                        .returnValuesOnConditionCheckFailure(d.returnValuesOnConditionCheckFailureAsString())
                        .returnConsumedCapacity(INDEXES).build()).consumedCapacity());
            } else {
                transactWrite(TransactWriteItemsRequest.builder().transactItems(w).build());
            }
        } catch (ConditionalCheckFailedException e) {
            RuntimeException answer = failure.apply(e.hasItem() ? e.item() : Map.of());
            throw answer != null ? answer : e;
        }
    }

    /** Who holds a unique value, if anyone. */
    public Optional<String> holder(Guard guard) {
        return get(guard.key()).map(i -> i.get("holderId").s());
    }

    /** One page of a Query on the table or a GSI. */
    public QueryResponse query(KeyQuery q, Map<String, AttributeValue> startKey, int limit) {
        Map<String, String> names = new HashMap<>(q.filterNames());
        Map<String, AttributeValue> values = new HashMap<>(q.filterValues());
        names.put("#pk", q.partitionAttribute());
        values.put(":pk", Items.s(q.partitionValue()));
        String condition = "#pk = :pk";
        if (q.sortPrefix() != null) {
            names.put("#sk", q.sortAttribute());
            values.put(":skp", Items.s(q.sortPrefix()));
            condition += " AND begins_with(#sk, :skp)";
        } else if (q.sortFrom() != null && q.sortTo() != null) {
            names.put("#sk", q.sortAttribute());
            values.put(":skfrom", Items.s(q.sortFrom()));
            values.put(":skto", Items.s(q.sortTo()));
            condition += " AND #sk BETWEEN :skfrom AND :skto";
        }
        QueryRequest.Builder b = QueryRequest.builder().tableName(name)
                .keyConditionExpression(condition)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .scanIndexForward(q.ascending())
                .limit(limit);
        if (q.index() != null) {
            b.indexName(q.index());
        } else {
            b.consistentRead(q.consistent() || STRONG_ONLY.get());
        }
        if (q.filter() != null) {
            b.filterExpression(q.filter());
        }
        if (startKey != null && !startKey.isEmpty()) {
            b.exclusiveStartKey(startKey);
        }
        QueryResponse r = client.query(b.returnConsumedCapacity(TOTAL).build());
        count(r.consumedCapacity());
        return r;
    }

    /** All items of a Query (for bounded partitions such as one record's history or one owner's records). */
    public List<Map<String, AttributeValue>> queryAll(KeyQuery q) {
        List<Map<String, AttributeValue>> out = new java.util.ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse r = query(q, start, 500);
            out.addAll(r.items());
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }
}
