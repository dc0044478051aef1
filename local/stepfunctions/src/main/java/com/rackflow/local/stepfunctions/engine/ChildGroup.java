package com.rackflow.local.stepfunctions.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The iterations of one Map attempt or the branches of one Parallel attempt: which are to start, which run on a
 * thread, which wait without one (parked), their results, and the first failure. The state that owns the group waits
 * for {@link #completion()} without a thread too. Keyed by the state's entered event id and retry count, so that a
 * restart finds the children that had already finished ({@link GroupProgress}).
 */
final class ChildGroup {

    /** What a child that ended hands back: children to start in its place, and whether the group is now done. */
    record Ended(List<Integer> startNow, boolean complete) {
    }

    final String key;
    final JsonNode meta;
    /** False for a Distributed Map: its children's positions are not persisted (they start again after a restart). */
    final boolean persistPositions;
    /** Failed iterations of a Distributed Map so far (for its tolerated failure threshold). */
    final AtomicInteger failures = new AtomicInteger();
    private final int maxConcurrency;
    private final JsonNode[] results;
    private final Object[] frames;
    private final Checkpoint[] positions;
    private final boolean[] restoredPosition;
    private final ArrayDeque<Integer> toStart = new ArrayDeque<>();
    private final Map<Integer, Thread> running = new HashMap<>();
    private final Map<Integer, Runnable> parked = new HashMap<>();
    private final CompletableFuture<Void> completion = new CompletableFuture<>();
    private boolean started;
    private int active;
    private RuntimeException failure;
    private boolean aborting;

    ChildGroup(String key, int count, int maxConcurrency, JsonNode meta, boolean persistPositions,
               GroupProgress restored) {
        this.key = key;
        this.meta = meta;
        this.persistPositions = persistPositions;
        this.maxConcurrency = Math.max(1, maxConcurrency);
        this.results = new JsonNode[count];
        this.frames = new Object[count];
        this.positions = new Checkpoint[count];
        this.restoredPosition = new boolean[count];
        for (int i = 0; i < count; i++) {
            JsonNode done = restored == null ? null : restored.results().get(i);
            if (done != null) {
                results[i] = done;
                continue;
            }
            Checkpoint at = restored == null || !persistPositions ? null : restored.positions().get(i);
            if (at != null) {
                positions[i] = at;
                restoredPosition[i] = true;
            }
            toStart.add(i);
        }
        if (toStart.isEmpty()) {
            started = true;
            completion.complete(null);
        }
    }

    CompletableFuture<Void> completion() {
        return completion;
    }

    /** The children to start first (once); later ones start as others end. */
    synchronized List<Integer> start() {
        if (started) {
            return List.of();
        }
        started = true;
        return startable();
    }

    private List<Integer> startable() {
        List<Integer> out = new ArrayList<>();
        while (!aborting && active < maxConcurrency && !toStart.isEmpty()) {
            out.add(toStart.poll());
            active++;
        }
        return out;
    }

    /** Where a child resumes when it starts: a position restored after a restart, or null (from its start). */
    synchronized Checkpoint restoredPosition(int index) {
        return restoredPosition[index] ? positions[index] : null;
    }

    synchronized Checkpoint position(int index) {
        return positions[index];
    }

    synchronized void position(int index, Checkpoint c) {
        positions[index] = c;
        restoredPosition[index] = false;
    }

    synchronized Object frame(int index) {
        return frames[index];
    }

    synchronized void frame(int index, Object frame) {
        frames[index] = frame;
    }

    synchronized void running(int index, Thread t) {
        running.put(index, t);
    }

    /** The child no longer runs on {@code t} (it ended or parked; it may already run again on another thread). */
    synchronized void notRunning(int index, Thread t) {
        running.remove(index, t);
    }

    /** A child waits without a thread; returns false when the group is being aborted (wake it at once). */
    synchronized boolean parked(int index, Runnable wake) {
        parked.put(index, wake);
        return !aborting;
    }

    synchronized void unparked(int index) {
        parked.remove(index);
    }

    synchronized boolean aborting() {
        return aborting;
    }

    synchronized RuntimeException failure() {
        return failure;
    }

    synchronized void done(int index, JsonNode result) {
        results[index] = result;
        frames[index] = null;
        positions[index] = null;
    }

    /** The results of the children that finished, by index. */
    synchronized Map<Integer, JsonNode> finishedResults() {
        Map<Integer, JsonNode> out = new HashMap<>();
        for (int i = 0; i < results.length; i++) {
            if (results[i] != null) {
                out.put(i, results[i]);
            }
        }
        return out;
    }

    synchronized JsonNode[] results() {
        return results.clone();
    }

    /** A child ended (finished, failed or aborted). */
    synchronized Ended ended(int index) {
        active--;
        frames[index] = null;
        List<Integer> next = startable();
        boolean complete = active == 0 && (toStart.isEmpty() || aborting);
        return new Ended(next, complete);
    }

    void complete() {
        completion.complete(null);
    }

    /** The first failure aborts the other children: running ones are interrupted, parked ones woken. */
    void fail(RuntimeException e, int failedIndex) {
        List<Thread> interrupt;
        List<Runnable> wake;
        synchronized (this) {
            if (failure != null || aborting) {
                return;
            }
            failure = e;
            aborting = true;
            interrupt = new ArrayList<>();
            running.forEach((i, t) -> {
                if (i != failedIndex) {
                    interrupt.add(t);
                }
            });
            wake = new ArrayList<>(parked.values());
        }
        interrupt.forEach(Thread::interrupt);
        wake.forEach(Runnable::run);
    }

    /** Aborts every child (the state owning the group is itself being aborted). */
    void abort() {
        List<Thread> interrupt;
        List<Runnable> wake;
        synchronized (this) {
            if (aborting) {
                return;
            }
            aborting = true;
            interrupt = new ArrayList<>(running.values());
            wake = new ArrayList<>(parked.values());
        }
        interrupt.forEach(Thread::interrupt);
        wake.forEach(Runnable::run);
    }
}
