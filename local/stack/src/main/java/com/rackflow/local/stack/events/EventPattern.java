package com.rackflow.local.stack.events;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rackflow.local.cloudformation.TemplateException;

/**
 * An EventBridge event pattern, matched as EventBridge matches it: every field of the pattern must match; a field's
 * value is either a nested pattern (an object) or a list of alternatives, each a literal (exact, numbers by value) or
 * a filter ({@code prefix}, {@code suffix}, {@code anything-but}, {@code exists}, {@code equals-ignore-case},
 * {@code numeric}, {@code wildcard}); an event array matches when one of its elements does; {@code $or} lists
 * alternative patterns. A pattern using anything else (e.g. {@code cidr}) is refused when the stack starts.
 */
public final class EventPattern {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final JsonNode pattern;

    private EventPattern(JsonNode pattern) {
        this.pattern = pattern;
    }

    public static EventPattern of(Map<String, Object> pattern, String where) {
        JsonNode node = JSON.valueToTree(pattern);
        check(node, where);
        return new EventPattern(node);
    }

    public boolean matches(JsonNode event) {
        return matchesObject(pattern, event);
    }

    private static boolean matchesObject(JsonNode pattern, JsonNode event) {
        var fields = pattern.fields();
        while (fields.hasNext()) {
            var f = fields.next();
            if (f.getKey().equals("$or")) {
                boolean any = false;
                for (JsonNode alternative : f.getValue()) {
                    any |= matchesObject(alternative, event);
                }
                if (!any) {
                    return false;
                }
                continue;
            }
            JsonNode value = event == null ? null : event.get(f.getKey());
            if (f.getValue().isObject()) {
                if (value == null || !value.isObject() || !matchesObject(f.getValue(), value)) {
                    return false;
                }
            } else if (!matchesList(f.getValue(), value)) {
                return false;
            }
        }
        return true;
    }

    private static boolean matchesList(JsonNode alternatives, JsonNode value) {
        for (JsonNode a : alternatives) {
            if (a.isObject() && a.has("exists")) {
                boolean present = value != null && !(value.isArray() && value.isEmpty());
                if (present == a.get("exists").asBoolean()) {
                    return true;
                }
                continue;
            }
            if (value == null) {
                continue;
            }
            List<JsonNode> values = new ArrayList<>();
            if (value.isArray()) {
                value.forEach(values::add);
            } else {
                values.add(value);
            }
            for (JsonNode v : values) {
                if (matchesOne(a, v)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean matchesOne(JsonNode a, JsonNode v) {
        if (!a.isObject()) {
            return literal(a, v);
        }
        String op = a.fieldNames().next();
        JsonNode arg = a.get(op);
        return switch (op) {
            case "prefix" -> v.isTextual() && (arg.isObject()
                    ? v.asText().toLowerCase(Locale.ROOT).startsWith(arg.path("equals-ignore-case").asText().toLowerCase(Locale.ROOT))
                    : v.asText().startsWith(arg.asText()));
            case "suffix" -> v.isTextual() && (arg.isObject()
                    ? v.asText().toLowerCase(Locale.ROOT).endsWith(arg.path("equals-ignore-case").asText().toLowerCase(Locale.ROOT))
                    : v.asText().endsWith(arg.asText()));
            case "equals-ignore-case" -> v.isTextual() && v.asText().equalsIgnoreCase(arg.asText());
            case "wildcard" -> v.isTextual() && wildcard(arg.asText()).matcher(v.asText()).matches();
            case "numeric" -> v.isNumber() && numeric(arg, v.decimalValue());
            case "anything-but" -> !anythingBut(arg, v);
            default -> false;
        };
    }

    /** True when {@code v} is one of what anything-but excludes. */
    private static boolean anythingBut(JsonNode arg, JsonNode v) {
        if (arg.isArray()) {
            for (JsonNode x : arg) {
                if (literal(x, v)) {
                    return true;
                }
            }
            return false;
        }
        if (arg.isObject()) {
            return matchesOne(arg, v);
        }
        return literal(arg, v);
    }

    private static boolean literal(JsonNode a, JsonNode v) {
        if (a.isNumber() && v.isNumber()) {
            return a.decimalValue().compareTo(v.decimalValue()) == 0;
        }
        if (a.isNull()) {
            return v.isNull();
        }
        return a.getNodeType() == v.getNodeType() && a.asText().equals(v.asText());
    }

    private static boolean numeric(JsonNode arg, BigDecimal v) {
        for (int i = 0; i + 1 < arg.size(); i += 2) {
            int c = v.compareTo(arg.get(i + 1).decimalValue());
            boolean ok = switch (arg.get(i).asText()) {
                case "<" -> c < 0;
                case "<=" -> c <= 0;
                case "=" -> c == 0;
                case ">" -> c > 0;
                case ">=" -> c >= 0;
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static Pattern wildcard(String w) {
        StringBuilder regex = new StringBuilder();
        for (String part : w.split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    private static void check(JsonNode pattern, String where) {
        if (!pattern.isObject()) {
            throw new TemplateException(where + ": an event pattern is a JSON object");
        }
        pattern.fields().forEachRemaining(f -> {
            String at = where + "." + f.getKey();
            if (f.getKey().equals("$or")) {
                f.getValue().forEach(alternative -> check(alternative, at));
            } else if (f.getValue().isObject()) {
                check(f.getValue(), at);
            } else if (!f.getValue().isArray()) {
                throw new TemplateException(at + ": a pattern field's value is a list of alternatives or a nested pattern");
            } else {
                for (JsonNode a : f.getValue()) {
                    if (a.isObject()) {
                        String op = a.size() == 1 ? a.fieldNames().next() : "";
                        if (!List.of("prefix", "suffix", "anything-but", "exists", "equals-ignore-case", "numeric", "wildcard")
                                .contains(op)) {
                            throw new TemplateException(at + ": the filter " + a + " is not supported by the local stack");
                        }
                    }
                }
            }
        });
    }
}
