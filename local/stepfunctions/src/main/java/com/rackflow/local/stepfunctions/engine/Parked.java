package com.rackflow.local.stepfunctions.engine;

import java.util.concurrent.CompletableFuture;

/**
 * Thrown on the thread of a sequence of states (the top level, a Map iteration, a Parallel branch) when it starts a
 * long wait: a task token, a Wait state, or the children of a Map or Parallel state. The thread is released, and the
 * sequence resumes from {@code resume} on another thread when the callback arrives, the deadline passes, the heartbeat
 * lapses or the children are done. Waiting sequences therefore hold no thread.
 */
final class Parked extends RuntimeException {

    final ResumePoint resume;
    final TaskTokens.Pending pending;
    final Double heartbeatSeconds;
    /** The children's completion, for a Map or Parallel state (null otherwise). */
    final CompletableFuture<Void> children;
    /** The sequence's frame (its trail of events and its variables), kept for the resume. */
    final Object frame;

    Parked(ResumePoint resume, TaskTokens.Pending pending, Double heartbeatSeconds, CompletableFuture<Void> children,
           Object frame) {
        super("parked", null, false, false);
        this.resume = resume;
        this.pending = pending;
        this.heartbeatSeconds = heartbeatSeconds;
        this.children = children;
        this.frame = frame;
    }
}
