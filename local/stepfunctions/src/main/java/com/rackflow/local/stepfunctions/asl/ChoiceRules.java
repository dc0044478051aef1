package com.rackflow.local.stepfunctions.asl;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;

/** Evaluates JSONPath Choice Rules: every comparison operator, their Path forms, Is*, And/Or/Not. */
public final class ChoiceRules {

    private ChoiceRules() {
    }

    /** Comparison operators; the Path form compares against a value read from the input. */
    public enum Operator {
        StringEquals, StringLessThan, StringGreaterThan, StringLessThanEquals, StringGreaterThanEquals,
        StringMatches,
        NumericEquals, NumericLessThan, NumericGreaterThan, NumericLessThanEquals, NumericGreaterThanEquals,
        BooleanEquals,
        TimestampEquals, TimestampLessThan, TimestampGreaterThan, TimestampLessThanEquals, TimestampGreaterThanEquals,
        IsNull, IsPresent, IsNumeric, IsString, IsBoolean, IsTimestamp;

        public static Operator parse(String field) {
            String base = field.endsWith("Path") && !field.equals("StringMatches") ? field.substring(0,
                    field.length() - 4) : field;
            for (Operator o : values()) {
                if (o.name().equals(base)) {
                    return o;
                }
            }
            return null;
        }

        public boolean isTypeTest() {
            return name().startsWith("Is");
        }

        public boolean allowsPath() {
            return !isTypeTest() && this != StringMatches;
        }
    }

    public static boolean evaluate(JsonNode rule, EvalContext ctx) {
        if (rule.has("And")) {
            for (JsonNode r : rule.get("And")) {
                if (!evaluate(r, ctx)) {
                    return false;
                }
            }
            return true;
        }
        if (rule.has("Or")) {
            for (JsonNode r : rule.get("Or")) {
                if (evaluate(r, ctx)) {
                    return true;
                }
            }
            return false;
        }
        if (rule.has("Not")) {
            return !evaluate(rule.get("Not"), ctx);
        }
        String variablePath = rule.path("Variable").asText();
        Iterator<Map.Entry<String, JsonNode>> it = rule.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            Operator op = Operator.parse(e.getKey());
            if (op == null) {
                continue;
            }
            boolean pathForm = e.getKey().endsWith("Path");
            JsonNode value;
            try {
                value = Paths.read(variablePath, ctx);
            } catch (Paths.NoResult nr) {
                if (op == Operator.IsPresent) {
                    return !e.getValue().asBoolean();
                }
                throw new StatesException(StatesError.RUNTIME, "Invalid path '" + variablePath
                        + "': The choice state's condition path references an invalid value.");
            }
            JsonNode expected = e.getValue();
            if (pathForm) {
                try {
                    expected = Paths.read(expected.asText(), ctx);
                } catch (Paths.NoResult nr) {
                    throw new StatesException(StatesError.RUNTIME, "Invalid path '" + e.getValue().asText()
                            + "': The choice state's condition path references an invalid value.");
                }
            }
            return compare(op, value, expected);
        }
        throw new StatesException(StatesError.RUNTIME, "Choice rule has no comparison operator: " + Json.write(rule));
    }

    static boolean compare(Operator op, JsonNode value, JsonNode expected) {
        switch (op) {
            case IsNull:
                return value.isNull() == expected.asBoolean();
            case IsPresent:
                return expected.asBoolean();
            case IsNumeric:
                return value.isNumber() == expected.asBoolean();
            case IsString:
                return value.isTextual() == expected.asBoolean();
            case IsBoolean:
                return value.isBoolean() == expected.asBoolean();
            case IsTimestamp:
                return (value.isTextual() && timestamp(value.textValue()) != null) == expected.asBoolean();
            case StringMatches:
                return value.isTextual() && expected.isTextual() && matchesPattern(value.textValue(),
                        expected.textValue());
            case BooleanEquals:
                return value.isBoolean() && expected.isBoolean() && value.booleanValue() == expected.booleanValue();
            default:
                break;
        }
        String family = op.name();
        if (family.startsWith("String")) {
            if (!value.isTextual() || !expected.isTextual()) {
                return false;
            }
            return ordered(op, value.textValue().compareTo(expected.textValue()));
        }
        if (family.startsWith("Numeric")) {
            if (!value.isNumber() || !expected.isNumber()) {
                return false;
            }
            BigDecimal a = value.decimalValue();
            BigDecimal b = expected.decimalValue();
            return ordered(op, a.compareTo(b));
        }
        if (!value.isTextual() || !expected.isTextual()) {
            return false;
        }
        OffsetDateTime a = timestamp(value.textValue());
        OffsetDateTime b = timestamp(expected.textValue());
        if (a == null || b == null) {
            return false;
        }
        return ordered(op, a.toInstant().compareTo(b.toInstant()));
    }

    private static boolean ordered(Operator op, int cmp) {
        String n = op.name();
        if (n.endsWith("LessThanEquals")) {
            return cmp <= 0;
        }
        if (n.endsWith("GreaterThanEquals")) {
            return cmp >= 0;
        }
        if (n.endsWith("LessThan")) {
            return cmp < 0;
        }
        if (n.endsWith("GreaterThan")) {
            return cmp > 0;
        }
        return cmp == 0;
    }

    /** RFC 3339 timestamps as the spec requires (an uppercase T, a time zone). */
    public static OffsetDateTime timestamp(String text) {
        if (text.indexOf('T') < 0) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** StringMatches: `*` matches any run of characters; `\*` and `\\` are escapes. */
    static boolean matchesPattern(String value, String pattern) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) {
                regex.append(java.util.regex.Pattern.quote(String.valueOf(pattern.charAt(++i))));
            } else if (c == '*') {
                regex.append(".*");
            } else {
                regex.append(java.util.regex.Pattern.quote(String.valueOf(c)));
            }
        }
        return java.util.regex.Pattern.compile(regex.toString(), java.util.regex.Pattern.DOTALL).matcher(value)
                .matches();
    }
}
