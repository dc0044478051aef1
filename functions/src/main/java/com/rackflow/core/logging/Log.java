package com.rackflow.core.logging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.core.json.Json;

import java.time.Instant;
import java.util.Map;

/**
 * Structured JSON log lines on stdout (Lambda ships them to CloudWatch as they are). Every line carries the
 * request id, user id and route of the request being served. Callers pass only ids, codes and counts:
 * never tokens, bodies, phone numbers or e-mail addresses.
 */
public final class Log {
    private static final ThreadLocal<Map<String, String>> CONTEXT = ThreadLocal.withInitial(Map::of);

    private Log() {
    }

    public static void begin(String requestId, String userId, String route) {
        CONTEXT.set(Map.of("requestId", nz(requestId), "userId", nz(userId), "route", nz(route)));
    }

    public static void end() {
        CONTEXT.remove();
    }

    public static void info(String message, Object... keyValues) {
        write("INFO", message, null, keyValues);
    }

    public static void warn(String message, Object... keyValues) {
        write("WARN", message, null, keyValues);
    }

    public static void error(String message, Throwable t, Object... keyValues) {
        write("ERROR", message, t, keyValues);
    }

    private static void write(String level, String message, Throwable t, Object... keyValues) {
        ObjectNode line = Json.object();
        line.put("timestamp", Instant.now().toString());
        line.put("level", level);
        line.put("message", message);
        CONTEXT.get().forEach(line::put);
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            line.set(String.valueOf(keyValues[i]), Json.tree(keyValues[i + 1]));
        }
        if (t != null) {
            line.put("errorType", t.getClass().getName());
            line.put("errorMessage", String.valueOf(t.getMessage()));
        }
        System.out.println(line);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
