package com.rackflow.workitems;

import java.util.Optional;

/** The steps a flow's state machine invokes on its task function; each is idempotent. */
public interface FlowTasks<T extends FlowRecord<T>> {
    /** A stage's callback task: opens the stage's work item with the task token. */
    WorkItem openStage(String flowId, Stage stage, String taskToken, String executionArn, long deadlineSeconds);

    /** The stage's deadline passed. */
    Optional<WorkItem> escalate(String flowId, Stage stage);

    /** The final automatic step. */
    T finish(String flowId);

    /** A stage was rejected (error Rejected) or a step failed. */
    T compensate(String flowId, String error, String cause);
}
