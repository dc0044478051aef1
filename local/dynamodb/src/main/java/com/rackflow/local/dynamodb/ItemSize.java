package com.rackflow.local.dynamodb;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An item's size as DynamoDB counts it for capacity and limits: attribute names plus values (UTF-8 strings,
 * numbers by significant digits, binary bytes, 1 byte for null/boolean, 3 bytes plus 1 per element for lists and maps).
 */
final class ItemSize {
    private ItemSize() {
    }

    static long of(JsonNode item) {
        if (item == null || item.isMissingNode() || item.isNull()) {
            return 0;
        }
        long size = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = item.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            size += utf8(e.getKey()) + value(e.getValue());
        }
        return size;
    }

    private static long value(JsonNode attribute) {
        Map.Entry<String, JsonNode> typed = attribute.fields().next();
        JsonNode v = typed.getValue();
        switch (typed.getKey()) {
            case "S":
                return utf8(v.asText());
            case "N":
                return number(v.asText());
            case "B":
                return Base64.getDecoder().decode(v.asText()).length;
            case "SS": {
                long s = 0;
                for (JsonNode x : v) {
                    s += utf8(x.asText());
                }
                return s;
            }
            case "NS": {
                long s = 0;
                for (JsonNode x : v) {
                    s += number(x.asText());
                }
                return s;
            }
            case "BS": {
                long s = 0;
                for (JsonNode x : v) {
                    s += Base64.getDecoder().decode(x.asText()).length;
                }
                return s;
            }
            case "L": {
                long s = 3;
                for (JsonNode x : v) {
                    s += 1 + value(x);
                }
                return s;
            }
            case "M":
                return 3 + v.size() + of(v);
            default: // NULL, BOOL
                return 1;
        }
    }

    private static long utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static long number(String n) {
        BigDecimal d = new BigDecimal(n).stripTrailingZeros();
        if (d.signum() == 0) {
            return 1;
        }
        int digits = d.precision();
        return 1 + (digits + 1) / 2 + (d.signum() < 0 ? 1 : 0);
    }
}
