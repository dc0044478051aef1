package com.rackflow.workitems;

import com.rackflow.access.Role;

/**
 * What a flow's stage task asks for: the work item of (flow, stage) with this task token. The assignee is one person
 * ({@code assigneeId}) or the stage's role in {@code assigneeDepartmentId}; contract fields are for inbox and scope.
 */
public record OpenStage(FlowType flowType, String flowId, Stage stage, String taskToken, String executionArn,
                        long deadlineSeconds, String assigneeId, Role assigneeRole, String assigneeDepartmentId,
                        String contractId, String contractSerial, String customerId, String customerCode,
                        String ownerId, String departmentId) {
}
