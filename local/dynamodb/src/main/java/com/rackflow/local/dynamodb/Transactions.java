package com.rackflow.local.dynamodb;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Lock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * TransactWriteItems and TransactGetItems on top of dynalite's single-item operations. Every transaction holds the
 * front's exclusive lock (plain operations share it), so nothing else reads or writes between its first and last
 * step. A write transaction saves each item's pre-image (journal, fsync'd), applies each action as the equivalent
 * conditional single-item call, and if any action was refused puts every applied item back to its pre-image.
 */
final class Transactions {
    static final int MAX_ITEMS = 100;
    static final long MAX_BYTES = 4L * 1024 * 1024;
    /** Test hook (kill -9 tests): milliseconds to wait after the first item of a transaction is applied. */
    static final String PAUSE_ENV = "RACKFLOW_DYNAMO_FRONT_PAUSE_AFTER_FIRST_WRITE_MS";

    private static final List<String> WRITE_KINDS = List.of("ConditionCheck", "Put", "Delete", "Update");
    /** dynalite's validation messages that depend on the item's data: AWS reports those as a ValidationError reason. */
    private static final List<String> ITEM_DEPENDENT = List.of("incorrect data type", "refers to an attribute that does not exist",
            "Item size", "document path provided in the update expression is invalid", "Type mismatch",
            "An operand in the update expression");

    /** One action of a write transaction. */
    private record Action(int index, String kind, JsonNode spec, String table, ObjectNode key) {
    }

    private final DynaliteHttp dynalite;
    private final TableSchemas schemas;
    private final Journal journal;
    private final ClientTokens tokens;
    private final Lock exclusive;
    private final long pauseAfterFirstWriteMs;
    /** Rollbacks that could not finish (dynalite did not answer); retried before the next transaction. */
    private final java.util.Queue<Journal.Entry> unsettled = new java.util.concurrent.ConcurrentLinkedQueue<>();

    Transactions(DynaliteHttp dynalite, TableSchemas schemas, Journal journal, ClientTokens tokens, Lock exclusive) {
        this.dynalite = dynalite;
        this.schemas = schemas;
        this.journal = journal;
        this.tokens = tokens;
        this.exclusive = exclusive;
        String pause = System.getenv(PAUSE_ENV);
        this.pauseAfterFirstWriteMs = pause == null || pause.isBlank() ? 0 : Long.parseLong(pause.trim());
    }

    /** Puts back the pre-images of transactions a previous process left unfinished. Call before serving. */
    int recover() {
        List<Journal.Entry> left = journal.unfinished(tokens.committedTransactions());
        for (Journal.Entry e : left) {
            rollBack(e, e.items().size());
        }
        return left.size();
    }

    // ---------------------------------------------------------------- TransactWriteItems

    /** A transaction's answer and the write units it was billed (the front's {@link Billing#HEADER}). */
    record Written(ObjectNode body, double billedWriteUnits) {
    }

    Written write(JsonNode request) {
        List<Action> actions = writeActions(request);
        String token = request.hasNonNull("ClientRequestToken") ? request.get("ClientRequestToken").asText() : null;
        if (token != null && (token.isEmpty() || token.length() > 36)) {
            throw DynamoError.validation("1 validation error detected: Value '" + token + "' at 'clientRequestToken' failed to satisfy "
                    + "constraint: Member must have length " + (token.isEmpty() ? "greater than or equal to 1" : "less than or equal to 36"));
        }
        JsonNode comparable = withoutTokenAndCapacity(request);
        exclusive.lock();
        try {
            settleUnfinished();
            if (token != null) {
                ClientTokens.Committed earlier = tokens.find(token);
                if (earlier != null) {
                    if (!earlier.request().equals(comparable)) {
                        throw new DynamoError(400, "IdempotentParameterMismatchException",
                                "Request parameters do not match with previous request for the given client token");
                    }
                    return new Written(repeatAnswer(earlier, request), 0);
                }
            }
            return apply(actions, request, token, comparable);
        } finally {
            exclusive.unlock();
        }
    }

