package com.rackflow.local.stack.seed;

public enum DepartmentKind {
    SALES_REGION, MAINTENANCE, OPERATIONS, MANAGEMENT
}
