package com.rackflow.local.stepfunctions.intrinsics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.local.stepfunctions.asl.EvalContext;
import com.rackflow.local.stepfunctions.asl.Json;
import com.rackflow.local.stepfunctions.asl.Paths;
import com.rackflow.local.stepfunctions.asl.StatesError;
import com.rackflow.local.stepfunctions.asl.StatesException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.StringTokenizer;
import java.util.concurrent.ThreadLocalRandom;

/** Parses and evaluates intrinsic function calls such as {@code States.Format('Hello {}', $.name)}. */
public final class Intrinsics {

    static final int MAX_STRING = 10_000;
    static final int MAX_RANGE = 1_000;

    private Intrinsics() {
    }

    /** A parsed argument or call. */
    public sealed interface Expr permits Literal, PathRef, Call {
    }

    /**
     * A literal argument. For a string literal, {@code formatTemplate} is the text as States.Format reads it: escaped
     * braces are kept apart from placeholders (as {@link #OPEN} and {@link #CLOSE}).
     */
    public record Literal(JsonNode value, String formatTemplate) implements Expr {
        Literal(JsonNode value) {
            this(value, null);
        }
    }

    static final char OPEN = '\uE000';
    static final char CLOSE = '\uE001';
    /** AWS allows up to 10 nested intrinsic functions in one field. */
    static final int MAX_NESTING = 10;

    public record PathRef(String path) implements Expr {
    }

    public record Call(IntrinsicFunction function, List<Expr> args) implements Expr {
    }

    public static boolean looksLikeCall(String s) {
        return s != null && s.startsWith("States.");
    }

    /** Parses an intrinsic function call; throws IllegalArgumentException describing a syntax error. */
    public static Call parse(String text) {
        Parser p = new Parser(text);
        Expr e = p.call();
        p.skipSpace();
        if (p.pos != text.length()) {
            throw new IllegalArgumentException("unexpected text after the intrinsic function call at " + p.pos);
        }
        return (Call) e;
    }

    public static JsonNode evaluate(String text, EvalContext ctx) {
        Call call;
        try {
            call = parse(text);
        } catch (IllegalArgumentException e) {
            throw new StatesException(StatesError.INTRINSIC_FAILURE, "Invalid intrinsic function '" + text + "': "
                    + e.getMessage());
        }
        return eval(call, ctx);
    }

    private static final class Parser {
        final String s;
        int pos;
        int depth;

        Parser(String s) {
            this.s = s;
        }

        void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        Expr call() {
            if (++depth > MAX_NESTING) {
                throw new IllegalArgumentException("more than " + MAX_NESTING + " nested intrinsic functions");
            }
            int open = s.indexOf('(', pos);
            if (open < 0) {
                throw new IllegalArgumentException("missing '(' after function name");
            }
            String name = s.substring(pos, open).trim();
            IntrinsicFunction f = IntrinsicFunction.byName(name);
            if (f == null) {
                throw new IllegalArgumentException("unknown function " + name);
            }
            pos = open + 1;
            List<Expr> args = new ArrayList<>();
            skipSpace();
            if (pos < s.length() && s.charAt(pos) == ')') {
                pos++;
                depth--;
                return new Call(f, args);
            }
            while (true) {
                skipSpace();
                args.add(argument());
                skipSpace();
                if (pos >= s.length()) {
                    throw new IllegalArgumentException("missing ')'");
                }
                char c = s.charAt(pos++);
                if (c == ')') {
                    depth--;
                    return new Call(f, args);
                }
                if (c != ',') {
                    throw new IllegalArgumentException("expected ',' or ')' at " + (pos - 1));
                }
            }
        }

        Expr argument() {
            if (pos >= s.length()) {
                throw new IllegalArgumentException("missing argument");
            }
            char c = s.charAt(pos);
            if (c == '\'') {
                StringBuilder template = new StringBuilder();
                String value = string(template);
                return new Literal(Json.NODES.textNode(value), template.toString());
            }
            if (c == '$') {
                return new PathRef(path());
            }
            if (s.startsWith("States.", pos)) {
                return call();
            }
            int start = pos;
            while (pos < s.length() && s.charAt(pos) != ',' && s.charAt(pos) != ')') {
                pos++;
            }
            String token = s.substring(start, pos).trim();
            return switch (token) {
                case "true" -> new Literal(Json.NODES.booleanNode(true));
                case "false" -> new Literal(Json.NODES.booleanNode(false));
                case "null" -> new Literal(Json.NODES.nullNode());
                default -> {
                    try {
                        BigDecimal d = new BigDecimal(token);
                        yield new Literal(d.scale() <= 0 && d.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0
                                ? Json.NODES.numberNode(d.longValueExact()) : Json.NODES.numberNode(d));
                    } catch (NumberFormatException | ArithmeticException e) {
                        throw new IllegalArgumentException("invalid argument '" + token + "'");
                    }
                }
            };
        }

