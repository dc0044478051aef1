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

    /** AWS: only a string that begins with {% and ends with %} (no surrounding space) is an expression. */
    public static boolean isExpression(String s) {
        return s.startsWith("{%") && s.endsWith("%}") && s.length() >= 4;
    }

    /** A JSONata failure, with the field it happened in ("Output/v", "Choices[1]/Condition"), as AWS reports it. */
    public static final class EvaluationException extends StatesException {
        private final String location;

        public EvaluationException(String cause, String location) {
            super(StatesError.QUERY_EVALUATION_ERROR, cause);
            this.location = location;
        }

        public String location() {
            return location;
        }
    }

    /**
     * Evaluates a JSONata template: objects and arrays recursively, `{% %}` strings as expressions. An expression
     * that returns nothing (undefined) fails, naming the field, as AWS does.
     */
    public static JsonNode evaluateTemplate(JsonNode template, Map<String, JsonNode> bindings, String location) {
        if (template instanceof ObjectNode obj) {
            ObjectNode out = Json.object();
            Iterator<Map.Entry<String, JsonNode>> it = obj.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                out.set(e.getKey(), evaluateTemplate(e.getValue(), bindings, location + "/" + e.getKey()));
            }
            return out;
        }
        if (template instanceof ArrayNode arr) {
            ArrayNode out = Json.NODES.arrayNode();
            for (int i = 0; i < arr.size(); i++) {
                out.add(evaluateTemplate(arr.get(i), bindings, location + "[" + i + "]"));
            }
            return out;
        }
        if (isExpression(template)) {
            JsonNode v = evaluate(template.textValue(), bindings, location);
            if (v == null) {
                throw new EvaluationException("The JSONata expression '" + expressionOf(template.textValue())
                        + "' specified for the field '" + location + "' returned nothing (undefined).", location);
            }
            return v;
        }
        return template;
    }

    public static String expressionOf(String text) {
        return text.substring(2, text.length() - 2).trim();
    }

    /** Evaluates one `{% %}` string; null when the result is undefined (JSON null is a NullNode). */
    public static JsonNode evaluate(String text, Map<String, JsonNode> bindings, String location) {
        String expression = expressionOf(text);
        Jsonata compiled;
        try {
            // wrapped in an object constructor, which drops an undefined value but keeps a null one: the library's
            // evaluate() answers Java null for both
            compiled = CACHE.computeIfAbsent(expression, e -> Jsonata.jsonata("{\"v\": (" + e + "\n)}"));
        } catch (JException | IllegalArgumentException e) {
            throw new EvaluationException("The JSONata expression '" + expression + "' specified for the field '"
                    + location + "' is invalid: " + e.getMessage(), location);
        }
        Jsonata.Frame frame = compiled.createFrame();
        bindings.forEach((name, value) -> frame.bind(name, toJava(value)));
        bindFunctions(frame);
        try {
            Object result = compiled.evaluate(null, frame);
            if (!(result instanceof Map<?, ?> wrapper) || !wrapper.containsKey("v")) {
                return null;
            }
            Object value = wrapper.get("v");
            if (!isJsonValue(value)) {
                throw new EvaluationException("The JSONata expression '" + expression + "' specified for the field '"
                        + location + "' returned an unsupported result type.", location);
            }
            return fromJava(value);
        } catch (StatesException e) {
            throw e;
        } catch (JException e) {
            throw new EvaluationException("The JSONata expression '" + expression + "' specified for the field '"
                    + location + "' threw an error during evaluation. " + e.getError() + ": "
                    + JException.msg(e.getError(), e.getLocation(), e.getCurrent(), e.getExpected(), false)
                    .replaceFirst("^" + e.getError() + ":?\\s*", ""), location);
        } catch (RuntimeException e) {
            throw new EvaluationException("The JSONata expression '" + expression + "' specified for the field '"
                    + location + "' threw an error during evaluation. " + e.getMessage(), location);
        }
    }

    /** Whether a JSONata result is JSON (not a function or another library object). */
    private static boolean isJsonValue(Object v) {
        if (v instanceof Map<?, ?> m) {
            return m.values().stream().allMatch(JsonataSupport::isJsonValue);
        }
        if (v instanceof List<?> l) {
            return l.stream().allMatch(JsonataSupport::isJsonValue);
        }
        return v == null || v == Jsonata.NULL_VALUE || v instanceof String || v instanceof Number
                || v instanceof Boolean;
    }

    /** JSON to the values the JSONata library works on: maps, lists, numbers, strings, booleans, NULL_VALUE. */
    public static Object toJava(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return Jsonata.NULL_VALUE;
        }
        if (node.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            node.fields().forEachRemaining(e -> m.put(e.getKey(), toJava(e.getValue())));
            return m;
        }
        if (node.isArray()) {
            List<Object> l = new ArrayList<>(node.size());
            node.forEach(n -> l.add(toJava(n)));
            return l;
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.longValue() : node.doubleValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return node.asText();
    }

    static JsonNode fromJava(Object value) {
        if (value == null || value == Jsonata.NULL_VALUE) {
            return Json.NODES.nullNode();
        }
        if (value instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) {
            return Json.NODES.numberNode(d.longValue());
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode out = Json.object();
            map.forEach((k, v) -> out.set(String.valueOf(k), fromJava(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            ArrayNode out = Json.NODES.arrayNode();
            list.forEach(v -> out.add(fromJava(v)));
            return out;
        }
        return Json.MAPPER.valueToTree(value);
    }

    @SuppressWarnings("unchecked")
    private static void bindFunctions(Jsonata.Frame frame) {
        frame.bind("partition", new Jsonata.JFunction((input, args) -> intrinsic(IntrinsicFunction.ARRAY_PARTITION,
                args), null));
        // AWS's $range returns a JSONata sequence: a one-element result is the element itself
        frame.bind("range", new Jsonata.JFunction((input, args) -> {
            List<Object> seq = com.dashjoin.jsonata.Utils.createSequence();
            seq.addAll((List<Object>) intrinsic(IntrinsicFunction.ARRAY_RANGE, args));
            return seq;
        }, null));
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
