package com.rackflow.core.persistence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.core.http.ApiException;
import com.rackflow.core.http.Violation;
import com.rackflow.core.json.Json;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The one pagination style: {@code limit} + opaque {@code cursor}, over one or more Query partitions read in order.
 * The cursor only says where to resume inside the partitions the caller's scope chose, so it cannot widen what is
 * visible; it is authenticated ({@link CursorKey}), so a forged or altered one is a 400 {@code INVALID_CURSOR}.
 */
public final class Pager {
    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;
    private static final int MAX_READS_PER_PAGE = 10;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Set<String> KEY_ATTRIBUTES = Set.of("pk", "sk", "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk", "gsi3pk", "gsi3sk");

    private Pager() {
    }

    /**
     * One page: up to {@code limit} items that {@code keep} accepts, read partition after partition from where
     * {@code cursor} says. {@code nextCursor} is null exactly when nothing is left: each Query asks for one item more
     * than the page still needs, and a full page looks on (its next kept item, in this partition or the next ones)
     * before it hands out a cursor, so the last page never points to an empty one. The cursor then resumes after the
     * last item read (DynamoDB's own LastEvaluatedKey when the page ended with a Query's answer).
     */
    public static <T> Page<T> page(Table table, List<KeyQuery> partitions, String cursor, int limit,
                                   Function<Map<String, AttributeValue>, T> mapper, Predicate<T> keep) {
        Position pos = decode(cursor, partitions);
        List<T> items = new ArrayList<>();
        int part = pos.partition();
        Map<String, AttributeValue> start = pos.startKey();
        int reads = 0;
        while (part < partitions.size() && reads < MAX_READS_PER_PAGE) {
            KeyQuery q = partitions.get(part);
            // one more than the page needs tells whether the page is the last; a full page looking on past filtered-out
            // items reads a page's worth at a time
            int ask = items.size() < limit ? limit - items.size() + 1 : (q.filter() == null ? 1 : limit);
            QueryResponse r = table.query(q, start, ask);
            reads++;
            Map<String, AttributeValue> last = null;
            for (Map<String, AttributeValue> item : r.items()) {
                T t = mapper.apply(item);
                if (keep.test(t)) {
                    if (items.size() == limit) {
                        // a kept item beyond the full page: there is a next page, starting after the last item read
                        return new Page<>(items, encode(partitions, part, last != null ? last : start));
                    }
                    items.add(t);
                }
                last = key(item, q);
            }
            if (r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty()) {
                start = r.lastEvaluatedKey();
            } else {
                part++;
                start = null;
            }
        }
        // every partition read to its end: the last page; else the read budget ran out and the next page goes on
        String next = part < partitions.size() ? encode(partitions, part, start) : null;
        return new Page<>(items, next);
    }

    /** The key of an item as a Query of {@code q} resumes after it (ExclusiveStartKey: the table's key and the index's). */
    private static Map<String, AttributeValue> key(Map<String, AttributeValue> item, KeyQuery q) {
        Map<String, AttributeValue> k = new HashMap<>();
        for (String name : q.index() == null ? List.of("pk", "sk") : List.of("pk", "sk", q.partitionAttribute(), q.sortAttribute())) {
            k.put(name, item.get(name));
        }
        return k;
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

    /**
     * {@code <payload>.<mac>}, both Base64url: the payload says where to resume, the MAC (HMAC-SHA256 with the
     * deployment's cursor key) covers the payload and the query it belongs to, so a cursor that was altered, built by
     * hand or taken from another list is refused before anything reaches DynamoDB.
     */
    private static String encode(List<KeyQuery> partitions, int partition, Map<String, AttributeValue> start) {
        ObjectNode o = Json.object();
        o.put("p", partition);
        if (start != null) {
            ObjectNode k = o.putObject("k");
            new TreeMap<>(start).forEach((name, v) -> k.put(name, v.s()));
        }
        String payload = B64.encodeToString(Json.write(o).getBytes(StandardCharsets.UTF_8));
        return payload + "." + B64.encodeToString(CursorKey.mac(payload, fingerprint(partitions)));
    }

    private static Position decode(String cursor, List<KeyQuery> partitions) {
        if (cursor == null || cursor.isBlank()) {
            return new Position(0, null);
        }
        int dot = cursor.indexOf('.');
        // the MAC is compared in its encoded form, so that no second spelling of a cursor is accepted either
        if (dot < 0 || !MessageDigest.isEqual(cursor.substring(dot + 1).getBytes(StandardCharsets.US_ASCII),
                B64.encodeToString(CursorKey.mac(cursor.substring(0, dot), fingerprint(partitions))).getBytes(StandardCharsets.US_ASCII))) {
            throw invalidCursor();
        }
        try {
            JsonNode o = Json.read(new String(Base64.getUrlDecoder().decode(cursor.substring(0, dot)), StandardCharsets.UTF_8));
            int p = o.path("p").asInt(-1);
            if (p < 0 || p >= partitions.size()) {
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
            // only a cursor this function signed gets here: a key change between deployments, not a forgery
            throw invalidCursor();
        }
    }

    /** The query a cursor belongs to: every partition with its key condition, order and filter, in order. */
    private static String fingerprint(List<KeyQuery> partitions) {
        StringBuilder sb = new StringBuilder();
        for (KeyQuery q : partitions) {
            sb.append(q.index()).append('\u0000').append(q.partitionValue()).append('\u0000').append(q.sortPrefix())
                    .append('\u0000').append(q.sortFrom()).append('\u0000').append(q.sortTo()).append('\u0000')
                    .append(q.ascending()).append('\u0000').append(q.filter()).append('\u0000')
                    .append(new TreeMap<>(q.filterNames())).append('\u0000');
            new TreeMap<>(q.filterValues()).forEach((k, v) -> sb.append(k).append('=').append(v).append('\u0000'));
            sb.append('\u0001');
        }
        return sb.toString();
    }

    private static ApiException invalidCursor() {
        return new ApiException(400, "INVALID_CURSOR", "cursor: is not a cursor this list returned for these parameters; start again without it",
                "分页游标无效，请不带游标重新查询", List.of(new Violation("cursor", "invalid",
                "is not a cursor this list returned for these parameters; start again without it")), null);
    }
}
