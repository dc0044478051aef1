package com.rackflow.local.stepfunctions.engine;

/**
 * Where a restored execution resumes: the state to re-enter, the task token it was waiting for (if any), the id of
 * the state's entered event (0: enter it again) and the real-time deadline of its wait (epoch ms, 0: none).
 */
public record ResumePoint(String stateName, String pendingToken, long enteredEventId, long deadlineEpochMillis) {
}