    private List<Action> writeActions(JsonNode request) {
        JsonNode items = request.get("TransactItems");
        checkCount(items, "TransactWriteItem");
        List<Action> actions = new ArrayList<>();
        Set<String> targets = new HashSet<>();
        long bytes = 0;
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            List<String> kinds = WRITE_KINDS.stream().filter(item::hasNonNull).toList();
            if (kinds.size() != 1) {
                throw DynamoError.validation("TransactItems can only contain one of Check, Put, Update or Delete");
            }
            String kind = kinds.get(0);
            JsonNode spec = item.get(kind);
            String table = requireText(spec, "TableName", kind);
            ObjectNode key;
            if (kind.equals("Put")) {
                if (!spec.path("Item").isObject()) {
                    throw DynamoError.validation("1 validation error detected: Value null at 'transactItems." + (i + 1)
                            + ".member.put.item' failed to satisfy constraint: Member must not be null");
                }
                key = schemas.of(table).keyOf(spec.get("Item"));
                bytes += ItemSize.of(spec.get("Item"));
            } else {
                if (!spec.path("Key").isObject()) {
                    throw DynamoError.validation("1 validation error detected: Value null at 'transactItems." + (i + 1) + ".member."
                            + memberName(kind) + ".key' failed to satisfy constraint: Member must not be null");
                }
                key = (ObjectNode) spec.get("Key");
                bytes += ItemSize.of(key);
            }
            if (kind.equals("Update") && !spec.hasNonNull("UpdateExpression")) {
                throw DynamoError.validation("1 validation error detected: Value null at 'transactItems." + (i + 1)
                        + ".member.update.updateExpression' failed to satisfy constraint: Member must not be null");
            }
            if (kind.equals("ConditionCheck") && !spec.hasNonNull("ConditionExpression")) {
                throw DynamoError.validation("1 validation error detected: Value null at 'transactItems." + (i + 1)
                        + ".member.conditionCheck.conditionExpression' failed to satisfy constraint: Member must not be null");
            }
            if (!targets.add(table + "\u0000" + canonical(key))) {
                throw DynamoError.validation("Transaction request cannot include multiple operations on one item");
            }
            actions.add(new Action(i, kind, spec, table, key));
        }
        if (bytes > MAX_BYTES) {
            throw DynamoError.validation("Transaction size has exceeded the maximum allowed size of 4 MB");
        }
        return actions;
    }

    private Written apply(List<Action> actions, JsonNode request, String token, JsonNode comparable) {
        Map<String, ObjectNode> found = readAll(actions);
        List<Journal.PreImage> preImages = new ArrayList<>();
        for (Action a : actions) {
            preImages.add(new Journal.PreImage(a.table(), a.key(), found.get(a.table() + "\n" + keyText(a.key()))));
        }
        Journal.Entry entry = journal.begin(preImages);
        ObjectNode[] after = new ObjectNode[actions.size()];
        ObjectNode[] reasons = new ObjectNode[actions.size()];
        boolean cancelled = false;
        int applied = 0;
        try {
            for (Action a : actions) {
                ObjectNode before = preImages.get(a.index()).before();
                DynaliteHttp.Answer answer = dynalite.call(operationFor(a, before), singleItemRequest(a, before));
                applied = a.index() + 1;
                if (answer.ok()) {
                    after[a.index()] = switch (a.kind()) {
                        case "Put" -> (ObjectNode) a.spec().get("Item");
                        case "Update" -> (ObjectNode) answer.body().get("Attributes");
                        case "Delete" -> null;
                        default -> before;
                    };
                    reasons[a.index()] = reason("None", null);
                    if (a.index() == 0) {
                        pauseForTests();
                    }
                } else if (answer.errorType().equals("ConditionalCheckFailedException")) {
                    cancelled = true;
                    ObjectNode r = reason("ConditionalCheckFailed", "The conditional request failed");
                    if ("ALL_OLD".equals(a.spec().path("ReturnValuesOnConditionCheckFailure").asText()) && before != null) {
                        r.set("Item", before);
                    }
                    reasons[a.index()] = r;
                } else if (answer.errorType().equals("ValidationException") && itemDependent(answer.errorMessage())) {
                    cancelled = true;
                    reasons[a.index()] = reason("ValidationError", answer.errorMessage());
                } else {
                    throw DynamoError.of(answer);
                }
            }
        } catch (RuntimeException failed) {
            rollBack(entry, applied);
            throw failed;
        }
        if (cancelled) {
            rollBack(entry, applied);
            // a cancelled transaction is billed too: two units per KB of each item as it is (or as a Put tried to write it)
            double billed = 0;
            for (Action a : actions) {
                JsonNode attempted = a.kind().equals("Put") ? a.spec().get("Item") : null;
                billed += 2 * Billing.writeUnits(Billing.sizeOfLarger(preImages.get(a.index()).before(), attempted));
            }
            DynamoError e = cancellation(reasons);
            e.billed("read=0;write=" + billed);
            throw e;
        }
        ObjectNode response = DynaliteHttp.JSON.createObjectNode();
        Capacity capacity = new Capacity(true);
        for (Action a : actions) {
            ObjectNode before = preImages.get(a.index()).before();
            TableSchemas.Schema schema = schemas.of(a.table());
            capacity.addWrite(a.table(), a.kind().equals("ConditionCheck") ? before : larger(before, after[a.index()]));
            if (!a.kind().equals("ConditionCheck")) {
                capacity.addIndexWrites(a.table(), schema, before, after[a.index()]);
            }
        }
        capacity.report(response, request.path("ReturnConsumedCapacity").asText("NONE"));
        if (token != null) {
            Capacity reads = new Capacity(false);
            for (Action a : actions) {
                reads.addPlainRead(a.table(), after[a.index()] == null ? preImages.get(a.index()).before() : after[a.index()]);
            }
            ObjectNode readUnits = DynaliteHttp.JSON.createObjectNode();
            reads.report(readUnits, "INDEXES");
            ObjectNode plain = response.deepCopy();
            plain.remove("ConsumedCapacity");
            tokens.remember(new ClientTokens.Committed(token, entry.id(), comparable, plain, readUnits, System.currentTimeMillis()));
        }
        journal.end(entry);
        return new Written(response, capacity.total());
    }

    private ObjectNode repeatAnswer(ClientTokens.Committed earlier, JsonNode request) {
        ObjectNode response = earlier.response().deepCopy();
        String level = request.path("ReturnConsumedCapacity").asText("NONE");
        if (!level.equals("NONE") && earlier.readUnits() != null && earlier.readUnits().has("ConsumedCapacity")) {
            ArrayNode list = response.putArray("ConsumedCapacity");
            for (JsonNode c : earlier.readUnits().get("ConsumedCapacity")) {
                ObjectNode copy = (ObjectNode) c.deepCopy();
                if (level.equals("TOTAL")) {
                    copy.remove("Table");
                    copy.remove("GlobalSecondaryIndexes");
                }
                list.add(copy);
            }
        }
        return response;
    }

    private String operationFor(Action a, ObjectNode before) {
        return switch (a.kind()) {
            case "Put" -> "PutItem";
            case "Update" -> "UpdateItem";
            case "Delete" -> "DeleteItem";
            // a check writes nothing: it rewrites the item as it is, or deletes the absent item, under the condition
            default -> before != null ? "PutItem" : "DeleteItem";
        };
    }

    private ObjectNode singleItemRequest(Action a, ObjectNode before) {
        ObjectNode r = DynaliteHttp.JSON.createObjectNode().put("TableName", a.table());
        switch (a.kind()) {
            case "Put" -> r.set("Item", a.spec().get("Item"));
            case "Update" -> {
                r.set("Key", a.key());
                r.set("UpdateExpression", a.spec().get("UpdateExpression"));
                r.put("ReturnValues", "ALL_NEW");
            }
            case "Delete" -> r.set("Key", a.key());
            default -> {
                if (before != null) {
                    r.set("Item", before);
                } else {
                    r.set("Key", a.key());
                }
            }
        }
        for (String f : List.of("ConditionExpression", "ExpressionAttributeNames", "ExpressionAttributeValues")) {
            if (a.spec().hasNonNull(f)) {
                r.set(f, a.spec().get(f));
            }
        }
        return r;
    }

    /** Puts the first {@code count} items of the entry back as they were; the entry is removed once that worked. */
    private void rollBack(Journal.Entry entry, int count) {
        try {
            for (int i = count - 1; i >= 0; i--) {
                Journal.PreImage p = entry.items().get(i);
                ObjectNode r = DynaliteHttp.JSON.createObjectNode().put("TableName", p.table());
                if (p.before() != null) {
                    r.set("Item", p.before());
                    dynalite.require("PutItem", r);
                } else {
                    r.set("Key", p.key());
                    dynalite.require("DeleteItem", r);
                }
            }
            journal.end(entry);
        } catch (RuntimeException e) {
            unsettled.add(entry);
            throw new DynamoError(500, "InternalServerError", "The transaction could not be rolled back yet: " + e.getMessage());
        }
    }

    private void settleUnfinished() {
        Journal.Entry e;
        while ((e = unsettled.poll()) != null) {
            rollBack(e, e.items().size());
        }
    }

    /** Before a plain operation: a rollback that dynalite interrupted is finished first, so nothing sees half of it. */
    void settleBeforeOthers() {
        if (!unsettled.isEmpty()) {
            exclusive.lock();
            try {
                settleUnfinished();
            } finally {
                exclusive.unlock();
            }
        }
    }

    private static DynamoError cancellation(ObjectNode[] reasons) {
        List<String> codes = new ArrayList<>();
        ArrayNode list = DynaliteHttp.JSON.createArrayNode();
        for (ObjectNode r : reasons) {
            ObjectNode reason = r == null ? reason("None", null) : r;
            codes.add(reason.get("Code").asText());
            list.add(reason);
        }
        DynamoError e = new DynamoError(400, "TransactionCanceledException",
                "Transaction cancelled, please refer cancellation reasons for specific reasons " + codes.toString());
        e.body().set("CancellationReasons", list);
        return e;
    }

    private static ObjectNode reason(String code, String message) {
        ObjectNode r = DynaliteHttp.JSON.createObjectNode().put("Code", code);
        if (message != null) {
            r.put("Message", message);
        }
        return r;
    }

    private void pauseForTests() {
        if (pauseAfterFirstWriteMs > 0) {
            try {
                Thread.sleep(pauseAfterFirstWriteMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---------------------------------------------------------------- TransactGetItems

    ObjectNode get(JsonNode request) {
        JsonNode items = request.get("TransactItems");
        checkCount(items, "TransactGetItem");
        Set<String> targets = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode g = items.get(i).get("Get");
            if (g == null || !g.isObject()) {
                throw DynamoError.validation("1 validation error detected: Value null at 'transactItems." + (i + 1)
                        + ".member.get' failed to satisfy constraint: Member must not be null");
            }
            String table = requireText(g, "TableName", "Get");
            if (!g.path("Key").isObject()) {
                throw DynamoError.validation("1 validation error detected: Value null at 'transactItems." + (i + 1)
                        + ".member.get.key' failed to satisfy constraint: Member must not be null");
            }
            if (!targets.add(table + "\u0000" + canonical(g.get("Key")))) {
                throw DynamoError.validation("Transaction request cannot include multiple operations on one item");
            }
        }
        exclusive.lock();
        try {
            settleUnfinished();
            ObjectNode response = DynaliteHttp.JSON.createObjectNode();
            ArrayNode responses = response.putArray("Responses");
            Capacity capacity = new Capacity(false);
            long bytes = 0;
            for (JsonNode item : items) {
                JsonNode g = item.get("Get");
                String table = g.get("TableName").asText();
                ObjectNode full = read(table, (ObjectNode) g.get("Key"), null, null);
                capacity.addTransactionalRead(table, full);
                bytes += ItemSize.of(full);
                ObjectNode shown = g.hasNonNull("ProjectionExpression") && full != null
                        ? read(table, (ObjectNode) g.get("Key"), g.get("ProjectionExpression"), g.get("ExpressionAttributeNames"))
                        : full;
                ObjectNode r = responses.addObject();
                if (shown != null) {
                    r.set("Item", shown);
                }
            }
            if (bytes > MAX_BYTES) {
                throw DynamoError.validation("Transaction size has exceeded the maximum allowed size of 4 MB");
            }
            capacity.report(response, request.path("ReturnConsumedCapacity").asText("NONE"));
            return response;
        } finally {
            exclusive.unlock();
        }
    }

    // ---------------------------------------------------------------- helpers

    /**
     * The items the actions target as they are now, by table and canonical key (absent: no item), read in BatchGetItem
     * calls (one for a transaction's at most 100 distinct keys, more only while dynalite leaves keys unprocessed) rather
     * than one GetItem each: the transaction holds the exclusive lock meanwhile, so the reads are as of one moment.
     */
    private Map<String, ObjectNode> readAll(List<Action> actions) {
        ObjectNode requestItems = DynaliteHttp.JSON.createObjectNode();
        for (Action a : actions) {
            ObjectNode perTable = requestItems.has(a.table()) ? (ObjectNode) requestItems.get(a.table())
                    : requestItems.putObject(a.table()).put("ConsistentRead", true);
            (perTable.has("Keys") ? (ArrayNode) perTable.get("Keys") : perTable.putArray("Keys")).add(a.key());
        }
        Map<String, ObjectNode> found = new java.util.HashMap<>();
        while (requestItems.size() > 0) {
            ObjectNode r = DynaliteHttp.JSON.createObjectNode();
            r.set("RequestItems", requestItems);
            JsonNode answer = dynalite.require("BatchGetItem", r);
            for (Iterator<Map.Entry<String, JsonNode>> tables = answer.path("Responses").fields(); tables.hasNext(); ) {
                Map.Entry<String, JsonNode> t = tables.next();
                TableSchemas.Schema schema = schemas.of(t.getKey());
                for (JsonNode item : t.getValue()) {
                    found.put(t.getKey() + "\n" + keyText(schema.keyOf(item)), (ObjectNode) item);
                }
            }
            requestItems = answer.path("UnprocessedKeys").isObject() ? (ObjectNode) answer.get("UnprocessedKeys")
                    : DynaliteHttp.JSON.createObjectNode();
        }
        return found;
    }

    private ObjectNode read(String table, ObjectNode key, JsonNode projection, JsonNode names) {
        ObjectNode r = DynaliteHttp.JSON.createObjectNode().put("TableName", table).put("ConsistentRead", true);
        r.set("Key", key);
        if (projection != null) {
            r.set("ProjectionExpression", projection);
            if (names != null) {
                r.set("ExpressionAttributeNames", names);
            }
        }
        JsonNode item = dynalite.require("GetItem", r).get("Item");
        return item == null ? null : (ObjectNode) item;
    }

    private static void checkCount(JsonNode items, String member) {
        if (items == null || items.isNull()) {
            throw DynamoError.validation("1 validation error detected: Value null at 'transactItems' failed to satisfy constraint: "
                    + "Member must not be null");
        }
        if (!items.isArray()) {
            throw new DynamoError(400, "SerializationException", "Start of list found where not expected");
        }
        if (items.isEmpty() || items.size() > MAX_ITEMS) {
            StringBuilder value = new StringBuilder("[");
            for (int i = 0; i < items.size(); i++) {
                value.append(i == 0 ? "" : ", ").append("com.amazonaws.dynamodb.v20120810.").append(member).append('@')
                        .append(Integer.toHexString(System.identityHashCode(items.get(i))));
            }
            value.append(']');
            throw DynamoError.validation("1 validation error detected: Value '" + value + "' at 'transactItems' failed to satisfy "
                    + "constraint: Member must have length " + (items.isEmpty() ? "greater than or equal to 1" : "less than or equal to 100"));
        }
    }

    private static String requireText(JsonNode spec, String field, String kind) {
        JsonNode v = spec.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw DynamoError.validation("1 validation error detected: Value null at '" + memberName(kind) + "."
                    + Character.toLowerCase(field.charAt(0)) + field.substring(1) + "' failed to satisfy constraint: Member must not be null");
        }
        return v.asText();
    }

    private static String memberName(String kind) {
        return Character.toLowerCase(kind.charAt(0)) + kind.substring(1);
    }

    private static boolean itemDependent(String message) {
        return ITEM_DEPENDENT.stream().anyMatch(message::contains);
    }

    private static ObjectNode larger(ObjectNode a, ObjectNode b) {
        return ItemSize.of(a) >= ItemSize.of(b) ? a : b;
    }

    private static JsonNode withoutTokenAndCapacity(JsonNode request) {
        ObjectNode copy = request.deepCopy();
        copy.remove("ClientRequestToken");
        copy.remove("ReturnConsumedCapacity");
        return copy;
    }

    /** A key's attributes in name order, so equal keys give equal strings whatever the member order. */
    /** A key as text that is equal for equal keys (numbers compared by value: "1.0" and "1" are one key). */
    private static String keyText(JsonNode key) {
        Map<String, String> sorted = new java.util.TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = key.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            sorted.put(e.getKey(), v.has("N") ? "N:" + new java.math.BigDecimal(v.get("N").asText()).stripTrailingZeros().toPlainString()
                    : v.toString());
        }
        return sorted.toString();
    }

    private static String canonical(JsonNode key) {
        Map<String, String> sorted = new java.util.TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = key.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            sorted.put(e.getKey(), e.getValue().toString());
        }
        return sorted.toString();
    }

    /** ConsumedCapacity per table (and index) as DynamoDB reports it for transactions. */
    private static final class Capacity {
        private final boolean write;
        private final Map<String, double[]> tables = new LinkedHashMap<>();
        private final Map<String, Map<String, double[]>> indexes = new LinkedHashMap<>();

        Capacity(boolean write) {
            this.write = write;
        }

        /** Two write units per KB (rounded up per item) for an item written or checked in a transaction. */
        void addWrite(String table, ObjectNode item) {
            add(table, 2 * units(item, 1024));
        }

        /** Two read units per 4 KB (rounded up per item) for an item read in a transaction. */
        void addTransactionalRead(String table, ObjectNode item) {
            add(table, 2 * units(item, 4096));
        }

        /** One strongly consistent read per 4 KB: what a repeated (idempotent) request reports. */
        void addPlainRead(String table, ObjectNode item) {
            add(table, units(item, 4096));
        }

        /** The index writes, as ordinary index writes once the transaction commits (see {@link Billing}). */
        void addIndexWrites(String table, TableSchemas.Schema schema, ObjectNode before, ObjectNode after) {
            for (TableSchemas.Index index : schema.indexes()) {
                double units = Billing.indexWriteUnits(index, schema, before, after);
                if (units == 0) {
                    continue;
                }
                indexes.computeIfAbsent(table, t -> new LinkedHashMap<>()).computeIfAbsent(index.name(), n -> new double[1])[0] += units;
                tables.computeIfAbsent(table, t -> new double[2])[1] += units;
            }
        }

        double total() {
            double sum = 0;
            for (double[] u : tables.values()) {
                sum += u[0] + u[1];
            }
            return sum;
        }

        private void add(String table, double units) {
            tables.computeIfAbsent(table, t -> new double[2])[0] += units;
        }

        private static double units(ObjectNode item, int per) {
            return Math.max(1, Math.ceil(ItemSize.of(item) / (double) per));
        }

        void report(ObjectNode response, String level) {
            if (!level.equals("TOTAL") && !level.equals("INDEXES")) {
                return;
            }
            String kindUnits = write ? "WriteCapacityUnits" : "ReadCapacityUnits";
            ArrayNode list = response.putArray("ConsumedCapacity");
            tables.forEach((table, u) -> {
                ObjectNode c = list.addObject().put("TableName", table).put("CapacityUnits", u[0] + u[1]).put(kindUnits, u[0] + u[1]);
                if (level.equals("INDEXES")) {
                    c.putObject("Table").put("CapacityUnits", u[0]).put(kindUnits, u[0]);
                    Map<String, double[]> idx = indexes.get(table);
                    if (idx != null) {
                        ObjectNode g = c.putObject("GlobalSecondaryIndexes");
                        idx.forEach((name, iu) -> g.putObject(name).put("CapacityUnits", iu[0]).put(kindUnits, iu[0]));
                    }
                }
            });
        }
    }
}
