package com.rackflow.local.stepfunctions.engine;

/** Thrown on a thread of an execution that was stopped, timed out, or whose Map/Parallel sibling failed. */
public final class AbortedException extends RuntimeException {

    public AbortedException() {
        super("aborted", null, false, false);
    }
}
