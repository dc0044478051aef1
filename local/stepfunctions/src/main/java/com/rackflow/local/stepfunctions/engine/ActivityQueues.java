package com.rackflow.local.stepfunctions.engine;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Activities and the tasks waiting for a worker: what CreateActivity makes and GetActivityTask takes from. */
public final class ActivityQueues {

    /** A task scheduled on an activity; {@code started} is told the worker's name when one takes it. */
    public record Scheduled(String token, String input, Consumer<String> started) {
    }

    public record Activity(String arn, String name, Instant creationDate) {
    }

    private final Map<String, Activity> activities = new ConcurrentHashMap<>();
    private final Map<String, BlockingQueue<Scheduled>> queues = new ConcurrentHashMap<>();

    /** Creates the activity, or returns the existing one of that ARN (CreateActivity is idempotent). */
    public Activity create(String arn, String name) {
        queues.computeIfAbsent(arn, a -> new LinkedBlockingQueue<>());
        return activities.computeIfAbsent(arn, a -> new Activity(arn, name, Instant.now()));
    }

    public Activity find(String arn) {
        return activities.get(arn);
    }

    public boolean exists(String arn) {
        return activities.containsKey(arn);
    }

    public List<Activity> list() {
        return activities.values().stream().sorted(java.util.Comparator.comparing(Activity::creationDate)
                .thenComparing(Activity::name)).toList();
    }

    public void delete(String arn) {
        activities.remove(arn);
        queues.remove(arn);
    }

    void schedule(String arn, Scheduled task) {
        queues.computeIfAbsent(arn, a -> new LinkedBlockingQueue<>()).add(task);
    }

    /**
     * Waits up to {@code waitMillis} for a task whose token is still open (others were timed out or aborted);
     * null when none came.
     */
    public Scheduled take(String arn, long waitMillis, TaskTokens tokens) throws InterruptedException {
        BlockingQueue<Scheduled> q = queues.get(arn);
        if (q == null) {
            return null;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        while (true) {
            Scheduled task = q.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (task == null || tokens.isOpen(task.token())) {
                return task;
            }
        }
    }
}
