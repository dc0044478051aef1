package com.rackflow.local.stepfunctions.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** Task tokens of `.waitForTaskToken` tasks, and what SendTaskSuccess/Failure/Heartbeat do with them. */
public final class TaskTokens {

    private static final String PREFIX = "rackflow-sfn-local:";

    /** How a callback ended. */
    public sealed interface Outcome permits Success, Failure {
    }

    public record Success(JsonNode output) implements Outcome {
    }

    public record Failure(String error, String cause) implements Outcome {
    }

    /** A task waiting for its callback. */
    public static final class Pending {
        final String token;
        final String executionArn;
        final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        volatile long lastHeartbeatNanos = System.nanoTime();

        Pending(String token, String executionArn) {
            this.token = token;
            this.executionArn = executionArn;
        }

        public String token() {
            return token;
        }

        public String executionArn() {
            return executionArn;
        }

        public CompletableFuture<Outcome> outcome() {
            return outcome;
        }

        public long lastHeartbeatNanos() {
            return lastHeartbeatNanos;
        }

        public void heartbeatNow() {
            lastHeartbeatNanos = System.nanoTime();
        }

        /** No heartbeat is due until {@link #heartbeatNow()} (an activity task not yet taken by a worker). */
        public void heartbeatNotYetDue() {
            lastHeartbeatNanos = System.nanoTime() + Long.MAX_VALUE / 4;
        }
    }

    /** Why a callback was refused, as the API names it. */
    public enum Refusal {
        InvalidToken, TaskDoesNotExist, TaskTimedOut
    }

    public static final class RefusedException extends RuntimeException {
        private final Refusal refusal;

        RefusedException(Refusal refusal, String message) {
            super(message, null, false, false);
            this.refusal = refusal;
        }

        public Refusal refusal() {
            return refusal;
        }
    }

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    /** Recently finished tokens (bounded), so that a late callback gets TaskTimedOut rather than TaskDoesNotExist. */
    private final Map<String, Boolean> closed = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > MAX_CLOSED_TOKENS;
                }
            });
    private static final int MAX_CLOSED_TOKENS = 100_000;

    public static String newToken(String executionArn) {
        String raw = PREFIX + executionArn + "#" + UUID.randomUUID();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** The pending task of a token, created when the token is new (a restart re-registers persisted tokens). */
    public Pending register(String token, String executionArn) {
        return pending.computeIfAbsent(token, t -> new Pending(t, executionArn));
    }

    /** Ends a wait (completed, timed out, aborted): later callbacks with this token get TaskTimedOut. */
    public void close(String token) {
        if (pending.remove(token) != null) {
            closed.put(token, Boolean.TRUE);
        }
    }

    public void complete(String token, Outcome outcome) {
        Pending p = find(token);
        if (!p.outcome.complete(outcome)) {
            throw new RefusedException(Refusal.TaskTimedOut, "Task Timed Out: 'Provided task does not exist anymore'");
        }
    }

    public void heartbeat(String token) {
        find(token).heartbeatNow();
    }

    private Pending find(String token) {
        if (token == null || token.isEmpty() || token.length() > 2048 || !isWellFormed(token)) {
            throw new RefusedException(Refusal.InvalidToken, "Invalid Token: 'Invalid token'");
        }
        Pending p = pending.get(token);
        if (p == null) {
            if (closed.containsKey(token)) {
                throw new RefusedException(Refusal.TaskTimedOut,
                        "Task Timed Out: 'Provided task does not exist anymore'");
            }
            throw new RefusedException(Refusal.TaskDoesNotExist, "Task does not exist: 'Provided task does not exist'");
        }
        return p;
    }

    private static boolean isWellFormed(String token) {
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).startsWith(PREFIX);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether a token still waits for its outcome. */
    public boolean isOpen(String token) {
        Pending p = pending.get(token);
        return p != null && !p.outcome.isDone();
    }

    public int pendingCount() {
        return pending.size();
    }
}
