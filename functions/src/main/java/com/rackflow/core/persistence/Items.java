package com.rackflow.core.persistence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.core.json.Json;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Converts between records (through their Jackson tree) and DynamoDB items. Nulls are left out. */
public final class Items {
    private Items() {
    }

    public static Map<String, AttributeValue> fromRecord(Object record) {
        return fromObject((ObjectNode) Json.tree(record));
    }

    public static <T> T toRecord(Map<String, AttributeValue> item, Class<T> type) {
        return Json.convert(toJson(item), type);
    }

    public static Map<String, AttributeValue> fromObject(ObjectNode node) {
        Map<String, AttributeValue> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            AttributeValue v = value(e.getValue());
            if (v != null) {
                out.put(e.getKey(), v);
            }
        });
        return out;
    }

    public static AttributeValue value(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        if (n.isTextual()) {
            return AttributeValue.fromS(n.asText());
        }
        if (n.isNumber()) {
            return AttributeValue.fromN(n.decimalValue().toPlainString());
        }
        if (n.isBoolean()) {
            return AttributeValue.fromBool(n.asBoolean());
        }
        if (n.isArray()) {
            List<AttributeValue> l = new ArrayList<>();
            n.forEach(el -> {
                AttributeValue v = value(el);
                if (v != null) {
                    l.add(v);
                }
            });
            return AttributeValue.fromL(l);
        }
        if (n.isObject()) {
            return AttributeValue.fromM(fromObject((ObjectNode) n));
        }
        return AttributeValue.fromS(n.asText());
    }

    public static ObjectNode toJson(Map<String, AttributeValue> item) {
        ObjectNode o = Json.object();
        item.forEach((k, v) -> o.set(k, json(v)));
        return o;
    }

    private static JsonNode json(AttributeValue v) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (v.s() != null) {
            return f.textNode(v.s());
        }
        if (v.n() != null) {
            BigDecimal d = new BigDecimal(v.n());
            return d.scale() <= 0 && d.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) < 0
                    ? f.numberNode(d.longValueExact()) : f.numberNode(d);
        }
        if (v.bool() != null) {
            return f.booleanNode(v.bool());
        }
        if (v.hasL()) {
            ArrayNode a = f.arrayNode();
            v.l().forEach(el -> a.add(json(el)));
            return a;
        }
        if (v.hasM()) {
            return toJson(v.m());
        }
        if (v.hasSs()) {
            ArrayNode a = f.arrayNode();
            v.ss().forEach(a::add);
            return a;
        }
        return f.nullNode();
    }

    public static AttributeValue s(String s) {
        return AttributeValue.fromS(s);
    }

    public static AttributeValue n(long n) {
        return AttributeValue.fromN(Long.toString(n));
    }

    /** An item's size as DynamoDB counts it (UTF-8 bytes of names and values, numbers roughly): for the 4 MB limit. */
    public static long size(Map<String, AttributeValue> item) {
        long n = 0;
        for (var e : item.entrySet()) {
            n += e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8).length + size(e.getValue());
        }
        return n;
    }

    private static long size(AttributeValue v) {
        if (v.s() != null) {
            return v.s().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        }
        if (v.n() != null) {
            return 1 + (v.n().length() + 1) / 2;
        }
        if (v.hasL()) {
            return 3 + v.l().stream().mapToLong(x -> 1 + size(x)).sum();
        }
        if (v.hasM()) {
            return 3 + size(v.m());
        }
        if (v.hasSs()) {
            return v.ss().stream().mapToLong(x -> x.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).sum();
        }
        return 1;
    }
}
