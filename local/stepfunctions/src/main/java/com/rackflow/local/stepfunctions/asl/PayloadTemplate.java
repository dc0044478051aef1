package com.rackflow.local.stepfunctions.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.local.stepfunctions.intrinsics.Intrinsics;
import java.util.Iterator;
import java.util.Map;

/** Payload templates (Parameters, ResultSelector, ItemSelector, Assign in JSONPath states): fields ending in `.$`. */
public final class PayloadTemplate {

    private static final java.util.regex.Pattern TRAILING_INDEX = java.util.regex.Pattern.compile(
            "^(\\$.*)\\[\\d+]$");

    private PayloadTemplate() {
    }

    public static JsonNode apply(JsonNode template, EvalContext ctx) {
        if (template instanceof ObjectNode obj) {
            ObjectNode out = Json.object();
            Iterator<Map.Entry<String, JsonNode>> it = obj.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String key = e.getKey();
                if (key.endsWith(".$")) {
                    out.set(key.substring(0, key.length() - 2), evaluateDynamic(key, e.getValue(), ctx));
                } else {
                    out.set(key, apply(e.getValue(), ctx));
                }
            }
            return out;
        }
        if (template instanceof ArrayNode arr) {
            ArrayNode out = Json.NODES.arrayNode();
            arr.forEach(item -> out.add(apply(item, ctx)));
            return out;
        }
        return template;
    }

    /** Evaluates the value of a `.$` field: a Path or an intrinsic function call. */
    public static JsonNode evaluateDynamic(String field, JsonNode expression, EvalContext ctx) {
        if (!expression.isTextual()) {
            throw new StatesException(StatesError.RUNTIME, "The value of the field '" + field
                    + "' must be a JSONPath or an intrinsic function");
        }
        String text = expression.textValue();
        if (Intrinsics.looksLikeCall(text)) {
            return Intrinsics.evaluate(text, ctx);
        }
        try {
            return Paths.read(text, ctx);
        } catch (Paths.NoResult e) {
            java.util.regex.Matcher index = TRAILING_INDEX.matcher(text);
            if (index.matches()) {
                // an array index past the end selects null, as AWS does in payload templates
                try {
                    if (Paths.read(index.group(1), ctx).isArray()) {
                        return Json.NODES.nullNode();
                    }
                } catch (Paths.NoResult parentMissing) {
                    // fall through to the error below
                }
            }
            throw new StatesException(StatesError.RUNTIME, "The JSONPath '" + text + "' specified for the field '"
                    + field + "' could not be found in the input '" + Json.write(ctx.data()) + "'");
        }
    }
}
