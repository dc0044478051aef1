package com.rackflow.local.stack.log;

import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The local stack's log: one JSON object per line on stdout, like the functions' Lambda JSON logs. Callers pass only
 * fields that are safe to log: never tokens, phone numbers or e-mail addresses.
 */
public final class JsonLog {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final String component;

    private JsonLog(String component) {
        this.component = component;
    }

    public static JsonLog of(String component) {
        return new JsonLog(component);
    }

    public void info(String message, Object... keyValues) {
        write("INFO", message, keyValues);
    }

    public void warn(String message, Object... keyValues) {
        write("WARN", message, keyValues);
    }

    public void error(String message, Object... keyValues) {
        write("ERROR", message, keyValues);
    }

    private void write(String level, String message, Object... keyValues) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("timestamp", Instant.now().toString());
        line.put("level", level);
        line.put("component", component);
        line.put("message", message);
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            line.put(String.valueOf(keyValues[i]), keyValues[i + 1]);
        }
        String text;
        try {
            text = JSON.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            text = "{\"level\":\"ERROR\",\"component\":\"log\",\"message\":\"unserialisable log line\"}";
        }
        PrintStream target = System.out;
        synchronized (target) {
            target.println(text);
        }
    }
}
