package com.rackflow.local.stepfunctions.engine;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Where a top-level execution stands, persisted before each state runs: the state, its raw input, the workflow
 * variables, the number of history events written before the state was entered, and the task token the state waits
 * for (null when not waiting).
 */
public record Checkpoint(String stateName, JsonNode input, JsonNode variables, int eventsBefore, String pendingToken,
                         int enteredEventId) {

    public Checkpoint withPendingToken(String token) {
        return new Checkpoint(stateName, input, variables, eventsBefore, token, enteredEventId);
    }
}
