package com.rackflow.local.stepfunctions.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.rackflow.local.stepfunctions.intrinsics.Intrinsics;
import com.rackflow.local.stepfunctions.jsonata.JsonataSupport;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a definition against the Amazon States Language: structure, fields per state type, transitions, paths,
 * payload templates, intrinsic calls, choice rules, retriers and catchers, nested Parallel/Map machines. Reports
 * diagnostics with AWS's codes and a JSON-pointer-like location, as ValidateStateMachineDefinition does.
 */
public final class DefinitionValidator {

    /** Codes AWS uses in ValidateStateMachineDefinition diagnostics. */
    public enum Code {
        INVALID_JSON_DESCRIPTION, MISSING_DESCRIPTION, SCHEMA_VALIDATION_FAILED, INVALID_RESOURCE, MISSING_END_STATE,
        DUPLICATE_STATE_NAME, INVALID_STATE_NAME, MISSING_TRANSITION_TARGET, INVALID_JSON_PATH, INVALID_INTRINSIC,
        UNREACHABLE_STATE,
        /** Warning: no .$ on a field whose value looks like a JSONPath or an intrinsic function. */
        NO_DOLLAR,
        /** Warning: a Pass state's Result looks like it wanted a path. */
        PASS_RESULT_IS_STATIC
    }

    public enum Severity {
        ERROR, WARNING
    }

    public record Diagnostic(Severity severity, Code code, String message, String location) {

        /** As AWS prints it in an InvalidDefinition message. */
        public String describe() {
            return code + ": " + message + (location == null ? "" : " at " + location);
        }
    }

    private static final Set<String> TYPES = Set.of("Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel",
            "Map");
    private static final Set<String> COMMON = Set.of("Type", "Comment", "QueryLanguage");
    private static final Set<String> JSONPATH_ONLY = Set.of("InputPath", "OutputPath", "Parameters", "ResultPath",
            "ResultSelector", "ItemsPath", "SecondsPath", "TimestampPath", "TimeoutSecondsPath",
            "HeartbeatSecondsPath", "ErrorPath", "CausePath", "MaxConcurrencyPath");
    private static final Set<String> JSONATA_ONLY = Set.of("Arguments", "Output", "Items");
    private static final Map<String, Set<String>> FIELDS = Map.of(
            "Pass", Set.of("Next", "End", "InputPath", "OutputPath", "Parameters", "ResultPath", "Result", "Assign",
                    "Output"),
            "Task", Set.of("Next", "End", "InputPath", "OutputPath", "Parameters", "ResultPath", "ResultSelector",
                    "Resource", "TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds", "HeartbeatSecondsPath",
                    "Retry", "Catch", "Credentials", "Assign", "Arguments", "Output"),
            "Choice", Set.of("InputPath", "OutputPath", "Choices", "Default", "Assign", "Output"),
            "Wait", Set.of("Next", "End", "InputPath", "OutputPath", "Seconds", "SecondsPath", "Timestamp",
                    "TimestampPath", "Assign", "Output"),
            "Succeed", Set.of("InputPath", "OutputPath", "Output"),
            "Fail", Set.of("Error", "ErrorPath", "Cause", "CausePath"),
            "Parallel", Set.of("Next", "End", "InputPath", "OutputPath", "Parameters", "ResultPath",
                    "ResultSelector", "Branches", "Retry", "Catch", "Assign", "Arguments", "Output"),
            "Map", Set.of("Next", "End", "InputPath", "OutputPath", "Parameters", "ResultPath", "ResultSelector",
                    "ItemsPath", "Items", "ItemSelector", "ItemProcessor", "Iterator", "MaxConcurrency",
                    "MaxConcurrencyPath", "Retry", "Catch", "Assign", "Output", "ToleratedFailurePercentage",
                    "ToleratedFailureCount", "ToleratedFailurePercentagePath", "ToleratedFailureCountPath",
                    "ItemReader", "ResultWriter", "ItemBatcher", "Label"));

    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private final Set<String> allNames = new HashSet<>();
    private final boolean express;

    private DefinitionValidator(boolean express) {
        this.express = express;
    }

    public static List<Diagnostic> validate(String definition) {
        return validate(definition, false);
    }

