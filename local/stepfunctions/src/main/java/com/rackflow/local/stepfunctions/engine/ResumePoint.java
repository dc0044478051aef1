package com.rackflow.local.stepfunctions.engine;

/**
 * Where a restored or parked sequence of states resumes: the state to re-enter, the task token it was waiting for (if
 * any), the id of the state's entered event (0: enter it again) and the real-time deadline of its wait (epoch ms, 0:
 * none). A state already entered with neither a token nor a deadline is a Map or Parallel state whose children ran.
 */
public record ResumePoint(String stateName, String pendingToken, long enteredEventId, long deadlineEpochMillis) {

    /** Whether this resumes the Map or Parallel state {@code name} after (or while) its children ran. */
    boolean childrenOf(String name) {
        return stateName.equals(name) && enteredEventId > 0 && pendingToken == null && deadlineEpochMillis == 0;
    }
}
