package com.rackflow.local.stepfunctions.engine;

import java.time.Instant;

/**
 * The emulator's clock. Timestamps are real; durations (Wait, Retry intervals, timeouts, heartbeats) are multiplied
 * by the time scale, so 0.001 turns a 60 second wait into 60 ms.
 */
public final class ScaledClock {

    private final double timeScale;

    public ScaledClock(double timeScale) {
        if (!(timeScale > 0)) {
            throw new IllegalArgumentException("time scale must be positive: " + timeScale);
        }
        this.timeScale = timeScale;
    }

    public double timeScale() {
        return timeScale;
    }

    public Instant now() {
        return Instant.now();
    }

    /** Real nanoseconds for a duration in (workflow) seconds. */
    public long realNanos(double seconds) {
        double nanos = seconds * 1e9 * timeScale;
        return nanos >= Long.MAX_VALUE / 2.0 ? Long.MAX_VALUE / 2 : (long) nanos;
    }

    /** Sleeps for a workflow duration; interruptible. */
    public void sleep(double seconds) throws InterruptedException {
        sleepRealNanos(realNanos(seconds));
    }

    /** Sleeps for a real duration; interruptible. */
    public void sleepRealNanos(long nanos) throws InterruptedException {
        if (nanos <= 0) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            return;
        }
        long deadline = System.nanoTime() + nanos;
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
        }
    }
}
