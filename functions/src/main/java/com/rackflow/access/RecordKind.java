package com.rackflow.access;

/** Kinds of owned records whose scope the access policy decides. */
public enum RecordKind {
    CUSTOMER, ACTIVITY, CONTRACT, SERVICE_RECORD, RACKING_FLOW
}
