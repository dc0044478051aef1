package com.rackflow.bench;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The benchmark's independent count of capacity units, side by side with what the local DynamoDB billed: an SDK
 * interceptor (registered for the benchmark's JVM only, as a global interceptor on its class path) that, for every
 * DynamoDB call of the functions, reads the items the call touches straight from dynalite (before and after a write,
 * the items a Query evaluated) and applies DynamoDB's documented rules with its own item sizing: reads
 * {@code ceil(size / 4 KB)}, at least 1, half when eventually consistent, a Query's items summed and rounded once, a
 * BatchGetItem per key; writes {@code ceil(size / 1 KB)} of the larger image, at least 1, also when the condition
 * fails; a transaction twice per item, cancelled or not; each global secondary index entry added, changed (larger
 * image), moved (old + new) or removed once. The billed figure is the local DynamoDB's {@code x-rackflow-billed-capacity}
 * answer header (its ConsumedCapacity where an answer has no header). Inactive unless {@code BENCH_DYNALITE_ENDPOINT}
 * is set.
 */
public final class CapacityLedger implements ExecutionInterceptor {
    private static final String HEADER = "x-rackflow-billed-capacity";
    private static final ExecutionAttribute<List<Map<String, AttributeValue>>> BEFORE = new ExecutionAttribute<>("bench.before");
    private static final ThreadLocal<Boolean> SHADOW = ThreadLocal.withInitial(() -> false);
    /** billed read, billed write, independent read, independent write, calls, ms on the wire. */
    private static final double[] TOTALS = new double[6];
    private static final ExecutionAttribute<Long> SENT = new ExecutionAttribute<>("bench.sent");
    /** Per operation (GetItem, TransactWriteItems …): calls and milliseconds on the wire, since the last {@link #takeCalls}. */
    private static final Map<String, double[]> CALLS = new java.util.TreeMap<>();

    /** Calls and milliseconds per operation since the last call; resets them. */
    public static synchronized Map<String, double[]> takeCalls() {
        Map<String, double[]> v = new java.util.TreeMap<>(CALLS);
        CALLS.clear();
        return v;
    }
    private static final Map<String, TableDescription> TABLES = new ConcurrentHashMap<>();
    private static volatile DynamoDbClient shadow;

    /**
     * Since the last call: units billed read / write, independent read / write, the DynamoDB calls made and the
     * milliseconds between sending each and its answer (the ledger's own reads not included); resets them.
     */
    public static synchronized double[] take() {
        double[] v = TOTALS.clone();
        java.util.Arrays.fill(TOTALS, 0);
        return v;
    }

    public static boolean active() {
        return System.getenv("BENCH_DYNALITE_ENDPOINT") != null;
    }

    private static synchronized void add(int slot, double units) {
        TOTALS[slot] += units;
    }

    private static DynamoDbClient shadow() {
        if (shadow == null) {
            synchronized (CapacityLedger.class) {
                if (shadow == null) {
                    shadow = DynamoDbClient.builder().endpointOverride(URI.create(System.getenv("BENCH_DYNALITE_ENDPOINT")))
                            .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build();
                }
            }
        }
        return shadow;
    }

    private static boolean skip() {
        return !active() || SHADOW.get();
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (skip()) {
            return;
        }
        List<Map<String, AttributeValue>> before = new ArrayList<>();
        SdkRequest r = context.request();
        if (r instanceof PutItemRequest p) {
            before.add(read(p.tableName(), keyOf(p.tableName(), p.item())));
        } else if (r instanceof UpdateItemRequest u) {
            before.add(read(u.tableName(), u.key()));
        } else if (r instanceof DeleteItemRequest d) {
            before.add(read(d.tableName(), d.key()));
        } else if (r instanceof TransactWriteItemsRequest t) {
            for (TransactWriteItem w : t.transactItems()) {
                before.add(read(tableOf(w), keyOf(w)));
            }
        } else {
            return;
        }
        attributes.putAttribute(BEFORE, before);
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if (!skip()) {
            attributes.putAttribute(SENT, System.nanoTime());
        }
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        Long sent = attributes.getAttribute(SENT);
        if (!skip() && sent != null) {
            double ms = (System.nanoTime() - sent) / 1e6;
            add(4, 1);
            add(5, ms);
            String op = context.request().getClass().getSimpleName().replace("Request", "");
            synchronized (CapacityLedger.class) {
                double[] c = CALLS.computeIfAbsent(op, k -> new double[2]);
                c[0]++;
                c[1] += ms;
            }
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (skip()) {
            return;
        }
        billed(context.httpResponse(), context.response());
        SdkRequest r = context.request();
        List<Map<String, AttributeValue>> before = attributes.getAttribute(BEFORE);
        if (r instanceof GetItemRequest g) {
            Map<String, AttributeValue> item = ((GetItemResponse) context.response()).item();
            if (g.projectionExpression() != null && item != null && !item.isEmpty()) {
                item = read(g.tableName(), g.key());
            }
            add(2, readUnits(size(item), Boolean.TRUE.equals(g.consistentRead())));
        } else if (r instanceof BatchGetItemRequest b) {
            BatchGetItemResponse resp = (BatchGetItemResponse) context.response();
            b.requestItems().forEach((table, ka) -> {
                Map<Map<String, AttributeValue>, Map<String, AttributeValue>> found = new HashMap<>();
                for (Map<String, AttributeValue> i : resp.responses().getOrDefault(table, List.of())) {
                    found.put(keyOf(table, i), i);
                }
                var left = resp.unprocessedKeys().get(table);
                for (Map<String, AttributeValue> k : ka.keys()) {
                    if (left != null && left.keys().contains(k)) {
                        continue;
                    }
                    Map<String, AttributeValue> item = ka.projectionExpression() != null ? read(table, k) : found.get(k);
                    add(2, readUnits(size(item), Boolean.TRUE.equals(ka.consistentRead())));
                }
            });
        } else if (r instanceof QueryRequest q) {
            QueryResponse resp = (QueryResponse) context.response();
            List<Map<String, AttributeValue>> evaluated = resp.items();
            if (q.filterExpression() != null || q.projectionExpression() != null || q.select() != null) {
                evaluated = evaluated(q, resp.scannedCount());
            }
            long bytes = 0;
            for (Map<String, AttributeValue> i : evaluated) {
                bytes += size(i);
            }
            add(2, readUnits(bytes, q.indexName() == null && Boolean.TRUE.equals(q.consistentRead())));
        } else if (r instanceof PutItemRequest p) {
            add(3, write(p.tableName(), before.get(0), p.item()));
        } else if (r instanceof UpdateItemRequest u) {
            add(3, write(u.tableName(), before.get(0), read(u.tableName(), u.key())));
        } else if (r instanceof DeleteItemRequest d) {
            add(3, write(d.tableName(), before.get(0), null));
        } else if (r instanceof TransactWriteItemsRequest t) {
            for (int i = 0; i < t.transactItems().size(); i++) {
                TransactWriteItem w = t.transactItems().get(i);
                String table = tableOf(w);
                Map<String, AttributeValue> was = before.get(i);
                if (w.conditionCheck() != null) {
                    add(3, 2 * writeUnits(size(was)));
                    continue;
                }
                Map<String, AttributeValue> now = w.put() != null ? w.put().item() : w.delete() != null ? null : read(table, keyOf(w));
                add(3, 2 * writeUnits(Math.max(size(was), size(now))) + indexWrites(table, was, now));
            }
        }
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        if (skip()) {
            return;
        }
        context.httpResponse().ifPresent(h -> billed(h, null));
        List<Map<String, AttributeValue>> before = attributes.getAttribute(BEFORE);
        SdkRequest r = context.request();
        Throwable e = context.exception();
        if (e instanceof ConditionalCheckFailedException) {
            Map<String, AttributeValue> attempted = r instanceof PutItemRequest p ? p.item() : null;
            add(3, writeUnits(Math.max(size(before.get(0)), size(attempted))));
        } else if (e instanceof TransactionCanceledException && r instanceof TransactWriteItemsRequest t) {
            for (int i = 0; i < t.transactItems().size(); i++) {
                TransactWriteItem w = t.transactItems().get(i);
                add(3, 2 * writeUnits(Math.max(size(before.get(i)), size(w.put() != null ? w.put().item() : null))));
            }
        }
    }

    private static void billed(SdkHttpResponse http, Object response) {
        var header = http.firstMatchingHeader(HEADER);
        if (header.isPresent()) {
            for (String part : header.get().split(";")) {
                String[] kv = part.split("=");
                add(kv[0].equals("read") ? 0 : 1, Double.parseDouble(kv[1]));
            }
            return;
        }
        // no header: the local DynamoDB passed the call through; take its ConsumedCapacity as billed
        List<ConsumedCapacity> capacities = new ArrayList<>();
        if (response instanceof software.amazon.awssdk.services.dynamodb.model.DynamoDbResponse d) {
            d.getValueForField("ConsumedCapacity", Object.class).ifPresent(c -> {
                if (c instanceof ConsumedCapacity one) {
                    capacities.add(one);
                } else if (c instanceof List<?> many) {
                    many.forEach(x -> capacities.add((ConsumedCapacity) x));
                }
            });
        }
        for (ConsumedCapacity c : capacities) {
            add(c.writeCapacityUnits() != null && c.writeCapacityUnits() > 0 ? 1 : 0, c.capacityUnits() == null ? 0 : c.capacityUnits());
        }
    }

    // ------------------------------------------------------------- the documented rules

    static double readUnits(long bytes, boolean consistent) {
        long blocks = Math.max(1, (bytes + 4095) / 4096);
        return consistent ? blocks : blocks / 2.0;
    }

    static double writeUnits(long bytes) {
        return Math.max(1, (bytes + 1023) / 1024);
    }

    /** A single-item write: the larger image on the table, plus its index writes. */
    private static double write(String table, Map<String, AttributeValue> before, Map<String, AttributeValue> after) {
        return writeUnits(Math.max(size(before), size(after))) + indexWrites(table, before, after);
    }

    /** Every GSI (ALL projection: the entry is the item) whose entry the write adds, changes, moves or removes. */
    private static double indexWrites(String table, Map<String, AttributeValue> before, Map<String, AttributeValue> after) {
        double units = 0;
        TableDescription d = describe(table);
        if (!d.hasGlobalSecondaryIndexes()) {
            return 0;
        }
        for (GlobalSecondaryIndexDescription g : d.globalSecondaryIndexes()) {
            List<String> keys = g.keySchema().stream().map(KeySchemaElement::attributeName).toList();
            boolean was = before != null && keys.stream().allMatch(before::containsKey);
            boolean is = after != null && keys.stream().allMatch(after::containsKey);
            if (was && is) {
                boolean moved = keys.stream().anyMatch(k -> !before.get(k).equals(after.get(k)));
                if (moved) {
                    units += writeUnits(size(before)) + writeUnits(size(after));
                } else if (!before.equals(after)) {
                    units += Math.max(writeUnits(size(before)), writeUnits(size(after)));
                }
            } else if (was) {
                units += writeUnits(size(before));
            } else if (is) {
                units += writeUnits(size(after));
            }
        }
        return units;
    }

    /** The items a Query evaluated before its filter: the same page asked again without filter or projection. */
    private static List<Map<String, AttributeValue>> evaluated(QueryRequest q, Integer scanned) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        String condition = q.keyConditionExpression();
        if (q.hasExpressionAttributeNames()) {
            q.expressionAttributeNames().forEach((k, v) -> {
                if (condition.contains(k)) {
                    names.put(k, v);
                }
            });
        }
        if (q.hasExpressionAttributeValues()) {
            q.expressionAttributeValues().forEach((k, v) -> {
                if (condition.contains(k)) {
                    values.put(k, v);
                }
            });
        }
        QueryRequest plain = QueryRequest.builder().tableName(q.tableName()).indexName(q.indexName()).keyConditionExpression(condition)
                .expressionAttributeNames(names.isEmpty() ? null : names).expressionAttributeValues(values.isEmpty() ? null : values)
                .scanIndexForward(q.scanIndexForward()).exclusiveStartKey(q.hasExclusiveStartKey() ? q.exclusiveStartKey() : null)
                .limit(scanned != null && scanned > 0 ? scanned : q.limit()).consistentRead(q.consistentRead()).build();
        SHADOW.set(true);
        try {
            if (scanned != null && scanned == 0) {
                return List.of();
            }
            return shadow().query(plain).items();
        } finally {
            SHADOW.set(false);
        }
    }

    // ------------------------------------------------------------- items, read from dynalite itself

    private static Map<String, AttributeValue> read(String table, Map<String, AttributeValue> key) {
        SHADOW.set(true);
        try {
            var item = shadow().getItem(g -> g.tableName(table).key(key).consistentRead(true)).item();
            return item == null || item.isEmpty() ? null : item;
        } finally {
            SHADOW.set(false);
        }
    }

    private static TableDescription describe(String table) {
        return TABLES.computeIfAbsent(table, t -> {
            SHADOW.set(true);
            try {
                return shadow().describeTable(d -> d.tableName(t)).table();
            } finally {
                SHADOW.set(false);
            }
        });
    }

    private static Map<String, AttributeValue> keyOf(String table, Map<String, AttributeValue> item) {
        Map<String, AttributeValue> key = new HashMap<>();
        for (KeySchemaElement k : describe(table).keySchema()) {
            key.put(k.attributeName(), item.get(k.attributeName()));
        }
        return key;
    }

    private static String tableOf(TransactWriteItem w) {
        return w.put() != null ? w.put().tableName() : w.update() != null ? w.update().tableName()
                : w.delete() != null ? w.delete().tableName() : w.conditionCheck().tableName();
    }

    private static Map<String, AttributeValue> keyOf(TransactWriteItem w) {
        return w.put() != null ? keyOf(w.put().tableName(), w.put().item()) : w.update() != null ? w.update().key()
                : w.delete() != null ? w.delete().key() : w.conditionCheck().key();
    }

    /** An item's size as DynamoDB documents it: names and values in UTF-8, numbers by significant digits. */
    static long size(Map<String, AttributeValue> item) {
        if (item == null) {
            return 0;
        }
        long n = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            n += utf8(e.getKey()) + size(e.getValue());
        }
        return n;
    }

    private static long size(AttributeValue v) {
        switch (v.type()) {
            case S:
                return utf8(v.s());
            case N:
                return number(v.n());
            case B:
                return v.b().asByteArray().length;
            case SS:
                return v.ss().stream().mapToLong(CapacityLedger::utf8).sum();
            case NS:
                return v.ns().stream().mapToLong(CapacityLedger::number).sum();
            case BS:
                return v.bs().stream().mapToLong(b -> b.asByteArray().length).sum();
            case L: {
                long n = 3;
                for (AttributeValue x : v.l()) {
                    n += 1 + size(x);
                }
                return n;
            }
            case M:
                return 3 + v.m().size() + size(v.m());
            default: // BOOL, NULL
                return 1;
        }
    }

    private static long utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** About one byte per two significant digits, plus one (and one for a negative number). */
    private static long number(String n) {
        BigDecimal d = new BigDecimal(n).stripTrailingZeros();
        if (d.signum() == 0) {
            return 1;
        }
        return 1 + (d.precision() + 1) / 2 + (d.signum() < 0 ? 1 : 0);
    }
}
