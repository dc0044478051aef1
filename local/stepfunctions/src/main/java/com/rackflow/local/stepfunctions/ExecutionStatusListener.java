package com.rackflow.local.stepfunctions;

/**
 * Told of every status change of a STANDARD execution (RUNNING when it starts; SUCCEEDED, FAILED, TIMED_OUT or
 * ABORTED when it ends), as AWS reports them to EventBridge. Express executions send none, as on AWS. Changes are
 * delivered on one thread of the emulator, in the order they happened; a listener that throws does not affect the
 * execution or other listeners.
 */
@FunctionalInterface
public interface ExecutionStatusListener {

    void onStatusChange(ExecutionStatusChange change);
}