    /** {@code express}: the machine is of type EXPRESS, which AWS refuses callbacks, .sync and activities in. */
    public static List<Diagnostic> validate(String definition, boolean express) {
        DefinitionValidator v = new DefinitionValidator(express);
        if (definition == null || definition.isBlank()) {
            v.error(Code.MISSING_DESCRIPTION, "The definition is empty", null);
            return v.diagnostics;
        }
        JsonNode root;
        try {
            root = Json.parse(definition);
        } catch (IllegalArgumentException e) {
            v.error(Code.INVALID_JSON_DESCRIPTION, "Invalid JSON: " + e.getMessage(), null);
            return v.diagnostics;
        }
        if (!root.isObject()) {
            v.error(Code.SCHEMA_VALIDATION_FAILED, "The definition must be a JSON object", "/");
            return v.diagnostics;
        }
        String ql = root.path("QueryLanguage").asText("JSONPath");
        if (!Set.of("JSONPath", "JSONata").contains(ql)) {
            v.error(Code.SCHEMA_VALIDATION_FAILED, "QueryLanguage must be JSONPath or JSONata", "/QueryLanguage");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!Set.of("StartAt", "States", "Comment", "Version", "TimeoutSeconds", "QueryLanguage").contains(f)) {
                v.error(Code.SCHEMA_VALIDATION_FAILED, "These fields are required: [States, StartAt]; field '" + f
                        + "' is not supported", "/" + f);
            }
        }
        v.machine(root, "", ql);
        return v.diagnostics;
    }

    private void error(Code code, String message, String location) {
        diagnostics.add(new Diagnostic(Severity.ERROR, code, message, location));
    }

    private void warning(Code code, String message, String location) {
        diagnostics.add(new Diagnostic(Severity.WARNING, code, message, location));
    }

    private static boolean looksDynamic(JsonNode v) {
        return v.isTextual() && (v.asText().startsWith("$.") || v.asText().startsWith("$$.")
                || Intrinsics.looksLikeCall(v.asText()) && v.asText().endsWith(")"));
    }

    private void machine(JsonNode m, String at, String ql) {
        JsonNode states = m.get("States");
        JsonNode startAt = m.get("StartAt");
        // AWS's message and order: "These fields are required: [States, StartAt]" at the machine's location
        List<String> missing = new ArrayList<>();
        if (states == null) {
            missing.add("States");
        }
        if (startAt == null) {
            missing.add("StartAt");
        }
        if (!missing.isEmpty()) {
            error(Code.SCHEMA_VALIDATION_FAILED, "These fields are required: " + missing, at.isEmpty() ? "/" : at);
            return;
        }
        if (!startAt.isTextual()) {
            error(Code.SCHEMA_VALIDATION_FAILED, "The field 'StartAt' must be a string", at + "/StartAt");
        }
        if (!states.isObject() || states.isEmpty()) {
            error(Code.SCHEMA_VALIDATION_FAILED, "Value cannot be empty", at + "/States");
            return;
        }
        if (startAt != null && startAt.isTextual() && !states.has(startAt.asText())) {
            error(Code.MISSING_TRANSITION_TARGET, "Missing 'StartAt' target: " + startAt.asText(), at + "/StartAt");
        }
        boolean terminal = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = states.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            String loc = at + "/States/" + name;
            if (!allNames.add(name)) {
                error(Code.DUPLICATE_STATE_NAME, "Duplicate State name: " + name, loc);
            }
            if (name.isEmpty() || name.length() > 80) {
                error(Code.INVALID_STATE_NAME, "State names must be 1 to 80 characters: " + name, loc);
            }
            terminal |= state(name, e.getValue(), states, loc, ql);
        }
        if (!terminal) {
            error(Code.MISSING_END_STATE, "No terminal state: the workflow must have a state with \"End\": true, "
                    + "or a Succeed or Fail state", at + "/States");
        }
        if (startAt != null && states.has(startAt.asText())) {
            reachability(states, startAt.asText(), at);
        }
    }

    private void reachability(JsonNode states, String start, String at) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        todo.add(start);
        while (!todo.isEmpty()) {
            String n = todo.pop();
            if (!seen.add(n) || !states.has(n)) {
                continue;
            }
            JsonNode s = states.get(n);
            addTarget(todo, s.get("Next"));
            addTarget(todo, s.get("Default"));
            s.path("Choices").forEach(c -> addTarget(todo, c.get("Next")));
            s.path("Catch").forEach(c -> addTarget(todo, c.get("Next")));
        }
        for (Iterator<String> it = states.fieldNames(); it.hasNext(); ) {
            String n = it.next();
            if (!seen.contains(n)) {
                error(Code.UNREACHABLE_STATE, "State '" + n + "' is not reachable", at + "/States/" + n);
            }
        }
    }

    private static void addTarget(Deque<String> todo, JsonNode n) {
        if (n != null && n.isTextual()) {
            todo.add(n.asText());
        }
    }

    private void target(JsonNode states, JsonNode next, String loc, String field) {
        if (next == null) {
            return;
        }
        if (!next.isTextual()) {
            error(Code.SCHEMA_VALIDATION_FAILED, "The field '" + field + "' must be a string", loc);
        } else if (!states.has(next.asText())) {
            error(Code.MISSING_TRANSITION_TARGET, "Missing '" + field + "' target: " + next.asText(), loc);
        }
    }

    /** Validates one state; returns whether it is terminal. */
    private boolean state(String name, JsonNode s, JsonNode states, String loc, String machineQl) {
        if (!s.isObject()) {
            error(Code.SCHEMA_VALIDATION_FAILED, "A state must be a JSON object", loc);
            return false;
        }
        String type = s.path("Type").asText(null);
        if (type == null || !TYPES.contains(type)) {
            error(Code.SCHEMA_VALIDATION_FAILED, "The field 'Type' should have one of these values: [Task, Wait, "
                    + "Pass, Succeed, Fail, Choice, Parallel, Map]", loc + "/Type");
            return true;
        }
        String ql = s.path("QueryLanguage").asText(machineQl);
        boolean jsonata = "JSONata".equals(ql);
        if ("JSONata".equals(machineQl) && "JSONPath".equals(s.path("QueryLanguage").asText(""))) {
            error(Code.SCHEMA_VALIDATION_FAILED, "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for "
                    + "whole state machine", loc);
        }
        Set<String> allowed = FIELDS.get(type);
        for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!COMMON.contains(f) && !allowed.contains(f)) {
                error(Code.SCHEMA_VALIDATION_FAILED, "Field '" + f + "' is not supported by state type '" + type
                        + "'", loc + "/" + f);
            } else if (jsonata && JSONPATH_ONLY.contains(f)) {
                error(Code.SCHEMA_VALIDATION_FAILED, "Field '" + f + "' is not supported in JSONata states", loc
                        + "/" + f);
            } else if (!jsonata && JSONATA_ONLY.contains(f)) {
                error(Code.SCHEMA_VALIDATION_FAILED, "Field '" + f + "' is only supported in JSONata states", loc
                        + "/" + f);
            }
        }
        boolean flow = Set.of("Pass", "Task", "Wait", "Parallel", "Map").contains(type);
        boolean terminal = false;
        if (flow) {
            boolean hasNext = s.has("Next");
            boolean end = s.path("End").asBoolean(false);
            if (s.has("End") && !s.get("End").isBoolean()) {
                error(Code.SCHEMA_VALIDATION_FAILED, "The field 'End' must be a boolean", loc + "/End");
            }
            if (hasNext == end) {
                error(Code.SCHEMA_VALIDATION_FAILED, hasNext ? "A state cannot have both 'Next' and 'End'"
                        : "A state must have either 'Next' or \"End\": true", loc);
            }
            target(states, s.get("Next"), loc + "/Next", "Next");
            terminal = end;
        } else if (s.has("Next") || s.has("End")) {
            error(Code.SCHEMA_VALIDATION_FAILED, "A " + type + " state cannot have 'Next' or 'End'", loc);
        }
        if (!jsonata) {
            for (String f : List.of("InputPath", "OutputPath", "ItemsPath")) {
                pathField(s, f, loc, false);
            }
            pathField(s, "ResultPath", loc, true);
            for (String f : List.of("Parameters", "ResultSelector", "ItemSelector", "Assign")) {
                if (s.has(f)) {
                    template(s.get(f), loc + "/" + f);
                }
            }
        }
        if ("Pass".equals(type) && !jsonata && s.has("Result") && (looksDynamic(s.get("Result"))
                || s.get("Result").isObject() && hasDollarKey(s.get("Result")))) {
            warning(Code.PASS_RESULT_IS_STATIC, "A Pass state's Result is static: paths in it are not evaluated "
                    + "(use Parameters)", loc + "/Result");
        }
        switch (type) {
            case "Task" -> task(s, loc, jsonata);
            case "Choice" -> choice(s, states, loc, jsonata);
            case "Wait" -> {
                int count = 0;
                for (String f : List.of("Seconds", "SecondsPath", "Timestamp", "TimestampPath")) {
                    count += s.has(f) ? 1 : 0;
                }
                if (count != 1) {
                    error(Code.SCHEMA_VALIDATION_FAILED, "A Wait state must have exactly one of Seconds, SecondsPath,"
                            + " Timestamp, TimestampPath", loc);
                }
                if (s.has("Seconds") && !(s.get("Seconds").isIntegralNumber() && s.get("Seconds").asLong() >= 0
                        || jsonata && JsonataSupport.isExpression(s.get("Seconds")))) {
                    error(Code.SCHEMA_VALIDATION_FAILED, "Seconds must be a non-negative integer", loc + "/Seconds");
                }
                if (s.has("Timestamp") && !(s.get("Timestamp").isTextual() && (ChoiceRules.timestamp(s.get(
                        "Timestamp").asText()) != null || jsonata && JsonataSupport.isExpression(s.get("Timestamp"))))) {
                    error(Code.SCHEMA_VALIDATION_FAILED, "Timestamp must be an RFC3339 timestamp", loc
                            + "/Timestamp");
                }
            }
            case "Fail" -> {
                if (s.has("Error") && s.has("ErrorPath")) {
                    error(Code.SCHEMA_VALIDATION_FAILED, "Error and ErrorPath are mutually exclusive", loc);
                }
                if (s.has("Cause") && s.has("CausePath")) {
                    error(Code.SCHEMA_VALIDATION_FAILED, "Cause and CausePath are mutually exclusive", loc);
                }
                terminal = true;
            }
            case "Succeed" -> terminal = true;
            case "Parallel" -> {
                JsonNode branches = s.get("Branches");
                if (branches == null || !branches.isArray() || branches.isEmpty()) {
                    error(Code.SCHEMA_VALIDATION_FAILED, "Value cannot be empty", loc + "/Branches");
                } else {
                    for (int i = 0; i < branches.size(); i++) {
                        machine(branches.get(i), loc + "/Branches[" + i + "]", ql);
                    }
                }
            }
            case "Map" -> {
                JsonNode processor = s.has("ItemProcessor") ? s.get("ItemProcessor") : s.get("Iterator");
                if (processor == null || !processor.isObject()) {
                    error(Code.SCHEMA_VALIDATION_FAILED, "A Map state requires 'ItemProcessor' (or 'Iterator')",
                            loc);
                } else {
                    String mode = processor.path("ProcessorConfig").path("Mode").asText("INLINE");
                    if (!"INLINE".equals(mode) && !"DISTRIBUTED".equals(mode)) {
                        error(Code.SCHEMA_VALIDATION_FAILED, "ProcessorConfig Mode must be INLINE or DISTRIBUTED",
                                loc + "/ItemProcessor/ProcessorConfig/Mode");
                    }
                    // a Distributed Map runs here over an array in the state input only
                    for (String unsupported : List.of("ItemReader", "ResultWriter", "ItemBatcher")) {
                        if (s.has(unsupported)) {
                            error(Code.SCHEMA_VALIDATION_FAILED, "The local Step Functions does not support "
                                    + unsupported + " (Distributed Map over S3 or batches); give the items in the "
                                    + "state input", loc + "/" + unsupported);
                        }
                    }
                    machine(processor, loc + (s.has("ItemProcessor") ? "/ItemProcessor" : "/Iterator"), ql);
                }
                if (s.has("MaxConcurrency") && !(s.get("MaxConcurrency").isIntegralNumber()
                        && s.get("MaxConcurrency").asInt() >= 0 || jsonata && JsonataSupport.isExpression(
                        s.get("MaxConcurrency")))) {
                    error(Code.SCHEMA_VALIDATION_FAILED, "MaxConcurrency must be a non-negative integer", loc
                            + "/MaxConcurrency");
                }
            }
            default -> {
            }
        }
        if (s.has("Retry")) {
            retriers(s.get("Retry"), loc + "/Retry");
        }
        if (s.has("Catch")) {
            catchers(s.get("Catch"), states, loc + "/Catch");
        }
        return terminal;
    }

    private void pathField(JsonNode s, String f, String loc, boolean reference) {
        if (!s.has(f) || s.get(f).isNull()) {
            return;
        }
        JsonNode v = s.get(f);
        boolean ok = v.isTextual() && (reference ? Paths.parseReferencePath(v.asText()) != null
                : Paths.isValidPath(v.asText()));
        if (!ok) {
            error(Code.SCHEMA_VALIDATION_FAILED, "The value for the field '" + f + "' must be a valid "
                    + (reference ? "reference path" : "JSONPath") + ": " + v, loc + "/" + f);
        }
    }

    private void template(JsonNode t, String loc) {
        if (t.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = t.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().endsWith(".$")) {
                    JsonNode v = e.getValue();
                    if (!v.isTextual()) {
                        error(Code.SCHEMA_VALIDATION_FAILED, "The value for the field '" + e.getKey()
                                + "' must be a STRING that contains a JSONPath or an intrinsic function", loc + "/"
                                + e.getKey());
                    } else if (Intrinsics.looksLikeCall(v.asText())) {
                        try {
                            Intrinsics.parse(v.asText());
                        } catch (IllegalArgumentException ex) {
                            error(Code.SCHEMA_VALIDATION_FAILED, "The value for the field '" + e.getKey()
                                    + "' must be a valid intrinsic function: " + ex.getMessage(), loc + "/"
                                    + e.getKey());
                        }
                    } else if (!Paths.isValidPath(v.asText())) {
                        error(Code.SCHEMA_VALIDATION_FAILED, "The value for the field '" + e.getKey()
                                + "' must be a valid JSONPath or a valid intrinsic function call", loc + "/"
                                + e.getKey());
                    }
                } else {
                    if (looksDynamic(e.getValue())) {
                        warning(Code.NO_DOLLAR, "The value of the field '" + e.getKey() + "' looks like a JSONPath "
                                + "or an intrinsic function, but the field name does not end with '.$'", loc + "/"
                                + e.getKey());
                    }
                    template(e.getValue(), loc + "/" + e.getKey());
                }
            }
        } else if (t.isArray()) {
            for (int i = 0; i < t.size(); i++) {
                template(t.get(i), loc + "[" + i + "]");
            }
        }
    }

    private static boolean hasDollarKey(JsonNode n) {
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().endsWith(".$") || e.getValue().isObject() && hasDollarKey(e.getValue())) {
                return true;
            }
        }
        return false;
    }

    private void task(JsonNode s, String loc, boolean jsonata) {
        JsonNode r = s.get("Resource");
        if (r == null || !r.isTextual()) {
            error(Code.SCHEMA_VALIDATION_FAILED, "The field 'Resource' is required and must be a string", loc);
        } else if (!r.asText().startsWith("arn:") && !(jsonata && JsonataSupport.isExpression(r))) {
            error(Code.INVALID_RESOURCE, "Resource must be an ARN: " + r.asText(), loc + "/Resource");
        } else if (express) {
            String resource = r.asText();
            // AWS's messages, including the double space before "at" in the first one
            if (resource.endsWith(".waitForTaskToken")) {
                error(Code.SCHEMA_VALIDATION_FAILED, "Express state machine does not support '.waitForTaskToken' "
                        + "service integration ", loc + "/Resource");
            } else if (resource.endsWith(".sync") || resource.endsWith(".sync:2")) {
                error(Code.SCHEMA_VALIDATION_FAILED, "Express state machine does not support '.sync' service "
                        + "integration", loc + "/Resource");
            } else if (resource.matches("arn:[^:]+:states:[^:]*:[^:]*:activity:.+")) {
                error(Code.SCHEMA_VALIDATION_FAILED, "Express state machine does not support Activity ARN", loc
                        + "/Resource");
            }
        }
        if (s.has("TimeoutSeconds") && s.has("TimeoutSecondsPath")) {
            error(Code.SCHEMA_VALIDATION_FAILED, "TimeoutSeconds and TimeoutSecondsPath are mutually exclusive", loc);
        }
        if (s.has("HeartbeatSeconds") && s.has("HeartbeatSecondsPath")) {
            error(Code.SCHEMA_VALIDATION_FAILED, "HeartbeatSeconds and HeartbeatSecondsPath are mutually exclusive",
                    loc);
        }
        for (String f : List.of("TimeoutSeconds", "HeartbeatSeconds")) {
            JsonNode v = s.get(f);
            if (v != null && !(v.isIntegralNumber() && v.asLong() > 0 || jsonata && JsonataSupport.isExpression(v))) {
                error(Code.SCHEMA_VALIDATION_FAILED, f + " must be a positive integer", loc + "/" + f);
            }
        }
        JsonNode t = s.get("TimeoutSeconds");
        JsonNode h = s.get("HeartbeatSeconds");
        if (t != null && h != null && t.isNumber() && h.isNumber() && h.asLong() >= t.asLong()) {
            error(Code.SCHEMA_VALIDATION_FAILED, "HeartbeatSeconds must be smaller than TimeoutSeconds", loc
                    + "/HeartbeatSeconds");
        }
    }

    private void choice(JsonNode s, JsonNode states, String loc, boolean jsonata) {
        JsonNode choices = s.get("Choices");
        if (choices == null || !choices.isArray() || choices.isEmpty()) {
            error(Code.SCHEMA_VALIDATION_FAILED, "The field 'Choices' must be a non-empty array", loc + "/Choices");
            return;
        }
        for (int i = 0; i < choices.size(); i++) {
            JsonNode c = choices.get(i);
            String cl = loc + "/Choices[" + i + "]";
            if (!c.has("Next")) {
                error(Code.SCHEMA_VALIDATION_FAILED, "A choice rule must have 'Next'", cl);
            }
            target(states, c.get("Next"), cl + "/Next", "Next");
            if (jsonata) {
                if (!c.has("Condition")) {
                    error(Code.SCHEMA_VALIDATION_FAILED, "A JSONata choice rule must have 'Condition'", cl);
                }
            } else {
                rule(c, cl, true);
            }
        }
        target(states, s.get("Default"), loc + "/Default", "Default");
    }

    private void rule(JsonNode r, String loc, boolean top) {
        if (!r.isObject()) {
            error(Code.SCHEMA_VALIDATION_FAILED, "A choice rule must be an object", loc);
            return;
        }
        if (r.has("And") || r.has("Or")) {
            JsonNode list = r.has("And") ? r.get("And") : r.get("Or");
            if (!list.isArray() || list.isEmpty()) {
                error(Code.SCHEMA_VALIDATION_FAILED, "And/Or must be a non-empty array of rules", loc);
                return;
            }
            for (int i = 0; i < list.size(); i++) {
                rule(list.get(i), loc + (r.has("And") ? "/And[" : "/Or[") + i + "]", false);
            }
            return;
        }
        if (r.has("Not")) {
            rule(r.get("Not"), loc + "/Not", false);
            return;
        }
        JsonNode variable = r.get("Variable");
        if (variable == null || !variable.isTextual() || !Paths.isValidPath(variable.asText())) {
            error(Code.SCHEMA_VALIDATION_FAILED, "A comparison must have a 'Variable' that is a valid JSONPath", loc);
        }
        int operators = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = r.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String f = e.getKey();
            if (Set.of("Variable", "Next", "Comment", "Assign").contains(f)) {
                if (!top && Set.of("Next", "Assign").contains(f)) {
                    error(Code.SCHEMA_VALIDATION_FAILED, "Nested rules cannot have '" + f + "'", loc + "/" + f);
                }
                continue;
            }
            ChoiceRules.Operator op = ChoiceRules.Operator.parse(f);
            if (op == null || f.endsWith("Path") && !op.allowsPath()) {
                error(Code.SCHEMA_VALIDATION_FAILED, "Unknown comparison operator '" + f + "'", loc + "/" + f);
                continue;
            }
            operators++;
            JsonNode v = e.getValue();
            boolean ok;
            if (f.endsWith("Path")) {
                ok = v.isTextual() && Paths.isValidPath(v.asText());
            } else if (op.isTypeTest() || op == ChoiceRules.Operator.BooleanEquals) {
                ok = v.isBoolean();
            } else if (f.startsWith("String")) {
                ok = v.isTextual();
            } else if (f.startsWith("Numeric")) {
                ok = v.isNumber();
            } else {
                ok = v.isTextual() && ChoiceRules.timestamp(v.asText()) != null;
            }
            if (!ok) {
                error(Code.SCHEMA_VALIDATION_FAILED, "The value of '" + f + "' has the wrong type: " + v, loc + "/"
                        + f);
            }
        }
        if (operators != 1) {
            error(Code.SCHEMA_VALIDATION_FAILED, "A comparison must have exactly one comparison operator", loc);
        }
    }

    private void errorEquals(JsonNode n, String loc) {
        JsonNode list = n.get("ErrorEquals");
        if (list == null || !list.isArray() || list.isEmpty()) {
            error(Code.SCHEMA_VALIDATION_FAILED, "The field 'ErrorEquals' must be a non-empty array", loc);
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            String e = list.get(i).asText();
            if (StatesError.ALL.errorName().equals(e) && list.size() > 1) {
                error(Code.SCHEMA_VALIDATION_FAILED, "States.ALL must appear alone in ErrorEquals", loc
                        + "/ErrorEquals");
            }
            if (e.startsWith("States.") && !StatesError.isPredefined(e)) {
                error(Code.SCHEMA_VALIDATION_FAILED, "Unknown predefined error name: " + e, loc + "/ErrorEquals");
            }
        }
    }

    private boolean containsAll(JsonNode n) {
        for (JsonNode e : n.path("ErrorEquals")) {
            if (StatesError.ALL.errorName().equals(e.asText())) {
                return true;
            }
        }
        return false;
    }

    private void retriers(JsonNode list, String loc) {
        if (!list.isArray()) {
            error(Code.SCHEMA_VALIDATION_FAILED, "Retry must be an array", loc);
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode r = list.get(i);
            String rl = loc + "[" + i + "]";
            errorEquals(r, rl);
            if (containsAll(r) && i != list.size() - 1) {
                error(Code.SCHEMA_VALIDATION_FAILED, "A retrier with States.ALL must be the last one", rl);
            }
            if (r.has("MaxAttempts") && !(r.get("MaxAttempts").isIntegralNumber() && r.get("MaxAttempts").asInt()
                    >= 0)) {
                error(Code.SCHEMA_VALIDATION_FAILED, "MaxAttempts must be a non-negative integer", rl
                        + "/MaxAttempts");
            }
            if (r.has("IntervalSeconds") && !(r.get("IntervalSeconds").isIntegralNumber()
                    && r.get("IntervalSeconds").asInt() >= 1)) {
                error(Code.SCHEMA_VALIDATION_FAILED, "IntervalSeconds must be a positive integer", rl
                        + "/IntervalSeconds");
            }
            if (r.has("BackoffRate") && !(r.get("BackoffRate").isNumber() && r.get("BackoffRate").asDouble() >= 1)) {
                error(Code.SCHEMA_VALIDATION_FAILED, "BackoffRate must be a number >= 1.0", rl + "/BackoffRate");
            }
            if (r.has("JitterStrategy") && !Set.of("FULL", "NONE").contains(r.get("JitterStrategy").asText())) {
                error(Code.SCHEMA_VALIDATION_FAILED, "JitterStrategy must be FULL or NONE", rl + "/JitterStrategy");
            }
        }
    }

    private void catchers(JsonNode list, JsonNode states, String loc) {
        if (!list.isArray()) {
            error(Code.SCHEMA_VALIDATION_FAILED, "Catch must be an array", loc);
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode c = list.get(i);
            String cl = loc + "[" + i + "]";
            errorEquals(c, cl);
            if (containsAll(c) && i != list.size() - 1) {
                error(Code.SCHEMA_VALIDATION_FAILED, "A catcher with States.ALL must be the last one", cl);
            }
            if (!c.has("Next")) {
                error(Code.SCHEMA_VALIDATION_FAILED, "A catcher must have 'Next'", cl);
            }
            target(states, c.get("Next"), cl + "/Next", "Next");
            pathField(c, "ResultPath", cl, true);
        }
    }
}
