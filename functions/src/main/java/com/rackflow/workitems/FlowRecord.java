package com.rackflow.workitems;

import com.rackflow.core.records.Audited;

/**
 * A flow's own record (racking flow, termination): one per execution (named by {@code flowId}), linked to its
 * contract, never deleted. The withers give the next version for the steps every flow has.
 */
public interface FlowRecord<T extends FlowRecord<T>> extends Audited {
    String flowId();

    String contractId();

    String contractSerial();

    String customerId();

    String customerCode();

    FlowStatus status();

    Stage currentStage();

    String executionArn();

    /** Why the flow ended early (the rejecting stage and reason, or the failure); null otherwise. */
    Rejection rejection();

    /** The stage now waiting; the execution ARN is kept once known. */
    T atStage(Stage stage, String executionArn, String at);

    /** The execution was started. */
    T started(String executionArn, String at);

    /** The flow ended (why: the rejecting stage and reason, or the failure; null when completed). */
    T ended(FlowStatus to, Rejection why, String at);

    @Override
    default String recordId() {
        return flowId();
    }

    @Override
    default String deletedAt() {
        return null;
    }
}
