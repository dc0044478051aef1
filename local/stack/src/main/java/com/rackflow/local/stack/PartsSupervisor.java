package com.rackflow.local.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import com.rackflow.local.stack.log.JsonLog;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * Watches the stack's out-of-process parts (dynalite): a part that dies is logged in one line naming it and started
 * again; meanwhile every request to the stack is answered 503 in the one error format, with Retry-After, instead of
 * whatever the functions would make of a missing database. (A function's execution environment that dies is
 * replaced by the next invocation, as in Lambda.)
 */
final class PartsSupervisor implements AutoCloseable {

    /** Something the stack runs in a process of its own. */
    interface Part {
        String name();

        boolean alive();

        /** Starts it again (same port, same data); returns what was lost, or null. */
        String restart();
    }

    private static final JsonLog LOG = JsonLog.of("stack");
    private static final String RETRY_AFTER_SECONDS = "2";

    private final Map<String, String> down = new ConcurrentHashMap<>();
    private final ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "parts-supervisor");
        t.setDaemon(true);
        return t;
    });
    private final BooleanSupplier stopping;

    PartsSupervisor(BooleanSupplier stopping) {
        this.stopping = stopping;
    }

    void watch(Part part) {
        watcher.scheduleWithFixedDelay(() -> check(part), 250, 250, TimeUnit.MILLISECONDS);
    }

    private void check(Part part) {
        if (part.alive() || stopping.getAsBoolean()) {
            return;
        }
        down.put(part.name(), part.name() + " stopped unexpectedly and is being restarted");
        LOG.error(part.name() + " died; restarting it (the API answers 503 meanwhile)", "part", part.name());
        try {
            String lost = part.restart();
            LOG.info(part.name() + " restarted", "part", part.name(), "lost", lost);
            down.remove(part.name());
        } catch (RuntimeException e) {
            LOG.error(part.name() + " did not restart; trying again", "part", part.name(), "error", e.getMessage());
        }
    }

    /** A part that is down, described for a client. */
    Optional<String> unavailable() {
        return down.values().stream().findFirst();
    }

    /** {@code inner}, unless a part is down: then 503 SERVICE_UNAVAILABLE; a handler that fails answers 500 in the same format. */
    HttpHandler guard(HttpHandler inner) {
        return exchange -> {
            Optional<String> reason = unavailable();
            if (reason.isPresent()) {
                exchange.getResponseHeaders().set("Retry-After", RETRY_AFTER_SECONDS);
                error(exchange, 503, "SERVICE_UNAVAILABLE", reason.get() + "; retry in a moment");
                return;
            }
            try {
                inner.handle(exchange);
            } catch (RuntimeException e) {
                LOG.error("request failed in the stack", "path", exchange.getRequestURI().getPath(), "error", e.toString());
                if (exchange.getResponseCode() == -1) {
                    error(exchange, 500, "INTERNAL_ERROR", "the local stack failed on this request");
                }
            }
        };
    }

    static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        String body = "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        watcher.shutdownNow();
    }
}
