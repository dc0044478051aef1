package com.rackflow.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.access.Caller;
import com.rackflow.core.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** The sample events in events/, loaded and adapted (caller, path id, body, headers) for a test. */
public final class Events {
    private final ObjectNode event;

    private Events(ObjectNode event) {
        this.event = event;
    }

    public static Events load(String name) {
        try {
            return new Events((ObjectNode) Json.read(Files.readString(LocalTable.repositoryRoot().resolve("events").resolve(name))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Events as(Caller c) {
        ObjectNode a = (ObjectNode) event.path("requestContext").path("authorizer");
        a.put("principalId", c.userId()).put("userId", c.userId()).put("role", c.role().name()).put("departmentId", c.departmentId());
        return this;
    }

    public Events id(String id) {
        String resource = event.path("resource").asText();
        ((ObjectNode) event.path("pathParameters")).put("id", id);
        event.put("path", resource.replace("{id}", id));
        return this;
    }

    public Events body(Object body) {
        event.put("body", body == null ? null : body instanceof String s ? s : Json.write(body));
        return this;
    }

    public Events header(String name, String value) {
        ObjectNode h = (ObjectNode) event.path("headers");
        if (value == null) {
            h.remove(name);
        } else {
            h.put(name, value);
        }
        return this;
    }

    public Events query(String name, String value) {
        JsonNode q = event.get("queryStringParameters");
        ObjectNode qs = q instanceof ObjectNode o ? o : event.putObject("queryStringParameters");
        if (value == null) {
            qs.remove(name);
        } else {
            qs.put(name, value);
        }
        return this;
    }

    public Events clearQuery() {
        event.putObject("queryStringParameters");
        return this;
    }

    /** Sets any path parameter (e.g. {@code serial}) and the path to match. */
    public Events param(String name, String value) {
        ((ObjectNode) event.path("pathParameters")).put(name, value);
        String path = event.path("resource").asText();
        var params = event.path("pathParameters").fields();
        while (params.hasNext()) {
            var p = params.next();
            path = path.replace("{" + p.getKey() + "}", p.getValue().asText());
        }
        event.put("path", path);
        return this;
    }

    public ObjectNode json() {
        return event;
    }
}
