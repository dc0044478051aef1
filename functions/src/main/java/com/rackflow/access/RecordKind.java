package com.rackflow.access;

/** Kinds of owned records whose scope the access policy decides. */
public enum RecordKind {
    CUSTOMER, ACTIVITY, CONTRACT, SERVICE_RECORD, RACKING_FLOW,
    /** Resource allocations (racked locations), work items of the flows, termination flows. */
    ALLOCATION, WORK_ITEM, TERMINATION,
    /** A signed customer as the signed-customer picker shows it: only the limited fields. */
    SIGNED_CUSTOMER,
    /** A member of staff in the staff directory. */
    STAFF_USER
}
