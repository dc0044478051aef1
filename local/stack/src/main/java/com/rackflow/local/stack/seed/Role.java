package com.rackflow.local.stack.seed;

/** A staff member's role, as the staff directory stores it. */
public enum Role {
    SALES, REGIONAL_MANAGER, MAINTENANCE, OPERATIONS, ADMIN
}
