package com.rackflow.core.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads and checks one JSON object of a request. Every problem is collected with its field path and rule;
 * {@link #validate()} then throws one 400 listing all of them. Unknown fields are refused, so typos are not
 * silently ignored.
 */
public final class Input {
    private final ObjectNode node;
    private final String prefix;
    private final List<Violation> violations;

    private Input(ObjectNode node, String prefix, List<Violation> violations, Set<String> allowed) {
        this.node = node;
        this.prefix = prefix;
        this.violations = violations;
        node.fieldNames().forEachRemaining(f -> {
            if (!allowed.contains(f)) {
                add(f, "unknown", "is not a field of this request; allowed: " + String.join(", ", allowed.stream().sorted().toList()));
            }
        });
    }

    public static Input of(ObjectNode body, String... allowedFields) {
        return new Input(body, "", new ArrayList<>(), Set.of(allowedFields));
    }

    public boolean has(String field) {
        return node.has(field);
    }

    public void add(String field, String rule, String message) {
        violations.add(new Violation(prefix + field, rule, message));
    }

    public boolean hasViolations() {
        return !violations.isEmpty();
    }

    /** Throws the 400 when anything was wrong. */
    public void validate() {
        if (!violations.isEmpty()) {
            throw ApiException.invalid(violations);
        }
    }

    public String requiredString(String field, int maxLength) {
        return string(field, maxLength, true).orElse(null);
    }

    public Optional<String> optionalString(String field, int maxLength) {
        return string(field, maxLength, false);
    }

    private Optional<String> string(String field, int maxLength, boolean required) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                add(field, "required", "is required");
            }
            return Optional.empty();
        }
        if (!v.isTextual()) {
            add(field, "type", "must be a string");
            return Optional.empty();
        }
        String s = v.asText().strip();
        if (!readable(field, s)) {
            return Optional.empty();
        }
        if (s.isEmpty()) {
            if (required) {
                add(field, "required", "must not be blank");
            }
            return Optional.empty();
        }
        if (s.codePointCount(0, s.length()) > maxLength) {
            add(field, "maxLength", "must be at most " + maxLength + " characters");
            return Optional.empty();
        }
        return Optional.of(s);
    }

    /**
     * Text people can read: no control characters (NUL, BEL, ESC ... ; tab and line breaks are text) and no
     * unpaired surrogate halves (which no UTF-8 encodes).
     */
    private boolean readable(String field, String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (Character.isISOControl(ch) && ch != '\t' && ch != '\n' && ch != '\r') {
                add(field, "controlCharacters", String.format(
                        "must not contain control characters (U+%04X at position %d)", (int) ch, i + 1));
                return false;
            }
            if (Character.isSurrogate(ch) && !(Character.isHighSurrogate(ch) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1)))) {
                if (!(Character.isLowSurrogate(ch) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1)))) {
                    add(field, "encoding", "must be valid Unicode text (an unpaired surrogate at position " + (i + 1) + ")");
                    return false;
                }
            }
        }
        return true;
    }

    /** A string that must match a format; {@code rule} names the format in the error. */
    public Optional<String> formatted(String field, Pattern pattern, String rule, String description, boolean required) {
        Optional<String> s = string(field, 256, required);
        if (s.isPresent() && !pattern.matcher(s.get()).matches()) {
            add(field, rule, description);
            return Optional.empty();
        }
        return s;
    }

    public <E extends Enum<E>> Optional<E> enumValue(String field, Class<E> type, boolean required) {
        Optional<String> s = string(field, 64, required);
        if (s.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Enum.valueOf(type, s.get()));
        } catch (IllegalArgumentException e) {
            add(field, "enum", "must be one of " + Arrays.toString(type.getEnumConstants()));
            return Optional.empty();
        }
    }

    public Optional<Long> integer(String field, long min, long max, boolean required) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                add(field, "required", "is required");
            }
            return Optional.empty();
        }
        if (!v.isIntegralNumber()) {
            add(field, "type", "must be a whole number");
            return Optional.empty();
        }
        long n = v.asLong();
        if (n < min || n > max) {
            add(field, "range", "must be between " + min + " and " + max);
            return Optional.empty();
        }
        return Optional.of(n);
    }

    public Optional<BigDecimal> decimal(String field, BigDecimal min, BigDecimal max, int scale, boolean required) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                add(field, "required", "is required");
            }
            return Optional.empty();
        }
        BigDecimal d;
        try {
            d = v.isNumber() ? v.decimalValue() : v.isTextual() ? new BigDecimal(v.asText().trim()) : null;
        } catch (NumberFormatException e) {
            d = null;
        }
        if (d == null) {
            add(field, "type", "must be a decimal number");
            return Optional.empty();
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            add(field, "range", "must be between " + min.toPlainString() + " and " + max.toPlainString());
            return Optional.empty();
        }
        if (d.stripTrailingZeros().scale() > scale) {
            add(field, "scale", "must have at most " + scale + " decimal places");
            return Optional.empty();
        }
        return Optional.of(d);
    }

    public Optional<LocalDate> date(String field, boolean required) {
        return parsed(field, required, LocalDate::parse, "date", "must be a date as YYYY-MM-DD");
    }

    public Optional<Instant> instant(String field, boolean required) {
        return parsed(field, required, Instant::parse, "timestamp", "must be an ISO-8601 UTC timestamp, e.g. 2026-11-27T09:30:00Z");
    }

    private <T> Optional<T> parsed(String field, boolean required, Function<String, T> parser, String rule, String msg) {
        Optional<String> s = string(field, 64, required);
        if (s.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(parser.apply(s.get()));
        } catch (DateTimeParseException e) {
            add(field, rule, msg);
            return Optional.empty();
        }
    }

    public Optional<Boolean> bool(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isBoolean()) {
            add(field, "type", "must be true or false");
            return Optional.empty();
        }
        return Optional.of(v.asBoolean());
    }

    /** An array of objects, each read by {@code reader} with its own allowed fields and the index in error paths. */
    public <T> Optional<List<T>> objects(String field, int minItems, int maxItems, Set<String> allowed,
                                         Function<Input, T> reader) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (minItems > 0) {
                add(field, "required", "is required");
            }
            return Optional.empty();
        }
        if (!v.isArray()) {
            add(field, "type", "must be an array");
            return Optional.empty();
        }
        if (v.size() < minItems || v.size() > maxItems) {
            add(field, "size", "must have between " + minItems + " and " + maxItems + " entries");
            return Optional.empty();
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode el = v.get(i);
            String path = prefix + field + "[" + i + "].";
            if (!(el instanceof ObjectNode o)) {
                violations.add(new Violation(prefix + field + "[" + i + "]", "type", "must be an object"));
                continue;
            }
            out.add(reader.apply(new Input(o, path, violations, allowed)));
        }
        return Optional.of(out);
    }

    /** A list of strings each matching a pattern. */
    public Optional<List<String>> strings(String field, int maxItems, Pattern pattern, String rule, String description) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isArray() || v.size() > maxItems) {
            add(field, "type", "must be an array of at most " + maxItems + " strings");
            return Optional.empty();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode el = v.get(i);
            if (!el.isTextual() || !pattern.matcher(el.asText()).matches()) {
                violations.add(new Violation(prefix + field + "[" + i + "]", rule, description));
            } else {
                out.add(el.asText());
            }
        }
        return Optional.of(out);
    }
}
