package com.rackflow.local.dynamodb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.local.dynalite.Dynalite;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The local DynamoDB endpoint: every operation goes through to dynalite unchanged, except TransactWriteItems and
 * TransactGetItems, which this front runs itself (see {@link Transactions}). Transactions take the exclusive side of
 * a read-write lock and every other operation the shared side, so no operation sees half a transaction.
 */
public final class DynamoFront implements AutoCloseable {
    static {
        // the JDK's HttpServer writes headers and body in separate segments; with Nagle on, each answer then waits
        // for the client's delayed ACK (~40 ms). Read once, when the first HttpServer of the JVM is made.
        System.getProperties().putIfAbsent("sun.net.httpserver.nodelay", "true");
    }

    private static final String TARGET_PREFIX = "DynamoDB_20120810.";
    private static final String JSON_10 = "application/x-amz-json-1.0";
    private static final java.util.Set<String> TABLE_CHANGES = java.util.Set.of("CreateTable", "DeleteTable", "UpdateTable");
    private static final java.util.Set<String> SINGLE_ITEM_WRITES = java.util.Set.of("PutItem", "UpdateItem", "DeleteItem");
    /** Operations billed here rather than as dynalite counts (see {@link #billed}). */
    private static final java.util.Set<String> BILLED = java.util.Set.of("PutItem", "UpdateItem", "DeleteItem", "GetItem", "Query", "BatchGetItem");
    private static volatile DynamoFront shared;

    private final HttpServer server;
    private final ExecutorService threads;
    private final DynaliteHttp dynalite;
    private final TableSchemas schemas;
    private final Transactions transactions;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock(true);
    private final Dynalite ownDynalite;

