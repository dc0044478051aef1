package com.rackflow.racking;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.core.json.Json;
import com.rackflow.testing.RecordingCallbacks;
import com.rackflow.workitems.Stage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * Plays the racking state machine's part without an engine: runs the task function with the sample task events,
 * issues task tokens, and reads what the inbox API answered on them.
 */
final class FlowDriver {
    private final RackingTasksHandler tasks;
    private final RecordingCallbacks sent;
    private int tokens;

    FlowDriver(RackingTasksHandler tasks, RecordingCallbacks sent) {
        this.tasks = tasks;
        this.sent = sent;
    }

    static ObjectNode event(String name) {
        try {
            return (ObjectNode) Json.read(Files.readString(com.rackflow.testing.LocalTable.repositoryRoot().resolve("events/racking/" + name)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The stage task: a new token, the work item opened; returns the token. */
    String open(String flowId, Stage stage) {
        String token = "token-" + flowId + "-" + stage + "-" + (++tokens);
        ObjectNode e = event("task-open-stage.json");
        e.put("flowId", flowId).put("stage", stage.name()).put("taskToken", token)
                .put("executionArn", "arn:aws:states:us-east-1:123456789012:execution:racking:" + flowId);
        tasks.handle(e);
        return token;
    }

    /** What the API answered on a token: null while waiting. */
    RecordingCallbacks.Sent answer(String token) {
        var l = sent.forToken(token);
        return l.isEmpty() ? null : l.get(l.size() - 1);
    }

    ObjectNode run(String name, String flowId) {
        ObjectNode e = event(name);
        e.put("flowId", flowId);
        return (ObjectNode) tasks.handle(e);
    }

    /** The Catch → Compensate path with the error the token got. */
    ObjectNode compensate(String flowId, RecordingCallbacks.Sent failure) {
        ObjectNode e = event("task-compensate.json");
        e.put("flowId", flowId);
        e.putObject("error").put("Error", failure.error()).put("Cause", failure.cause());
        return (ObjectNode) tasks.handle(e);
    }
}
