package com.rackflow.local.dynamodb;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Key schemas and global secondary indexes of dynalite's tables, read with DescribeTable and kept until a table changes. */
final class TableSchemas {

    record Index(String name, List<String> keys, String projection, List<String> included) {
        /** The item as the index stores it, or null when the item lacks the index's keys. */
        ObjectNode project(JsonNode item, List<String> tableKeys) {
            if (item == null || !keys.stream().allMatch(item::has)) {
                return null;
            }
            if (projection.equals("ALL")) {
                return (ObjectNode) item;
            }
            ObjectNode p = DynaliteHttp.JSON.createObjectNode();
            List<String> names = new ArrayList<>(tableKeys);
            names.addAll(keys);
            if (projection.equals("INCLUDE")) {
                names.addAll(included);
            }
            names.stream().filter(item::has).forEach(n -> p.set(n, item.get(n)));
            return p;
        }
    }

    record Schema(List<String> keys, List<Index> indexes) {
        ObjectNode keyOf(JsonNode item) {
            ObjectNode key = DynaliteHttp.JSON.createObjectNode();
            for (String k : keys) {
                if (!item.has(k)) {
                    throw DynamoError.validation("One or more parameter values were invalid: Missing the key " + k + " in the item");
                }
                key.set(k, item.get(k));
            }
            return key;
        }
    }

    private final DynaliteHttp dynalite;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    TableSchemas(DynaliteHttp dynalite) {
        this.dynalite = dynalite;
    }

    Schema of(String table) {
        Schema s = schemas.get(table);
        if (s == null) {
            ObjectNode req = DynaliteHttp.JSON.createObjectNode().put("TableName", table);
            JsonNode t = dynalite.require("DescribeTable", req).path("Table");
            List<Index> indexes = new ArrayList<>();
            t.path("GlobalSecondaryIndexes").forEach(g -> {
                List<String> included = new ArrayList<>();
                g.path("Projection").path("NonKeyAttributes").forEach(a -> included.add(a.asText()));
                indexes.add(new Index(g.path("IndexName").asText(), names(g.path("KeySchema")),
                        g.path("Projection").path("ProjectionType").asText("ALL"), included));
            });
            s = new Schema(names(t.path("KeySchema")), indexes);
            schemas.put(table, s);
        }
        return s;
    }

    /** A table was created, changed or deleted through the front. */
    void forget(String table) {
        if (table == null) {
            schemas.clear();
        } else {
            schemas.remove(table);
        }
    }

    private static List<String> names(JsonNode keySchema) {
        List<String> names = new ArrayList<>();
        keySchema.forEach(k -> names.add(k.path("AttributeName").asText()));
        return names;
    }
}
