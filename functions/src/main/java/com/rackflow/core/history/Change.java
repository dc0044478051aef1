package com.rackflow.core.history;

import com.fasterxml.jackson.databind.JsonNode;

/** One field's value before and after a change. */
public record Change(String field, JsonNode before, JsonNode after) {
}
