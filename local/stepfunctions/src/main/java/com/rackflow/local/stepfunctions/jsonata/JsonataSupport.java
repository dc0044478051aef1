package com.rackflow.local.stepfunctions.jsonata;

import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.local.stepfunctions.asl.Json;
import com.rackflow.local.stepfunctions.asl.StatesError;
import com.rackflow.local.stepfunctions.asl.StatesException;
import com.rackflow.local.stepfunctions.intrinsics.IntrinsicFunction;
import com.rackflow.local.stepfunctions.intrinsics.IntrinsicsBridge;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JSONata in Step Functions: `{% expression %}` strings in Arguments, Output, Assign, Condition, Items..., with
 * `$states` and workflow variables bound, and Step Functions' extra functions ($partition, $range, $hash, $random,
 * $uuid, $parse), evaluated by the dashjoin JSONata implementation.
 */
public final class JsonataSupport {

    private static final Map<String, Jsonata> CACHE = new ConcurrentHashMap<>();

    private JsonataSupport() {
    }

    public static boolean isExpression(JsonNode node) {
        return node != null && node.isTextual() && isExpression(node.textValue());
    }

    public static boolean isExpression(String s) {
        String t = s.trim();
        return t.startsWith("{%") && t.endsWith("%}") && t.length() >= 4;
    }

    /** Evaluates a JSONata template: objects and arrays recursively, `{% %}` strings as expressions. */
    public static JsonNode evaluateTemplate(JsonNode template, Map<String, JsonNode> bindings, String location) {
        if (template instanceof ObjectNode obj) {
            ObjectNode out = Json.object();
            Iterator<Map.Entry<String, JsonNode>> it = obj.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode v = evaluateTemplate(e.getValue(), bindings, location + "." + e.getKey());
                if (v != null) {
                    out.set(e.getKey(), v);
                }
            }
            return out;
        }
        if (template instanceof ArrayNode arr) {
            ArrayNode out = Json.NODES.arrayNode();
            for (JsonNode item : arr) {
                JsonNode v = evaluateTemplate(item, bindings, location);
                if (v != null) {
                    out.add(v);
                }
            }
            return out;
        }
        if (isExpression(template)) {
            return evaluate(template.textValue(), bindings, location);
        }
        return template;
    }

    /** Evaluates one `{% %}` string; null when the result is undefined. */
    public static JsonNode evaluate(String text, Map<String, JsonNode> bindings, String location) {
        String t = text.trim();
        String expression = t.substring(2, t.length() - 2).trim();
        Jsonata compiled;
        try {
            compiled = CACHE.computeIfAbsent(expression, Jsonata::jsonata);
        } catch (JException | IllegalArgumentException e) {
            throw new StatesException(StatesError.QUERY_EVALUATION_ERROR, "The JSONata expression '" + expression
                    + "' specified for the field '" + location + "' is invalid: " + e.getMessage());
        }
        Jsonata.Frame frame = compiled.createFrame();
        bindings.forEach((name, value) -> frame.bind(name, toJava(value)));
        bindFunctions(frame);
        try {
            Object result = compiled.evaluate(null, frame);
            return result == null ? null : fromJava(result);
        } catch (StatesException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new StatesException(StatesError.QUERY_EVALUATION_ERROR, "An error occurred while evaluating the "
                    + "JSONata expression '" + expression + "' specified for the field '" + location + "': "
                    + e.getMessage());
        }
    }

    public static Object toJava(JsonNode node) {
        if (node == null) {
            return null;
        }
        return Json.MAPPER.convertValue(node, Object.class);
    }

    static JsonNode fromJava(Object value) {
        if (value == Jsonata.NULL_VALUE) {
            return Json.NODES.nullNode();
        }
        if (value instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) {
            return Json.NODES.numberNode(d.longValue());
        }
        return Json.MAPPER.valueToTree(value);
    }

    @SuppressWarnings("unchecked")
    private static void bindFunctions(Jsonata.Frame frame) {
        frame.bind("partition", new Jsonata.JFunction((input, args) -> intrinsic(IntrinsicFunction.ARRAY_PARTITION,
                args), null));
        frame.bind("range", new Jsonata.JFunction((input, args) -> intrinsic(IntrinsicFunction.ARRAY_RANGE, args),
                null));
        frame.bind("hash", new Jsonata.JFunction((input, args) -> intrinsic(IntrinsicFunction.HASH, args), null));
        frame.bind("random", new Jsonata.JFunction((input, args) -> {
            if (args.isEmpty()) {
                return java.util.concurrent.ThreadLocalRandom.current().nextDouble();
            }
            return new java.util.Random(((Number) args.get(0)).longValue()).nextDouble();
        }, null));
        frame.bind("uuid", new Jsonata.JFunction((input, args) -> java.util.UUID.randomUUID().toString(), null));
        frame.bind("parse", new Jsonata.JFunction((input, args) -> {
            Object arg = args.get(0);
            if (!(arg instanceof String s)) {
                throw new StatesException(StatesError.QUERY_EVALUATION_ERROR, "$parse expects a string");
            }
            try {
                return toJava(Json.parse(s));
            } catch (IllegalArgumentException e) {
                throw new StatesException(StatesError.QUERY_EVALUATION_ERROR, "$parse: invalid JSON: "
                        + e.getMessage());
            }
        }, null));
    }

    private static Object intrinsic(IntrinsicFunction f, List<Object> args) {
        List<JsonNode> nodes = new ArrayList<>();
        for (Object a : args) {
            nodes.add(fromJava(a));
        }
        return toJava(IntrinsicsBridge.apply(f, nodes));
    }

    /** Bindings for an evaluation: `$states` plus the visible workflow variables. */
    public static Map<String, JsonNode> bindings(JsonNode states, Map<String, JsonNode> variables) {
        Map<String, JsonNode> b = new LinkedHashMap<>(variables);
        b.put("states", states);
        return b;
    }
}
