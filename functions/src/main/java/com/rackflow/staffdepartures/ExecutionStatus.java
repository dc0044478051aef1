package com.rackflow.staffdepartures;

import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;

import java.util.Optional;

/**
 * The status of a state machine execution (RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED); empty when there is none.
 * A departure still RUNNING whose execution has ended (stopped by hand, timed out) may be run again.
 */
@FunctionalInterface
public interface ExecutionStatus {
    Optional<String> of(String executionArn);

    static ExecutionStatus of(SfnClient sfn) {
        return arn -> {
            try {
                return Optional.of(sfn.describeExecution(b -> b.executionArn(arn)).statusAsString());
            } catch (ExecutionDoesNotExistException e) {
                return Optional.empty();
            }
        };
    }
}
