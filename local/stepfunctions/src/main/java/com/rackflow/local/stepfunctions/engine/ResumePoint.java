package com.rackflow.local.stepfunctions.engine;

/** Where a restored execution resumes: the state to re-enter, and the task token it was waiting for, if any. */
public record ResumePoint(String stateName, String pendingToken, long enteredEventId) {
}
