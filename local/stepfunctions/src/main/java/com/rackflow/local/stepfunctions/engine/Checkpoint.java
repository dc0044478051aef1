package com.rackflow.local.stepfunctions.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.local.stepfunctions.asl.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a top-level execution stands, persisted before each state runs: the state, its raw input, the workflow
 * variables, the number of history events written before the state was entered, the id of its entered event, the
 * task token it waits for (null when not waiting) and the real-time deadline of its Wait or callback timeout (epoch
 * milliseconds, 0 when none), so that a restart resumes the wait instead of starting it again.
 */
public record Checkpoint(String stateName, JsonNode input, JsonNode variables, int eventsBefore, String pendingToken,
                         int enteredEventId, long deadlineEpochMillis, List<Integer> retryAttempts) {

    public Checkpoint {
        retryAttempts = retryAttempts == null ? List.of() : List.copyOf(retryAttempts);
    }

    public static Checkpoint enteringState(String stateName, JsonNode input, JsonNode variables, int eventsBefore) {
        return new Checkpoint(stateName, input, variables, eventsBefore, null, 0, 0, List.of());
    }

    public Checkpoint withEnteredEventId(int id) {
        return new Checkpoint(stateName, input, variables, eventsBefore, pendingToken, id, deadlineEpochMillis,
                retryAttempts);
    }

    public Checkpoint withPendingToken(String token, long deadline) {
        return new Checkpoint(stateName, input, variables, eventsBefore, token, enteredEventId, deadline,
                retryAttempts);
    }

    public Checkpoint withDeadline(long deadline) {
        return new Checkpoint(stateName, input, variables, eventsBefore, pendingToken, enteredEventId, deadline,
                retryAttempts);
    }

    /** The attempts used so far by each retrier of the state (so that a resumed state does not retry forever). */
    public Checkpoint withRetryAttempts(List<Integer> attempts) {
        return new Checkpoint(stateName, input, variables, eventsBefore, null, enteredEventId, 0, attempts);
    }

    /** Whether a restart can resume inside the state (a wait) rather than run it again. */
    public boolean resumable() {
        return enteredEventId > 0 && (pendingToken != null || deadlineEpochMillis > 0);
    }

    public ObjectNode toJson() {
        ObjectNode cn = Json.object();
        cn.put("stateName", stateName);
        cn.set("input", input);
        cn.set("variables", variables);
        cn.put("eventsBefore", eventsBefore);
        cn.put("pendingToken", pendingToken);
        cn.put("enteredEventId", enteredEventId);
        cn.put("deadlineEpochMillis", deadlineEpochMillis);
        ArrayNode attempts = cn.putArray("retryAttempts");
        retryAttempts.forEach(attempts::add);
        return cn;
    }

    /** The checkpoint written by {@link #toJson()}; null for a missing or null node. */
    public static Checkpoint fromJson(JsonNode c) {
        if (c == null || c.isNull()) {
            return null;
        }
        List<Integer> attempts = new ArrayList<>();
        c.path("retryAttempts").forEach(n -> attempts.add(n.asInt()));
        JsonNode token = c.get("pendingToken");
        return new Checkpoint(c.get("stateName").asText(), c.get("input"), c.get("variables"),
                c.get("eventsBefore").asInt(), token == null || token.isNull() ? null : token.asText(),
                c.path("enteredEventId").asInt(), c.path("deadlineEpochMillis").asLong(), attempts);
    }
}
