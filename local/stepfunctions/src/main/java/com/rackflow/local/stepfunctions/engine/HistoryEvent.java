package com.rackflow.local.stepfunctions.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.local.stepfunctions.asl.Json;
import java.time.Instant;

/** One execution history event, in AWS's shape: id, previousEventId, timestamp, type and one details object. */
public record HistoryEvent(long id, long previousEventId, Instant timestamp, EventType type, ObjectNode details) {

    public ObjectNode toJson() {
        ObjectNode n = Json.object();
        n.put("id", id);
        n.put("previousEventId", previousEventId);
        n.put("timestamp", timestamp.toEpochMilli());
        n.put("type", type.name());
        if (details != null && type.detailsKey() != null) {
            n.set(type.detailsKey(), details);
        }
        return n;
    }

    public static HistoryEvent fromJson(JsonNode n) {
        EventType type = EventType.valueOf(n.get("type").asText());
        JsonNode details = type.detailsKey() == null ? null : n.get(type.detailsKey());
        return new HistoryEvent(n.get("id").asLong(), n.get("previousEventId").asLong(),
                Instant.ofEpochMilli(n.get("timestamp").asLong()), type,
                details instanceof ObjectNode o ? o : null);
    }
}