    private DynamoFront(URI dynaliteEndpoint, int port, Path journalDir, Dynalite ownDynalite) {
        this.ownDynalite = ownDynalite;
        this.dynalite = new DynaliteHttp(dynaliteEndpoint);
        this.schemas = new TableSchemas(dynalite);
        ClientTokens tokens = new ClientTokens(journalDir, System::currentTimeMillis);
        this.transactions = new Transactions(dynalite, schemas, new Journal(journalDir), tokens, lock.writeLock());
        transactions.recover();
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " is already in use; stop what uses it or choose another port", e);
        }
        threads = Executors.newFixedThreadPool(32, r -> {
            Thread t = new Thread(r, "dynamodb-front");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    /** One front per JVM over {@link Dynalite#shared()}, for test suites (in memory, no journal). */
    public static synchronized DynamoFront shared() {
        URI dynaliteEndpoint = Dynalite.shared().endpoint();
        if (shared == null || !shared.dynalite.endpoint().equals(dynaliteEndpoint)) {
            if (shared != null) {
                shared.close();
            }
            shared = start(dynaliteEndpoint, 0, null);
        }
        return shared;
    }

    /**
     * Starts a front on {@code port} (0: any free port) for the dynalite at {@code dynaliteEndpoint}. With a journal
     * folder, transactions a killed process left half-applied are rolled back before the port opens.
     */
    public static DynamoFront start(URI dynaliteEndpoint, int port, Path journalDirOrNull) {
        return new DynamoFront(dynaliteEndpoint, port, journalDirOrNull, null);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ownDynalite != null) {
            ownDynalite.close();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String operation = target != null && target.startsWith(TARGET_PREFIX) ? target.substring(TARGET_PREFIX.length()) : "";
            try {
                switch (operation) {
                    case "TransactWriteItems" -> {
                        Transactions.Written w = transactions.write(parse(body));
                        exchange.getResponseHeaders().set(Billing.HEADER, "read=0;write=" + w.billedWriteUnits());
                        answer(exchange, 200, w.body());
                    }
                    case "TransactGetItems" -> answer(exchange, 200, transactions.get(parse(body)));
                    default -> passThrough(exchange, operation, body);
                }
            } catch (DynamoError e) {
                if (e.billed() != null) {
                    exchange.getResponseHeaders().set(Billing.HEADER, e.billed());
                }
                answer(exchange, e.status(), e.body());
            } catch (RuntimeException e) {
                answer(exchange, 500, new DynamoError(500, "InternalServerError", String.valueOf(e.getMessage())).body());
            }
        }
    }

    private void passThrough(HttpExchange exchange, String operation, byte[] body) throws IOException {
        transactions.settleBeforeOthers();
        if (BILLED.contains(operation) && new String(body, java.nio.charset.StandardCharsets.UTF_8).contains("ReturnConsumedCapacity")) {
            JsonNode request = parse(body);
            String level = request.path("ReturnConsumedCapacity").asText("NONE");
            if (level.equals("TOTAL") || level.equals("INDEXES")) {
                billed(exchange, operation, request, level, body);
                return;
            }
        }
        JsonNode oldItemOnFailure = wantsOldItemOnFailure(operation, body);
        if (oldItemOnFailure != null) {
            answerWithOldItem(exchange, operation, oldItemOnFailure, body);
            return;
        }
        DynaliteHttp.Raw raw;
        lock.readLock().lock();
        try {
            raw = dynalite.forward(exchange.getRequestHeaders(), body);
        } finally {
            lock.readLock().unlock();
        }
        if (TABLE_CHANGES.contains(operation)) {
            schemas.forget(null);
        }
        for (String h : List.of("Content-Type", "x-amzn-RequestId", "x-amz-crc32")) {
            raw.headers().firstValue(h).ifPresent(v -> exchange.getResponseHeaders().set(h, v));
        }
        send(exchange, raw.status(), raw.body());
    }

    /**
     * A read or single-item write asking for its ConsumedCapacity: run through dynalite, then billed as DynamoDB bills
     * it ({@link Billing}; dynalite counts string sizes in UTF-16 units, leaves out index writes and charges nothing for
     * an empty Query), the ConsumedCapacity replaced and the units put in {@link Billing#HEADER}, also for a failed
     * conditional write. A write runs under the exclusive lock, so that the items read before and after it are the ones
     * it changed.
     */
    private void billed(HttpExchange exchange, String operation, JsonNode request, String level, byte[] body) throws IOException {
        boolean write = SINGLE_ITEM_WRITES.contains(operation);
        java.util.concurrent.locks.Lock held = write ? lock.writeLock() : lock.readLock();
        held.lock();
        try {
            if (operation.equals("BatchGetItem")) {
                DynaliteHttp.Raw raw = dynalite.forward(exchange.getRequestHeaders(), body);
                JsonNode parsed = raw.body().length == 0 ? null : DynaliteHttp.JSON.readTree(raw.body());
                if (raw.status() != 200 || !(parsed instanceof ObjectNode answer)) {
                    send(exchange, raw.status(), raw.body());
                    return;
                }
                Billing bill = batchGetBill(request, answer);
                bill.report(answer, level, true);
                exchange.getResponseHeaders().set(Billing.HEADER, bill.header());
                answer(exchange, 200, answer);
                return;
            }
            String table = request.path("TableName").asText();
            TableSchemas.Schema schema = schemas.of(table);
            ObjectNode key = write ? (operation.equals("PutItem") ? schema.keyOf(request.path("Item")) : (ObjectNode) request.get("Key")) : null;
            JsonNode before = write ? fullItem(table, key) : null;
            DynaliteHttp.Raw raw = dynalite.forward(exchange.getRequestHeaders(), body);
            JsonNode parsed = raw.body().length == 0 ? null : DynaliteHttp.JSON.readTree(raw.body());
            if (!(parsed instanceof ObjectNode answer)) {
                send(exchange, raw.status(), raw.body());
                return;
            }
            Billing bill;
            if (raw.status() == 200) {
                bill = write ? writeBill(operation, request, table, schema, key, before)
                        : operation.equals("GetItem") ? getBill(request, table, answer) : queryBill(request, table, answer);
                bill.report(answer, level, false);
            } else if (write && answer.path("__type").asText().endsWith("#ConditionalCheckFailedException")) {
                JsonNode attempted = operation.equals("PutItem") ? request.get("Item") : null;
                bill = Billing.writes().table(table, Billing.writeUnits(Billing.sizeOfLarger(before, attempted)));
                if ("ALL_OLD".equals(request.path("ReturnValuesOnConditionCheckFailure").asText()) && before != null) {
                    answer.set("Item", before);
                }
            } else {
                send(exchange, raw.status(), raw.body());
                return;
            }
            exchange.getResponseHeaders().set(Billing.HEADER, bill.header());
            answer(exchange, raw.status(), answer);
        } finally {
            held.unlock();
        }
    }

    private Billing writeBill(String operation, JsonNode request, String table, TableSchemas.Schema schema, ObjectNode key, JsonNode before) {
        JsonNode after = switch (operation) {
            case "PutItem" -> request.get("Item");
            case "DeleteItem" -> null;
            default -> fullItem(table, key);
        };
        return Billing.writes().table(table, Billing.writeUnits(Billing.sizeOfLarger(before, after)))
                .indexWrites(table, schema, before, after);
    }

    /** A GetItem costs the whole item's size, whatever its projection returned. */
    private Billing getBill(JsonNode request, String table, ObjectNode answer) {
        JsonNode item = answer.get("Item");
        if (item != null && (request.has("ProjectionExpression") || request.has("AttributesToGet"))) {
            item = fullItem(table, (ObjectNode) request.get("Key"));
        }
        return Billing.reads().table(table, Billing.readUnits(ItemSize.of(item), request.path("ConsistentRead").asBoolean(false)));
    }

    /**
     * A Query costs the summed size of the items it evaluated (before a filter; whole items, whatever the projection),
     * rounded up to 4 KB once. When a filter dropped items or a projection cut them, the same page is read again without
     * them to size what was evaluated.
     */
    private Billing queryBill(JsonNode request, String table, ObjectNode answer) {
        JsonNode items = answer.path("Items");
        boolean cut = request.has("ProjectionExpression") || request.has("AttributesToGet") || request.has("Select");
        if (cut || answer.path("ScannedCount").asInt() != answer.path("Count").asInt()) {
            ObjectNode again = DynaliteHttp.JSON.createObjectNode();
            for (String f : List.of("TableName", "IndexName", "KeyConditionExpression", "KeyConditions", "ScanIndexForward",
                    "ExclusiveStartKey", "Limit", "ConsistentRead")) {
                if (request.has(f)) {
                    again.set(f, request.get(f));
                }
            }
            String condition = request.path("KeyConditionExpression").asText("");
            ObjectNode names = DynaliteHttp.JSON.createObjectNode();
            request.path("ExpressionAttributeNames").fields().forEachRemaining(e -> {
                if (condition.contains(e.getKey())) {
                    names.set(e.getKey(), e.getValue());
                }
            });
            ObjectNode values = DynaliteHttp.JSON.createObjectNode();
            request.path("ExpressionAttributeValues").fields().forEachRemaining(e -> {
                if (condition.contains(e.getKey())) {
                    values.set(e.getKey(), e.getValue());
                }
            });
            if (!names.isEmpty()) {
                again.set("ExpressionAttributeNames", names);
            }
            if (!values.isEmpty()) {
                again.set("ExpressionAttributeValues", values);
            }
            items = dynalite.require("Query", again).path("Items");
        }
        long bytes = 0;
        for (JsonNode i : items) {
            bytes += ItemSize.of(i);
        }
        String index = request.path("IndexName").asText(null);
        double units = Billing.readUnits(bytes, index == null && request.path("ConsistentRead").asBoolean(false));
        return index == null ? Billing.reads().table(table, units) : Billing.reads().table(table, 0).index(table, index, units);
    }

    /**
     * A BatchGetItem is billed as a GetItem per key it processed: the whole item's size, the minimum for a key that
     * names no item.
     */
    private Billing batchGetBill(JsonNode request, ObjectNode answer) {
        Billing bill = Billing.reads();
        request.path("RequestItems").fields().forEachRemaining(e -> {
            String table = e.getKey();
            TableSchemas.Schema schema = schemas.of(table);
            boolean consistent = e.getValue().path("ConsistentRead").asBoolean(false);
            boolean projected = e.getValue().has("ProjectionExpression") || e.getValue().has("AttributesToGet");
            java.util.Set<String> unprocessed = new java.util.HashSet<>();
            answer.path("UnprocessedKeys").path(table).path("Keys").forEach(k -> unprocessed.add(k.toString()));
            java.util.Map<String, JsonNode> found = new java.util.HashMap<>();
            if (!projected) {
                answer.path("Responses").path(table).forEach(i -> found.put(schema.keyOf(i).toString(), i));
            }
            double units = 0;
            for (JsonNode k : e.getValue().path("Keys")) {
                ObjectNode key = schema.keyOf(k);
                if (unprocessed.contains(k.toString())) {
                    continue;
                }
                JsonNode item = projected ? fullItem(table, key) : found.get(key.toString());
                units += Billing.readUnits(ItemSize.of(item), consistent);
            }
            bill.table(table, units);
        });
        return bill;
    }

    private JsonNode fullItem(String table, ObjectNode key) {
        ObjectNode get = DynaliteHttp.JSON.createObjectNode().put("TableName", table).put("ConsistentRead", true);
        get.set("Key", key);
        return dynalite.require("GetItem", get).get("Item");
    }

    /** The request, when it is a single-item write asking for the item on a failed condition (dynalite ignores that). */
    private static JsonNode wantsOldItemOnFailure(String operation, byte[] body) {
        if (!SINGLE_ITEM_WRITES.contains(operation)
                || !new String(body, java.nio.charset.StandardCharsets.UTF_8).contains("ReturnValuesOnConditionCheckFailure")) {
            return null;
        }
        JsonNode request = parse(body);
        return "ALL_OLD".equals(request.path("ReturnValuesOnConditionCheckFailure").asText()) ? request : null;
    }

    /**
     * Runs the write with the exclusive lock, so that on a failed condition the item read afterwards is the one the
     * condition was evaluated against, and adds it to the ConditionalCheckFailedException as AWS does.
     */
    private void answerWithOldItem(HttpExchange exchange, String operation, JsonNode request, byte[] body) throws IOException {
        lock.writeLock().lock();
        try {
            DynaliteHttp.Raw raw = dynalite.forward(exchange.getRequestHeaders(), body);
            JsonNode answer = raw.body().length == 0 ? null : DynaliteHttp.JSON.readTree(raw.body());
            if (raw.status() == 400 && answer != null && answer.path("__type").asText().endsWith("#ConditionalCheckFailedException")) {
                String table = request.path("TableName").asText();
                ObjectNode key = operation.equals("PutItem") ? schemas.of(table).keyOf(request.path("Item")) : (ObjectNode) request.get("Key");
                ObjectNode get = DynaliteHttp.JSON.createObjectNode().put("TableName", table).put("ConsistentRead", true);
                get.set("Key", key);
                JsonNode item = dynalite.require("GetItem", get).get("Item");
                if (item != null) {
                    ((ObjectNode) answer).set("Item", item);
                }
                answer(exchange, 400, (ObjectNode) answer);
                return;
            }
            for (String h : List.of("Content-Type", "x-amzn-RequestId", "x-amz-crc32")) {
                raw.headers().firstValue(h).ifPresent(v -> exchange.getResponseHeaders().set(h, v));
            }
            send(exchange, raw.status(), raw.body());
        } finally {
            lock.writeLock().unlock();
        }
    }

    private static JsonNode parse(byte[] body) {
        try {
            JsonNode n = DynaliteHttp.JSON.readTree(body);
            if (n == null || !n.isObject()) {
                throw new DynamoError(400, "com.amazon.coral.service#SerializationException", "Start of structure or map found where not expected");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new DynamoError(400, "com.amazon.coral.service#SerializationException", "Unable to parse the request body");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void answer(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", JSON_10);
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        send(exchange, status, DynaliteHttp.JSON.writeValueAsBytes(body));
    }

    private static void send(HttpExchange exchange, int status, byte[] bytes) throws IOException {
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /**
     * Runs a front as its own process: {@code --dynalite URL} (else an in-memory dynalite is started), {@code --port N}
     * (0: any), {@code --journal DIR}. Prints {@code DynamoDB front listening on <url>} once it serves.
     */
    public static void main(String[] args) {
        URI dynaliteUrl = null;
        int port = 0;
        Path journal = null;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--dynalite" -> dynaliteUrl = URI.create(require(value, args[i]));
                case "--port" -> port = Integer.parseInt(require(value, args[i]));
                case "--journal" -> journal = Path.of(require(value, args[i]));
                default -> {
                    System.err.println("unknown argument " + args[i] + "; use --dynalite URL --port N --journal DIR");
                    System.exit(2);
                }
            }
            i++;
        }
        Dynalite own = dynaliteUrl == null ? Dynalite.start(Dynalite.freePort(), null) : null;
        DynamoFront front = new DynamoFront(own != null ? own.endpoint() : dynaliteUrl, port, journal, own);
        Runtime.getRuntime().addShutdownHook(new Thread(front::close, "dynamodb-front-stop"));
        System.out.println("DynamoDB front listening on " + front.endpoint());
        System.out.flush();
    }

    private static String require(String value, String flag) {
        if (value == null) {
            System.err.println(flag + " needs a value");
            System.exit(2);
        }
        return value;
    }
}
