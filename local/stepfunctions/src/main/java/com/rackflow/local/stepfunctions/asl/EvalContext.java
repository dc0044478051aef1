package com.rackflow.local.stepfunctions.asl;

import com.fasterxml.jackson.databind.JsonNode;

/** What a path, payload template or intrinsic reads: `$` (the current data), `$$` (the context object) and variables. */
public record EvalContext(JsonNode data, JsonNode context, Variables variables) {

    public EvalContext withData(JsonNode newData) {
        return new EvalContext(newData, context, variables);
    }
}
