package com.rackflow.local.stepfunctions.engine;

/**
 * Thrown on a top-level execution's thread when it starts a long wait (a task token or a Wait state): the thread is
 * released, and the execution resumes from {@code resume} on another thread when the callback arrives, the deadline
 * passes or the heartbeat lapses. Waiting executions therefore hold no thread.
 */
final class Parked extends RuntimeException {

    final ResumePoint resume;
    final TaskTokens.Pending pending;
    final Double heartbeatSeconds;

    Parked(ResumePoint resume, TaskTokens.Pending pending, Double heartbeatSeconds) {
        super("parked", null, false, false);
        this.resume = resume;
        this.pending = pending;
        this.heartbeatSeconds = heartbeatSeconds;
    }
}
