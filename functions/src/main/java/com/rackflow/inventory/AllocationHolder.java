package com.rackflow.inventory;

/** Whom an allocation is for: every allocation points to a customer and a contract (and the flow that made it). */
public record AllocationHolder(String contractId, String contractSerial, String customerId, String customerCode,
                               String ownerId, String departmentId, String flowId) {
}
