package com.rackflow.local.dynamodb;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What DynamoDB bills for one request, by the documented rules (item sizes as {@link ItemSize} counts them, UTF-8):
 * <ul>
 * <li>a read: {@code ceil(size / 4 KB)}, at least one unit, half of it when eventually consistent (a GSI Query is);
 * a Query sums the sizes of the items it evaluated (before its filter) and rounds once; a missing item or an empty
 * Query still costs the minimum;</li>
 * <li>a write: {@code ceil(size / 1 KB)} of the larger of the item before and after, at least one unit; a failed
 * conditional write costs the same on the item as it is (or the one it tried to write), one unit if there is none;</li>
 * <li>a transaction: twice that per item (prepare and commit), a ConditionCheck on the item as it is, also when the
 * transaction is cancelled;</li>
 * <li>each global secondary index whose stored entry a successful write changes: {@code ceil(entry / 1 KB)}, the
 * larger of the old and new entry in place, old plus new when the index key moves, nothing when the entry is
 * unchanged. Index entries are updated after the write (a transaction's too), as ordinary index writes.</li>
 * </ul>
 * Kept per table and index, so that it can be reported as {@code ConsumedCapacity} ({@code TOTAL} / {@code INDEXES}).
 */
final class Billing {
    /** The answer header that carries the units billed for a request, also for a failed one (a local addition). */
    static final String HEADER = "x-rackflow-billed-capacity";

    private final boolean write;
    private final Map<String, double[]> tables = new LinkedHashMap<>();
    private final Map<String, Map<String, Double>> indexes = new LinkedHashMap<>();

    private Billing(boolean write) {
        this.write = write;
    }

    static Billing reads() {
        return new Billing(false);
    }

    static Billing writes() {
        return new Billing(true);
    }

    boolean isWrite() {
        return write;
    }

    static double readUnits(long bytes, boolean consistent) {
        double blocks = Math.max(1, Math.ceil(bytes / 4096.0));
        return consistent ? blocks : blocks / 2;
    }

    static double writeUnits(long bytes) {
        return Math.max(1, Math.ceil(bytes / 1024.0));
    }

    static long sizeOfLarger(JsonNode a, JsonNode b) {
        return Math.max(ItemSize.of(a), ItemSize.of(b));
    }

    /** Units on the table itself. */
    Billing table(String table, double units) {
        tables.computeIfAbsent(table, t -> new double[1])[0] += units;
        return this;
    }

    /** Units read from a global secondary index (a Query on it). */
    Billing index(String table, String index, double units) {
        tables.computeIfAbsent(table, t -> new double[1]);
        indexes.computeIfAbsent(table, t -> new LinkedHashMap<>()).merge(index, units, Double::sum);
        return this;
    }

    /** The index writes of a successful write that turned {@code before} into {@code after} (either may be null). */
    Billing indexWrites(String table, TableSchemas.Schema schema, JsonNode before, JsonNode after) {
        for (TableSchemas.Index index : schema.indexes()) {
            double units = indexWriteUnits(index, schema, before, after);
            if (units > 0) {
                index(table, index.name(), units);
            }
        }
        return this;
    }

    static double indexWriteUnits(TableSchemas.Index index, TableSchemas.Schema schema, JsonNode before, JsonNode after) {
        ObjectNode old = index.project(before, schema.keys());
        ObjectNode now = index.project(after, schema.keys());
        if (old == null && now == null) {
            return 0;
        }
        if (old == null || now == null) {
            return writeUnits(ItemSize.of(old == null ? now : old));
        }
        boolean sameKey = index.keys().stream().allMatch(k -> before.get(k).equals(after.get(k)));
        if (!sameKey) {
            return writeUnits(ItemSize.of(old)) + writeUnits(ItemSize.of(now));
        }
        if (old.equals(now)) {
            return 0;
        }
        return Math.max(writeUnits(ItemSize.of(old)), writeUnits(ItemSize.of(now)));
    }

    double total() {
        double sum = 0;
        for (double[] t : tables.values()) {
            sum += t[0];
        }
        for (Map<String, Double> i : indexes.values()) {
            for (double u : i.values()) {
                sum += u;
            }
        }
        return sum;
    }

    /** The header value: {@code read=<units>;write=<units>}. */
    String header() {
        return write ? "read=0;write=" + total() : "read=" + total() + ";write=0";
    }

    /**
     * {@code ConsumedCapacity} as DynamoDB answers it for {@code level} (TOTAL / INDEXES; nothing for NONE): a list
     * (transactions, batches) or the single object of a one-table operation.
     */
    void report(ObjectNode response, String level, boolean asList) {
        if (!level.equals("TOTAL") && !level.equals("INDEXES")) {
            response.remove("ConsumedCapacity");
            return;
        }
        String kind = write ? "WriteCapacityUnits" : "ReadCapacityUnits";
        com.fasterxml.jackson.databind.node.ArrayNode list = DynaliteHttp.JSON.createArrayNode();
        tables.forEach((table, own) -> {
            Map<String, Double> idx = indexes.getOrDefault(table, Map.of());
            double all = own[0] + idx.values().stream().mapToDouble(Double::doubleValue).sum();
            ObjectNode c = list.addObject().put("TableName", table).put("CapacityUnits", all).put(kind, all);
            if (level.equals("INDEXES")) {
                c.putObject("Table").put("CapacityUnits", own[0]).put(kind, own[0]);
                if (!idx.isEmpty()) {
                    ObjectNode g = c.putObject("GlobalSecondaryIndexes");
                    idx.forEach((name, u) -> g.putObject(name).put("CapacityUnits", u).put(kind, u));
                }
            }
        });
        if (asList) {
            response.set("ConsumedCapacity", list);
        } else if (!list.isEmpty()) {
            response.set("ConsumedCapacity", list.get(0));
        }
    }
}
