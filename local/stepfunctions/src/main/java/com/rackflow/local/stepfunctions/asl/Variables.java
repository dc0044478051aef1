package com.rackflow.local.stepfunctions.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Workflow variables (Assign). A scope sees its own variables and, read-only, those of the enclosing scopes
 * (a Map iteration or Parallel branch sees the outer workflow's variables but cannot change them).
 */
public final class Variables {

    private final Variables parent;
    private final Map<String, JsonNode> values = new ConcurrentHashMap<>();

    public Variables(Variables parent) {
        this.parent = parent;
    }

    public static Variables root() {
        return new Variables(null);
    }

    public Variables child() {
        return new Variables(this);
    }

    public JsonNode lookup(String name) {
        for (Variables v = this; v != null; v = v.parent) {
            JsonNode value = v.values.get(name);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    public void assignAll(Map<String, JsonNode> assignments) {
        values.putAll(assignments);
    }

    /** This scope's own variables, for checkpoints. */
    public ObjectNode snapshot() {
        ObjectNode node = Json.object();
        new LinkedHashMap<>(values).forEach(node::set);
        return node;
    }

    /** All visible variables, inner scopes shadowing outer ones, as a JSON object (for JSONata bindings). */
    public Map<String, JsonNode> visible() {
        Map<String, JsonNode> all = new LinkedHashMap<>();
        if (parent != null) {
            all.putAll(parent.visible());
        }
        all.putAll(values);
        return all;
    }

    public void restore(JsonNode snapshot) {
        if (snapshot != null) {
            snapshot.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue()));
        }
    }
}