        /** Reads a quoted literal: escapes are \\' \\{ \\} \\\\ only; an open escape is an error. */
        String string(StringBuilder template) {
            StringBuilder b = new StringBuilder();
            pos++;
            while (pos < s.length()) {
                char c = s.charAt(pos++);
                if (c == '\\') {
                    if (pos >= s.length() || "'{}\\".indexOf(s.charAt(pos)) < 0) {
                        throw new IllegalArgumentException("open escape backslash at " + (pos - 1));
                    }
                    char n = s.charAt(pos++);
                    b.append(n);
                    template.append(n == '{' ? OPEN : n == '}' ? CLOSE : n);
                } else if (c == '\'') {
                    return b.toString();
                } else {
                    b.append(c);
                    template.append(c);
                }
            }
            throw new IllegalArgumentException("unterminated string literal");
        }

        String path() {
            int start = pos;
            int depth = 0;
            boolean quoted = false;
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (quoted) {
                    if (c == '\'') {
                        quoted = false;
                    }
                } else if (c == '\'') {
                    quoted = true;
                } else if (c == '[' || c == '(') {
                    depth++;
                } else if (c == ']' || (c == ')' && depth > 0)) {
                    depth--;
                } else if ((c == ',' || c == ')') && depth == 0) {
                    break;
                }
                pos++;
            }
            return s.substring(start, pos).trim();
        }
    }

    static StatesException failure(IntrinsicFunction f, String message) {
        return new StatesException(StatesError.INTRINSIC_FAILURE, "Invalid arguments in " + f.functionName() + ": "
                + message);
    }

    static JsonNode eval(Expr e, EvalContext ctx) {
        if (e instanceof Literal l) {
            return l.value();
        }
        if (e instanceof PathRef p) {
            try {
                return Paths.read(p.path(), ctx);
            } catch (Paths.NoResult nr) {
                throw new StatesException(StatesError.RUNTIME, nr.getMessage());
            }
        }
        Call call = (Call) e;
        List<JsonNode> args = new ArrayList<>();
        for (Expr a : call.args()) {
            args.add(eval(a, ctx));
        }
        if (call.function() == IntrinsicFunction.FORMAT && !args.isEmpty()
                && call.args().get(0) instanceof Literal l && l.formatTemplate() != null) {
            return format(l.formatTemplate(), args.subList(1, args.size()));
        }
        return apply(call.function(), args);
    }

    private static void arity(IntrinsicFunction f, List<JsonNode> args, int min, int max) {
        if (args.size() < min || args.size() > max) {
            throw failure(f, "expected " + (min == max ? String.valueOf(min) : min + " to " + max)
                    + " arguments but got " + args.size());
        }
    }

    private static String string(IntrinsicFunction f, JsonNode n, String what) {
        if (!n.isTextual()) {
            throw failure(f, what + " must be a string, got " + Json.write(n));
        }
        return n.textValue();
    }

    private static ArrayNode array(IntrinsicFunction f, JsonNode n, String what) {
        if (!(n instanceof ArrayNode a)) {
            throw failure(f, what + " must be an array, got " + Json.write(n));
        }
        return a;
    }

    private static long integer(IntrinsicFunction f, JsonNode n, String what) {
        if (!n.isNumber()) {
            throw failure(f, what + " must be a number, got " + Json.write(n));
        }
        BigDecimal d = n.decimalValue();
        try {
            return d.stripTrailingZeros().longValueExact();
        } catch (ArithmeticException ex) {
            throw failure(f, what + " must be an integer, got " + d.toPlainString());
        }
    }

    /** An integer argument where AWS rounds a non-integer to the nearest integer. */
    private static long rounded(IntrinsicFunction f, JsonNode n, String what) {
        if (!n.isNumber()) {
            throw failure(f, what + " must be a number, got " + Json.write(n));
        }
        try {
            // AWS rounds as Java's Math.round does: halves go up (-1.5 -> -1), not away from zero
            return n.decimalValue().add(new BigDecimal("0.5")).setScale(0, java.math.RoundingMode.FLOOR)
                    .longValueExact();
        } catch (ArithmeticException ex) {
            throw failure(f, what + " is out of range: " + n.asText());
        }
    }

    private static int roundedInt32(IntrinsicFunction f, JsonNode n, String what) {
        long v = rounded(f, n, what);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw failure(f, what + " is outside the range -2147483648..2147483647: " + v);
        }
        return (int) v;
    }

    private static int int32(IntrinsicFunction f, JsonNode n, String what) {
        long v = integer(f, n, what);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw failure(f, what + " is outside the 32-bit integer range: " + v);
        }
        return (int) v;
    }

    /**
     * A States.Format argument as text. AWS (unlike the spec, which allows only scalars) also takes objects and
     * arrays and prints them as Java maps and lists do: {a=1, b=[x, y]}.
     */
    private static String formatted(JsonNode v) {
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isNumber() && v.numberValue() instanceof BigDecimal bd) {
            return bd.stripTrailingZeros().toPlainString();
        }
        if (v.isObject()) {
            StringBuilder b = new StringBuilder("{");
            v.fields().forEachRemaining(e -> b.append(b.length() > 1 ? ", " : "").append(e.getKey()).append('=')
                    .append(formatted(e.getValue())));
            return b.append('}').toString();
        }
        if (v.isArray()) {
            StringBuilder b = new StringBuilder("[");
            v.forEach(e -> b.append(b.length() > 1 ? ", " : "").append(formatted(e)));
            return b.append(']').toString();
        }
        return v.asText();
    }

    /** States.Format: each {} takes the next value; escaped braces (OPEN/CLOSE) are literal. */
    static JsonNode format(String template, List<JsonNode> values) {
        IntrinsicFunction f = IntrinsicFunction.FORMAT;
        StringBuilder out = new StringBuilder();
        int next = 0;
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c == '{' && i + 1 < template.length() && template.charAt(i + 1) == '}') {
                if (next >= values.size()) {
                    throw failure(f, "the format string has more placeholders than arguments");
                }
                out.append(formatted(values.get(next++)));
                i++;
            } else {
                out.append(c == OPEN ? '{' : c == CLOSE ? '}' : c);
            }
        }
        if (next != values.size()) {
            throw failure(f, "the format string has fewer placeholders than arguments");
        }
        return Json.NODES.textNode(out.toString());
    }

    static JsonNode apply(IntrinsicFunction f, List<JsonNode> args) {
        switch (f) {
            case FORMAT: {
                if (args.isEmpty()) {
                    throw failure(f, "a format string is required");
                }
                return format(string(f, args.get(0), "the format string"), args.subList(1, args.size()));
            }
            case STRING_TO_JSON: {
                arity(f, args, 1, 1);
                String text = string(f, args.get(0), "the argument");
                if (text.isBlank()) {
                    return Json.NODES.nullNode(); // AWS: an empty or blank string gives null
                }
                try {
                    return Json.parse(text);
                } catch (IllegalArgumentException e) {
                    throw failure(f, "the string is not JSON: " + e.getMessage());
                }
            }
            case JSON_TO_STRING:
                arity(f, args, 1, 1);
                return Json.NODES.textNode(Json.write(args.get(0)));
            case ARRAY: {
                ArrayNode a = Json.NODES.arrayNode();
                args.forEach(a::add);
                return a;
            }
            case ARRAY_PARTITION: {
                arity(f, args, 2, 2);
                ArrayNode source = array(f, args.get(0), "the first argument");
                long size = rounded(f, args.get(1), "the chunk size");
                if (size <= 0) {
                    throw failure(f, "the chunk size must be a positive integer, got " + size);
                }
                ArrayNode out = Json.NODES.arrayNode();
                ArrayNode chunk = null;
                for (JsonNode item : source) {
                    if (chunk == null || chunk.size() == size) {
                        chunk = out.addArray();
                    }
                    chunk.add(item);
                }
                return out;
            }
            case ARRAY_CONTAINS: {
                arity(f, args, 2, 2);
                ArrayNode source = array(f, args.get(0), "the first argument");
                JsonNode wanted = Json.canonical(args.get(1));
                for (JsonNode item : source) {
                    if (Json.canonical(item).equals(wanted)) {
                        return Json.NODES.booleanNode(true);
                    }
                }
                return Json.NODES.booleanNode(false);
            }
            case ARRAY_RANGE: {
                arity(f, args, 3, 3);
                long start = rounded(f, args.get(0), "the start");
                long end = rounded(f, args.get(1), "the end");
                long step = rounded(f, args.get(2), "the step");
                if (step == 0) {
                    throw failure(f, "the step must not be 0");
                }
                ArrayNode out = Json.NODES.arrayNode();
                for (long v = start; step > 0 ? v <= end : v >= end; v += step) {
                    if (out.size() == MAX_RANGE) {
                        throw failure(f, "the range has more than " + MAX_RANGE + " elements");
                    }
                    out.add(v);
                }
                return out;
            }
            case ARRAY_GET_ITEM: {
                arity(f, args, 2, 2);
                ArrayNode source = array(f, args.get(0), "the first argument");
                long index = integer(f, args.get(1), "the index");
                if (index < 0 || index >= source.size()) {
                    throw failure(f, "index " + index + " is out of bounds for an array of " + source.size());
                }
                return source.get((int) index);
            }
            case ARRAY_LENGTH:
                arity(f, args, 1, 1);
                return Json.NODES.numberNode(array(f, args.get(0), "the argument").size());
            case ARRAY_UNIQUE: {
                arity(f, args, 1, 1);
                Set<JsonNode> seen = new LinkedHashSet<>();
                ArrayNode out = Json.NODES.arrayNode();
                for (JsonNode item : array(f, args.get(0), "the argument")) {
                    if (seen.add(Json.canonical(item))) {
                        out.add(item);
                    }
                }
                return out;
            }
            case BASE64_ENCODE: {
                arity(f, args, 1, 1);
                String s = string(f, args.get(0), "the argument");
                if (s.length() > MAX_STRING) {
                    throw failure(f, "the input string exceeds " + MAX_STRING + " characters");
                }
                return Json.NODES.textNode(Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)));
            }
            case BASE64_DECODE: {
                arity(f, args, 1, 1);
                String s = string(f, args.get(0), "the argument");
                if (s.length() > MAX_STRING) {
                    throw failure(f, "the input string exceeds " + MAX_STRING + " characters");
                }
                try {
                    return Json.NODES.textNode(new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    throw failure(f, "the argument is not base64: " + e.getMessage());
                }
            }
            case HASH: {
                arity(f, args, 2, 2);
                JsonNode data = args.get(0);
                String text = data.isTextual() ? data.textValue() : Json.write(data);
                if (text.length() > MAX_STRING) {
                    throw failure(f, "the input data exceeds " + MAX_STRING + " characters");
                }
                String algorithm = string(f, args.get(1), "the algorithm");
                if (!List.of("MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512").contains(algorithm)) {
                    throw failure(f, "the algorithm must be one of MD5, SHA-1, SHA-256, SHA-384, SHA-512, got "
                            + algorithm);
                }
                try {
                    byte[] digest = MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8));
                    return Json.NODES.textNode(HexFormat.of().formatHex(digest));
                } catch (NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
            }
            case JSON_MERGE: {
                arity(f, args, 3, 3);
                if (!(args.get(0) instanceof ObjectNode a) || !(args.get(1) instanceof ObjectNode b)) {
                    throw failure(f, "the first two arguments must be JSON objects");
                }
                if (!args.get(2).isBoolean()) {
                    throw failure(f, "the third argument must be a boolean");
                }
                if (args.get(2).booleanValue()) {
                    throw failure(f, "deep merging is not supported; the third argument must be false");
                }
                ObjectNode merged = a.deepCopy();
                merged.setAll(b);
                return merged;
            }
            case MATH_RANDOM: {
                arity(f, args, 2, 3);
                int start = roundedInt32(f, args.get(0), "the start");
                int end = roundedInt32(f, args.get(1), "the end");
                if (end <= start) {
                    throw failure(f, "the end must be greater than the start");
                }
                Random random = args.size() == 3 ? new Random(int32(f, args.get(2), "the seed"))
                        : ThreadLocalRandom.current();
                return Json.NODES.numberNode(start + random.nextInt(end - start));
            }
            case MATH_ADD: {
                arity(f, args, 2, 2);
                long sum = (long) roundedInt32(f, args.get(0), "the first number")
                        + roundedInt32(f, args.get(1), "the second number");
                if (sum < Integer.MIN_VALUE || sum > Integer.MAX_VALUE) {
                    throw failure(f, "the sum is outside the 32-bit integer range");
                }
                return Json.NODES.numberNode((int) sum);
            }
            case STRING_SPLIT: {
                arity(f, args, 2, 2);
                String s = string(f, args.get(0), "the first argument");
                String delimiters = string(f, args.get(1), "the delimiter");
                ArrayNode out = Json.NODES.arrayNode();
                StringTokenizer t = new StringTokenizer(s, delimiters);
                while (t.hasMoreTokens()) {
                    out.add(t.nextToken());
                }
                return out;
            }
            case UUID:
                arity(f, args, 0, 0);
                return Json.NODES.textNode(java.util.UUID.randomUUID().toString());
            default:
                throw new IllegalStateException(f.name());
        }
    }
}
