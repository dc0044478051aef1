package com.rackflow.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What an answer shows of a record: the fields it names, nothing else. A field added to a stored record (a key, a
 * token, a guard's name, bookkeeping) stays out of every answer until a view names it; openapi.yaml's answer
 * schemas (no additional properties) check the same from the outside.
 */
public final class View {
    private View() {
    }

    /** The named fields of {@code record} that have a value, in the order named. */
    public static ObjectNode of(Object record, String... shown) {
        JsonNode all = Json.tree(record);
        ObjectNode out = Json.object();
        for (String field : shown) {
            JsonNode v = all.get(field);
            if (v != null && !v.isNull()) {
                out.set(field, v);
            }
        }
        return out;
    }
}
