package com.rackflow.local.stepfunctions.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;

/**
 * What was recorded of one Map or Parallel attempt before a restart: its meta data (the started event, a Map Run's
 * ARN), the results of the children that finished and where the others stood. Rebuilt from the records the
 * interpreter hands to {@link ExecutionListener#onChildProgress} (one JSON object each, the last one of a child wins).
 */
public record GroupProgress(JsonNode meta, Map<Integer, JsonNode> results, Map<Integer, Checkpoint> positions) {

    /** Folds persisted progress records (in the order written) into the attempts they describe. */
    public static Map<String, GroupProgress> fold(Iterable<JsonNode> records) {
        Map<String, JsonNode> metas = new HashMap<>();
        Map<String, Map<Integer, JsonNode>> results = new HashMap<>();
        Map<String, Map<Integer, Checkpoint>> positions = new HashMap<>();
        for (JsonNode r : records) {
            String group = r.path("group").asText();
            if (r.has("meta")) {
                metas.put(group, r.get("meta"));
            } else if (r.has("result")) {
                results.computeIfAbsent(group, g -> new HashMap<>()).put(r.path("index").asInt(), r.get("result"));
            } else if (r.has("position")) {
                positions.computeIfAbsent(group, g -> new HashMap<>()).put(r.path("index").asInt(),
                        Checkpoint.fromJson(r.get("position")));
            }
        }
        Map<String, GroupProgress> out = new HashMap<>();
        metas.forEach((group, meta) -> out.put(group, new GroupProgress(meta, results.getOrDefault(group,
                Map.of()), positions.getOrDefault(group, Map.of()))));
        return out;
    }

    /** The id of the entered event of the state the attempt belongs to (the key is "{enteredEventId}.{retry}"). */
    public static long enteredEventId(String key) {
        return Long.parseLong(key.substring(0, key.indexOf('.')));
    }

    /** The retry count of the attempt. */
    public static int retry(String key) {
        return Integer.parseInt(key.substring(key.indexOf('.') + 1));
    }

    static ObjectNode record(String group) {
        ObjectNode r = com.rackflow.local.stepfunctions.asl.Json.object();
        r.put("group", group);
        return r;
    }
}
