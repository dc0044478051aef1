package com.rackflow.core.persistence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.core.http.ApiException;
import com.rackflow.core.json.Json;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The one pagination style: {@code limit} + opaque {@code cursor}, over one or more Query partitions read in order.
 * The cursor only says where to resume inside the partitions the caller's scope chose, so a forged cursor cannot
 * widen what is visible.
 */
public final class Pager {
    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;
    private static final int MAX_READS_PER_PAGE = 10;
    private static final Set<String> KEY_ATTRIBUTES = Set.of("pk", "sk", "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk", "gsi3pk", "gsi3sk");

    private Pager() {
    }

    public static <T> Page<T> page(Table table, List<KeyQuery> partitions, String cursor, int limit,
                                   Function<Map<String, AttributeValue>, T> mapper, Predicate<T> keep) {
        Position pos = decode(cursor, partitions.size());
        List<T> items = new ArrayList<>();
        int part = pos.partition();
        Map<String, AttributeValue> start = pos.startKey();
        int reads = 0;
        while (part < partitions.size() && items.size() < limit && reads < MAX_READS_PER_PAGE) {
            QueryResponse r = table.query(partitions.get(part), start, limit - items.size());
            reads++;
            for (Map<String, AttributeValue> item : r.items()) {
                T t = mapper.apply(item);
                if (keep.test(t)) {
                    items.add(t);
                }
            }
            if (r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty()) {
                start = r.lastEvaluatedKey();
            } else {
                part++;
                start = null;
            }
        }
        String next = part < partitions.size() ? encode(part, start) : null;
        return new Page<>(items, next);
    }

    /** Reads and checks the {@code limit} query parameter. */
    public static int limit(java.util.Optional<String> raw) {
        if (raw.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(raw.get());
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw ApiException.invalid("limit", "range", "must be a whole number from 1 to " + MAX_LIMIT);
    }

    private record Position(int partition, Map<String, AttributeValue> startKey) {
    }

    private static String encode(int partition, Map<String, AttributeValue> start) {
        ObjectNode o = Json.object();
        o.put("p", partition);
        if (start != null) {
            ObjectNode k = o.putObject("k");
            start.forEach((name, v) -> k.put(name, v.s()));
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.write(o).getBytes(StandardCharsets.UTF_8));
    }

    private static Position decode(String cursor, int partitions) {
        if (cursor == null || cursor.isBlank()) {
            return new Position(0, null);
        }
        try {
            JsonNode o = Json.read(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
            int p = o.path("p").asInt(-1);
            if (p < 0 || p >= partitions) {
                throw new IllegalArgumentException("partition");
            }
            Map<String, AttributeValue> start = null;
            if (o.has("k")) {
                start = new HashMap<>();
                var fields = o.get("k").fields();
                while (fields.hasNext()) {
                    var e = fields.next();
                    if (!KEY_ATTRIBUTES.contains(e.getKey()) || !e.getValue().isTextual()) {
                        throw new IllegalArgumentException("key");
                    }
                    start.put(e.getKey(), AttributeValue.fromS(e.getValue().asText()));
                }
            }
            return new Position(p, start);
        } catch (Exception e) {
            throw ApiException.invalid("cursor", "format", "is not a cursor returned by this list; start again without it");
        }
    }
}
