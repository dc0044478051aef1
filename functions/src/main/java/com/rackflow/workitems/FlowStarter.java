package com.rackflow.workitems;

import com.fasterxml.jackson.databind.JsonNode;
import com.rackflow.core.json.Json;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;

/** Starts a state machine execution by name: the same name starts it once (the start is idempotent). */
@FunctionalInterface
public interface FlowStarter {
    /** Returns the execution ARN. */
    String start(String stateMachineArn, String name, JsonNode input);

    static FlowStarter of(SfnClient sfn) {
        return (arn, name, input) -> {
            try {
                return sfn.startExecution(b -> b.stateMachineArn(arn).name(name).input(Json.write(input))).executionArn();
            } catch (ExecutionAlreadyExistsException e) {
                return executionArn(arn, name);
            }
        };
    }

    /** For functions that never start flows (task functions). */
    static FlowStarter none() {
        return (arn, name, input) -> {
            throw new IllegalStateException("this function does not start flows");
        };
    }

    /** {@code arn:aws:states:r:a:stateMachine:M} + name → {@code arn:aws:states:r:a:execution:M:name}. */
    static String executionArn(String stateMachineArn, String name) {
        return stateMachineArn.replace(":stateMachine:", ":execution:") + ":" + name;
    }
}
