package com.rackflow.local.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.local.stepfunctions.asl.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The conformance corpus in {@code src/test/resources/conformance}: cases of definition + input + what AWS did (status,
 * output or error and cause, the history's event types), each naming its source. See the README there.
 */
final class ConformanceCorpus {

    /** One case; {@code expect} has "status" and "output", or "error"/"cause", or "createError"/"message". */
    /**
     * @param inputTimes input fields whose value the recording took from its clock: field → ISO-8601 duration from
     *                   now (e.g. {@code P24856D}), set when the case runs, since the recorded absolute time would
     *                   mean something else on another day
     */
    record Case(String file, String name, String source, JsonNode definition, JsonNode input, JsonNode expect,
                List<String> events, boolean eventsOrdered, String type, JsonNode inputTimes) {

        @Override
        public String toString() {
            return file.replace(".json", "") + ": " + name;
        }

        String definitionText() {
            return definition.isTextual() ? definition.textValue() : Json.write(definition);
        }

        String inputText() {
            if (input == null || input.isMissingNode()) {
                return "{}";
            }
            if (inputTimes == null || inputTimes.isMissingNode()) {
                return Json.write(input);
            }
            ObjectNode timed = ((ObjectNode) input).deepCopy();
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            inputTimes.fields().forEachRemaining(f -> timed.put(f.getKey(),
                    DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC)
                            .format(now.plus(Duration.parse(f.getValue().asText())))));
            return Json.write(timed);
        }

        boolean expectsInvalidDefinition() {
            return expect.has("createError");
        }
    }

    private ConformanceCorpus() {
    }

    static List<Case> all() {
        try {
            Path dir = Path.of(ConformanceCorpus.class.getResource("/conformance").toURI());
            List<Case> cases = new ArrayList<>();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                    try (InputStream in = Files.newInputStream(f)) {
                        for (JsonNode c : Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8))) {
                            List<String> events = new ArrayList<>();
                            c.path("events").forEach(e -> events.add(e.asText()));
                            cases.add(new Case(f.getFileName().toString(), c.get("name").asText(),
                                    c.get("source").asText(), c.get("definition"), c.get("input"), c.get("expect"),
                                    events, c.path("eventsOrdered").asBoolean(true),
                                    c.path("type").asText("STANDARD"), c.get("inputTimes")));
                        }
                    }
                }
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Matching what we got against what AWS recorded

    /**
     * Values that the recording replaced (ARNs, dates, generated names: {@code <ArnPart_0idx>}, {@code date} ...)
     * match any text there; everything else must be equal, numbers including their integer/decimal kind.
     */
    private static final Pattern PLACEHOLDER = Pattern.compile("<[^<>]{1,40}>|111111111111");
    private static final List<String> ANY_TEXT = List.of("date", "timestamp", "snf_role_arn", "start-time",
            "entered-time");

    static boolean textMatches(String expected, String actual) {
        if (expected.equals(actual) || ANY_TEXT.contains(expected)) {
            return true;
        }
        Matcher m = PLACEHOLDER.matcher(expected);
        StringBuilder regex = new StringBuilder();
        int at = 0;
        boolean any = false;
        while (m.find()) {
            any = true;
            regex.append(Pattern.quote(expected.substring(at, m.start()))).append(m.group().startsWith("<") ? ".+?"
                    : "\\d{12}");
            at = m.end();
        }
        if (!any) {
            return false;
        }
        regex.append(Pattern.quote(expected.substring(at)));
        return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(actual).matches();
    }

    /** Null when they match, else where they differ. */
    static String difference(String at, JsonNode expected, JsonNode actual) {
        if (expected == null || expected.isMissingNode()) {
            return actual == null || actual.isMissingNode() || actual.isNull() ? null : at + ": expected nothing, got "
                    + Json.write(actual);
        }
        if (actual == null || actual.isMissingNode()) {
            return at + ": expected " + Json.write(expected) + ", got nothing";
        }
        // the recordings store JSON text found inside values as parsed JSON
        if ((expected.isContainerNode()) && actual.isTextual()) {
            try {
                return difference(at, expected, Json.parse(actual.textValue()));
            } catch (IllegalArgumentException notJson) {
                return at + ": expected " + Json.write(expected) + ", got " + Json.write(actual);
            }
        }
        if (expected.isTextual() && !actual.isTextual()) {
            // the recordings keep an output that is not an object as its JSON text
            try {
                return difference(at, Json.parse(expected.textValue()), actual);
            } catch (IllegalArgumentException notJson) {
                return ANY_TEXT.contains(expected.textValue()) ? null : at + ": expected " + Json.write(expected)
                        + ", got " + Json.write(actual);
            }
        }
        if (expected.isTextual()) {
            String got = actual.textValue();
            if (textMatches(expected.textValue(), got)) {
                return null;
            }
            if (at.equals("output") && expected.textValue().startsWith("\"")) {
                return difference(at, Json.parse(expected.textValue()), actual); // a string output's JSON text
            }
            return at + ": expected " + Json.write(expected) + ", got " + Json.write(actual);
        }
        if (expected.isNumber()) {
            boolean sameKind = expected.isIntegralNumber() == actual.isIntegralNumber();
            if (actual.isNumber() && sameKind && expected.decimalValue().compareTo(actual.decimalValue()) == 0) {
                return null;
            }
            return at + ": expected " + Json.write(expected) + ", got " + Json.write(actual);
        }
        if (expected.isObject()) {
            if (!actual.isObject()) {
                return at + ": expected " + Json.write(expected) + ", got " + Json.write(actual);
            }
            List<String> keys = new ArrayList<>();
            expected.fieldNames().forEachRemaining(keys::add);
            List<String> got = new ArrayList<>();
            actual.fieldNames().forEachRemaining(got::add);
            if (!got.containsAll(keys) || !keys.containsAll(got)) {
                return at + ": expected fields " + keys + ", got " + got + " in " + Json.write(actual);
            }
            for (String k : keys) {
                String d = difference(at + "." + k, expected.get(k), actual.get(k));
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        if (expected.isArray()) {
            if (!actual.isArray() || actual.size() != expected.size()) {
                return at + ": expected " + Json.write(expected) + ", got " + Json.write(actual);
            }
            for (int i = 0; i < expected.size(); i++) {
                String d = difference(at + "[" + i + "]", expected.get(i), actual.get(i));
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        return expected.equals(actual) ? null : at + ": expected " + Json.write(expected) + ", got "
                + Json.write(actual);
    }
}
