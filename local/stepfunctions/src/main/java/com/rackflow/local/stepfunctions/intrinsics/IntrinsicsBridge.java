package com.rackflow.local.stepfunctions.intrinsics;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Lets the JSONata functions ($partition, $range, $hash) share the intrinsics' implementation and limits. */
public final class IntrinsicsBridge {

    private IntrinsicsBridge() {
    }

    public static JsonNode apply(IntrinsicFunction f, List<JsonNode> args) {
        return Intrinsics.apply(f, args);
    }
}
