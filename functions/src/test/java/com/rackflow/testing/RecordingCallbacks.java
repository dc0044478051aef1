package com.rackflow.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.rackflow.workitems.TaskCallbacks;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Task callbacks that record what would have been sent to Step Functions (tests without an engine). */
public final class RecordingCallbacks implements TaskCallbacks {
    public record Sent(String token, boolean success, JsonNode output, String error, String cause) {
    }

    public final List<Sent> sent = new CopyOnWriteArrayList<>();

    @Override
    public Delivery success(String taskToken, JsonNode output) {
        sent.add(new Sent(taskToken, true, output, null, null));
        return Delivery.DELIVERED;
    }

    @Override
    public Delivery failure(String taskToken, String error, String cause) {
        sent.add(new Sent(taskToken, false, null, error, cause));
        return Delivery.DELIVERED;
    }

    public List<Sent> forToken(String token) {
        return sent.stream().filter(s -> s.token().equals(token)).toList();
    }
}
