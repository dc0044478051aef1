package com.rackflow.local.stack.seed;

/** ACTIVE staff may sign in; DEPARTED (离职) staff may not. */
public enum StaffStatus {
    ACTIVE, DEPARTED
}
