package com.rackflow.workitems;

import com.rackflow.core.records.Audited;

/** A flow's own record (racking flow, termination): one per execution, linked to its contract, never deleted. */
public interface FlowRecord extends Audited {
    String flowId();

    String contractId();

    /** The flow status name (for the status partition). */
    String statusName();

    @Override
    default String recordId() {
        return flowId();
    }

    @Override
    default String deletedAt() {
        return null;
    }
}
