package com.rackflow.workitems;

import com.fasterxml.jackson.databind.JsonNode;
import com.rackflow.access.Assigned;
import com.rackflow.access.Role;

/**
 * One stage of one flow execution waiting for a person (待办): who may complete it, until when, whether it was
 * escalated, and what was decided. The latest task token is kept but never shown. Owned (for who may follow it) by
 * the contract's owner and department.
 */
public record WorkItem(String workItemId, FlowType flowType, String flowId, Stage stage, WorkItemStatus status,
                       String assigneeId, Role assigneeRole, String assigneeDepartmentId,
                       String contractId, String contractSerial, String customerId, String customerCode,
                       String ownerId, String departmentId, String executionArn, String taskToken,
                       String createdAt, String dueAt, boolean escalated, String escalatedAt, String escalatedTo,
                       int escalations, String escalatedForDue, String lockedUntil,
                       String completedAt, String completedBy, Decision decision, String reason, JsonNode form,
                       JsonNode result, Callback callback, String updatedAt, long version) implements Assigned {

    /**
     * The outbox of a decided item: its answer to the waiting flow (SendTaskSuccess / SendTaskFailure) is PENDING
     * from the moment the decision is written (in the same transaction) until it was delivered, then DELIVERED.
     */
    public enum Callback {
        PENDING("待回传流程"), DELIVERED("已回传流程");

        private final String labelZh;

        Callback(String labelZh) {
            this.labelZh = labelZh;
        }

        public String labelZh() {
            return labelZh;
        }
    }

    public static String id(String flowId, Stage stage) {
        return flowId + "." + stage.name();
    }

    public WorkItem next(WorkItemStatus status, String taskToken, String dueAt, String lockedUntil, String at) {
        return new WorkItem(workItemId, flowType, flowId, stage, status, assigneeId, assigneeRole, assigneeDepartmentId,
                contractId, contractSerial, customerId, customerCode, ownerId, departmentId, executionArn, taskToken,
                createdAt, dueAt, escalated, escalatedAt, escalatedTo, escalations, escalatedForDue, lockedUntil,
                completedAt, completedBy, decision, reason, form, result, callback, at, version + 1);
    }

    public WorkItem reassigned(String toUserId, String at) {
        return new WorkItem(workItemId, flowType, flowId, stage, status, toUserId, assigneeRole, assigneeDepartmentId,
                contractId, contractSerial, customerId, customerCode, ownerId, departmentId, executionArn, taskToken,
                createdAt, dueAt, escalated, escalatedAt, escalatedTo, escalations, escalatedForDue, lockedUntil,
                completedAt, completedBy, decision, reason, form, result, callback, at, version + 1);
    }

    /** Staff departure: the open item with the departing person's places (assignee, escalation, owner) handed over. */
    public WorkItem handedOver(String toAssigneeId, String toEscalatedTo, String toOwnerId, String at) {
        return new WorkItem(workItemId, flowType, flowId, stage, status, toAssigneeId, assigneeRole, assigneeDepartmentId,
                contractId, contractSerial, customerId, customerCode, toOwnerId, departmentId, executionArn, taskToken,
                createdAt, dueAt, escalated, escalatedAt, toEscalatedTo, escalations, escalatedForDue, lockedUntil,
                completedAt, completedBy, decision, reason, form, result, callback, at, version + 1);
    }

    public WorkItem escalatedTo(String managerId, String at) {
        return new WorkItem(workItemId, flowType, flowId, stage, status, assigneeId, assigneeRole, assigneeDepartmentId,
                contractId, contractSerial, customerId, customerCode, ownerId, departmentId, executionArn, taskToken,
                createdAt, dueAt, true, at, managerId, escalations + 1, dueAt, lockedUntil,
                completedAt, completedBy, decision, reason, form, result, callback, at, version + 1);
    }

    public WorkItem done(WorkItemStatus status, String by, Decision decision, String reason, JsonNode form, JsonNode result, String at) {
        return new WorkItem(workItemId, flowType, flowId, stage, status, assigneeId, assigneeRole, assigneeDepartmentId,
                contractId, contractSerial, customerId, customerCode, ownerId, departmentId, executionArn, taskToken,
                createdAt, dueAt, escalated, escalatedAt, escalatedTo, escalations, escalatedForDue, null,
                at, by, decision, reason, form, result, status == WorkItemStatus.CANCELLED ? callback : Callback.PENDING, at,
                version + 1);
    }

    /** The answer reached the flow (or can no longer reach the token it was for: the stage's next entry gets it). */
    public WorkItem delivered(String at) {
        return new WorkItem(workItemId, flowType, flowId, stage, status, assigneeId, assigneeRole, assigneeDepartmentId,
                contractId, contractSerial, customerId, customerCode, ownerId, departmentId, executionArn, taskToken,
                createdAt, dueAt, escalated, escalatedAt, escalatedTo, escalations, escalatedForDue, lockedUntil,
                completedAt, completedBy, decision, reason, form, result, Callback.DELIVERED, at, version + 1);
    }

    public boolean callbackPending() {
        return callback == Callback.PENDING;
    }
}
