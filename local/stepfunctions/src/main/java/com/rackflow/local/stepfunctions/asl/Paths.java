package com.rackflow.local.stepfunctions.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.PathNotFoundException;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * JSONPath in the Amazon States Language: Paths (full JSONPath, via Jayway), Reference Paths (only `.name`,
 * `['name']` and `[index]`, used to write ResultPath) and the `$$` context object and `$name` variable prefixes.
 */
public final class Paths {

    private static final Configuration CONF = Configuration.builder()
            .jsonProvider(new JacksonJsonNodeJsonProvider(Json.MAPPER))
            .mappingProvider(new JacksonMappingProvider(Json.MAPPER))
            .build();
    private static final Pattern VARIABLE = Pattern.compile("^\\$([A-Za-z_][A-Za-z0-9_]*)(.*)$", Pattern.DOTALL);

    private Paths() {
    }

    /** Thrown when a path selects nothing; callers turn it into the right States error and message. */
    public static final class NoResult extends RuntimeException {
        public NoResult(String message) {
            super(message, null, false, false);
        }
    }

    public static boolean isPath(String s) {
        return s != null && s.startsWith("$");
    }

    /** Reads a Path (`$...`, `$$...` or `$var...`) against the evaluation context. */
    public static JsonNode read(String path, EvalContext ctx) {
        if (path.startsWith("$$")) {
            return readJsonPath(path.substring(1), ctx.context());
        }
        Matcher m = VARIABLE.matcher(path);
        if (m.matches()) {
            String name = m.group(1);
            JsonNode value = ctx.variables() == null ? null : ctx.variables().lookup(name);
            if (value == null) {
                throw new NoResult("Invalid path '" + path + "': The variable '$" + name + "' is not defined");
            }
            String rest = m.group(2);
            return rest.isEmpty() ? value : readJsonPath("$" + rest, value);
        }
        return readJsonPath(path, ctx.data());
    }

    private static final Pattern QUOTED_NAME = Pattern.compile("\\['((?:[^']|'(?!\\]))*)'\\]");

    /** AWS reads a backslash inside ['...'] literally; Jayway would take it as an escape, so double it. */
    private static String literalBackslashes(String path) {
        if (path.indexOf('\\') < 0) {
            return path;
        }
        Matcher m = QUOTED_NAME.matcher(path);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement("['" + m.group(1).replace("\\", "\\\\") + "']"));
        }
        m.appendTail(out);
        return out.toString();
    }

    public static JsonNode readJsonPath(String path, JsonNode document) {
        if ("$".equals(path)) {
            return document;
        }
        String jayway = literalBackslashes(path);
        try {
            Object result = JsonPath.using(CONF).parse(document).read(jayway);
            if (result == null) {
                return Json.NODES.nullNode();
            }
            return result instanceof JsonNode node ? node : Json.MAPPER.valueToTree(result);
        } catch (PathNotFoundException e) {
            // AWS: a wildcard or slice (an indefinite path) that selects nothing gives an empty array
            if (!JsonPath.compile(jayway).isDefinite()) {
                return Json.NODES.arrayNode();
            }
            throw new NoResult("Invalid path '" + path + "' : " + e.getMessage());
        } catch (InvalidPathException e) {
            throw new NoResult("Invalid path '" + path + "' : " + e.getMessage());
        }
    }

    /** Whether a string is a syntactically valid Path (for validation). */
    public static boolean isValidPath(String path) {
        if (path == null || !path.startsWith("$")) {
            return false;
        }
        String p = path;
        if (p.startsWith("$$")) {
            p = p.substring(1);
        } else {
            Matcher m = VARIABLE.matcher(p);
            if (m.matches()) {
                p = "$" + m.group(2);
            }
        }
        if ("$".equals(p)) {
            return true;
        }
        try {
            JsonPath.compile(p);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** One step of a Reference Path: a field name or an array index. */
    public record Step(String field, int index) {
        boolean isField() {
            return field != null;
        }
    }

    /** Parses a Reference Path; null when it is not one (e.g. uses wildcards, filters or slices). */
    public static List<Step> parseReferencePath(String path) {
        if (path == null || !path.startsWith("$")) {
            return null;
        }
        List<Step> steps = new ArrayList<>();
        int i = 1;
        int n = path.length();
        while (i < n) {
            char c = path.charAt(i);
            if (c == '.') {
                int j = i + 1;
                while (j < n && path.charAt(j) != '.' && path.charAt(j) != '[') {
                    j++;
                }
                String name = path.substring(i + 1, j);
                if (name.isEmpty() || name.contains("*") || name.contains("@") || name.contains("?")) {
                    return null;
                }
                steps.add(new Step(name, -1));
                i = j;
            } else if (c == '[') {
                int close = path.indexOf(']', i);
                if (close < 0) {
                    return null;
                }
                String inner = path.substring(i + 1, close).trim();
                if ((inner.startsWith("'") && inner.endsWith("'") || inner.startsWith("\"") && inner.endsWith("\""))
                        && inner.length() >= 2) {
                    steps.add(new Step(inner.substring(1, inner.length() - 1), -1));
                } else if (inner.matches("\\d+")) {
                    steps.add(new Step(null, Integer.parseInt(inner)));
                } else {
                    return null;
                }
                i = close + 1;
            } else {
                return null;
            }
        }
        return steps;
    }

    /**
     * Writes value into a copy of target at the Reference Path, creating missing objects as the spec says.
     * Fails with States.ResultPathMatchFailure when the path runs through a non-object.
     */
    public static JsonNode write(JsonNode target, String referencePath, JsonNode value) {
        List<Step> steps = parseReferencePath(referencePath);
        if (steps == null) {
            throw new StatesException(StatesError.RESULT_PATH_MATCH_FAILURE,
                    "Invalid ResultPath '" + referencePath + "': not a reference path");
        }
        if (steps.isEmpty()) {
            return value;
        }
        JsonNode root = target == null ? Json.object() : target.deepCopy();
        JsonNode current = root;
        for (int k = 0; k < steps.size(); k++) {
            Step step = steps.get(k);
            boolean last = k == steps.size() - 1;
            if (step.isField()) {
                if (!(current instanceof ObjectNode obj)) {
                    throw new StatesException(StatesError.RESULT_PATH_MATCH_FAILURE, "Unable to apply step \""
                            + step.field() + "\" to input " + Json.write(target));
                }
                if (last) {
                    obj.set(step.field(), value);
                } else {
                    JsonNode next = obj.get(step.field());
                    if (next == null || !next.isContainerNode()) {
                        next = obj.putObject(step.field());
                    }
                    current = next;
                }
            } else {
                if (!(current instanceof ArrayNode arr) || step.index() >= arr.size()) {
                    throw new StatesException(StatesError.RESULT_PATH_MATCH_FAILURE, "Unable to apply step \"["
                            + step.index() + "]\" to input " + Json.write(target));
                }
                if (last) {
                    arr.set(step.index(), value);
                } else {
                    current = arr.get(step.index());
                }
            }
        }
        return root;
    }
}
