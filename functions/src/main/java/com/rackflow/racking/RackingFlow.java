package com.rackflow.racking;

import com.rackflow.workitems.FlowRecord;
import com.rackflow.workitems.FlowStatus;
import com.rackflow.workitems.Rejection;
import com.rackflow.workitems.Stage;

import java.time.LocalDate;
import java.util.List;

/**
 * A racking flow (上架流程): one Step Functions execution (named by {@code flowId}) that takes a contract's devices
 * into the data center. Owned by the contract's owner and department.
 */
public record RackingFlow(String flowId, String contractId, String contractSerial, String customerId, String customerCode,
                          String customerName, String ownerId, String departmentId, ContractItems items,
                          LocalDate plannedDate, List<Device> devices, String note, FlowStatus status,
                          Stage currentStage, String executionArn, List<String> allocationIds, List<Device> rackedDevices,
                          Rejection rejection, String startedBy, String createdAt, String updatedAt, String completedAt,
                          long version) implements FlowRecord<RackingFlow> {

    private RackingFlow with(FlowStatus status, Stage stage, String executionArn, List<String> allocationIds,
                             List<Device> racked, Rejection rejection, String at, String completedAt) {
        return new RackingFlow(flowId, contractId, contractSerial, customerId, customerCode, customerName, ownerId,
                departmentId, items, plannedDate, devices, note, status, stage, executionArn, allocationIds, racked,
                rejection, startedBy, createdAt, at, completedAt, version + 1);
    }

    @Override
    public RackingFlow atStage(Stage s, String arn, String at) {
        return with(status, s, executionArn == null ? arn : executionArn, allocationIds, rackedDevices, rejection, at, completedAt);
    }

    @Override
    public RackingFlow started(String arn, String at) {
        return with(status, currentStage, arn, allocationIds, rackedDevices, rejection, at, completedAt);
    }

    @Override
    public RackingFlow ended(FlowStatus to, Rejection why, String at) {
        return with(to, currentStage, executionArn, allocationIds, rackedDevices, why, at, at);
    }

    RackingFlow withAllocations(List<String> ids, String at) {
        return with(status, currentStage, executionArn, ids, rackedDevices, rejection, at, completedAt);
    }

    RackingFlow withRacked(List<Device> racked, String at) {
        return with(status, currentStage, executionArn, allocationIds, racked, rejection, at, completedAt);
    }
}
