package com.rackflow.terminations;

import com.rackflow.workitems.FlowRecord;
import com.rackflow.workitems.FlowStatus;
import com.rackflow.workitems.Rejection;
import com.rackflow.workitems.Stage;

import java.time.LocalDate;
import java.util.List;

/**
 * A termination (解约): one execution of the termination state machine (named by {@code flowId}) that un-racks a
 * contract's devices, releases its resources and ends the contract (and the customer, when nothing else is ACTIVE).
 */
public record Termination(String flowId, String contractId, String contractSerial, String customerId, String customerCode,
                          String customerName, String ownerId, String departmentId, String reason, LocalDate plannedDate,
                          FlowStatus status, Stage currentStage, String executionArn, List<String> removedDevices,
                          Boolean customerTerminated, Rejection rejection, String startedBy, String createdAt,
                          String updatedAt, String completedAt, long version) implements FlowRecord<Termination> {

    private Termination with(FlowStatus status, Stage stage, String arn, List<String> removed, Boolean customerTerminated,
                             Rejection rejection, String at, String completedAt) {
        return new Termination(flowId, contractId, contractSerial, customerId, customerCode, customerName, ownerId,
                departmentId, reason, plannedDate, status, stage, arn, removed, customerTerminated, rejection, startedBy,
                createdAt, at, completedAt, version + 1);
    }

    @Override
    public Termination atStage(Stage stage, String arn, String at) {
        return with(status, stage, executionArn == null ? arn : executionArn, removedDevices, customerTerminated, rejection, at, completedAt);
    }

    @Override
    public Termination started(String arn, String at) {
        return with(status, currentStage, arn, removedDevices, customerTerminated, rejection, at, completedAt);
    }

    @Override
    public Termination ended(FlowStatus to, Rejection why, String at) {
        return with(to, currentStage, executionArn, removedDevices, customerTerminated, why, at, at);
    }

    Termination withRemoved(List<String> serials, String at) {
        return with(status, currentStage, executionArn, serials, customerTerminated, rejection, at, completedAt);
    }

    Termination withCustomerTerminated(boolean terminated, String at) {
        return with(status, currentStage, executionArn, removedDevices, terminated, rejection, at, completedAt);
    }
}
