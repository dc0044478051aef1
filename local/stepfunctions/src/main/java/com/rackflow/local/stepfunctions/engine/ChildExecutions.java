package com.rackflow.local.stepfunctions.engine;

/** Starts and stops executions for the states:startExecution integration (nested workflows). */
public interface ChildExecutions {

    /**
     * Starts an execution of a state machine as StartExecution does; returns it.
     *
     * @throws com.rackflow.local.stepfunctions.asl.StatesException named as AWS's errors of the call
     *     (e.g. {@code StepFunctions.StateMachineDoesNotExistException})
     */
    Execution start(String stateMachineArn, String input, String name);

    /** Stops a running execution (its parent was stopped, as AWS does for .sync children). */
    void stop(Execution execution, String error, String cause);
}
