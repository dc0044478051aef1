package com.rackflow.local.stepfunctions.engine;

/** History event types, named as AWS names them, each with the name of its details member. */
public enum EventType {
    ExecutionStarted("executionStartedEventDetails"),
    ExecutionSucceeded("executionSucceededEventDetails"),
    ExecutionFailed("executionFailedEventDetails"),
    ExecutionAborted("executionAbortedEventDetails"),
    ExecutionTimedOut("executionTimedOutEventDetails"),
    PassStateEntered("stateEnteredEventDetails"),
    PassStateExited("stateExitedEventDetails"),
    TaskStateEntered("stateEnteredEventDetails"),
    TaskStateExited("stateExitedEventDetails"),
    TaskStateAborted(null),
    ChoiceStateEntered("stateEnteredEventDetails"),
    ChoiceStateExited("stateExitedEventDetails"),
    WaitStateEntered("stateEnteredEventDetails"),
    WaitStateExited("stateExitedEventDetails"),
    WaitStateAborted(null),
    SucceedStateEntered("stateEnteredEventDetails"),
    SucceedStateExited("stateExitedEventDetails"),
    FailStateEntered("stateEnteredEventDetails"),
    ParallelStateEntered("stateEnteredEventDetails"),
    ParallelStateStarted(null),
    ParallelStateSucceeded(null),
    ParallelStateFailed(null),
    ParallelStateAborted(null),
    ParallelStateExited("stateExitedEventDetails"),
    MapStateEntered("stateEnteredEventDetails"),
    MapStateStarted("mapStateStartedEventDetails"),
    MapIterationStarted("mapIterationStartedEventDetails"),
    MapIterationSucceeded("mapIterationSucceededEventDetails"),
    MapIterationFailed("mapIterationFailedEventDetails"),
    MapIterationAborted("mapIterationAbortedEventDetails"),
    MapStateSucceeded(null),
    MapStateFailed(null),
    MapStateAborted(null),
    MapStateExited("stateExitedEventDetails"),
    MapRunStarted("mapRunStartedEventDetails"),
    MapRunSucceeded(null),
    MapRunFailed("mapRunFailedEventDetails"),
    MapRunAborted(null),
    TaskScheduled("taskScheduledEventDetails"),
    TaskStarted("taskStartedEventDetails"),
    TaskSubmitted("taskSubmittedEventDetails"),
    TaskSucceeded("taskSucceededEventDetails"),
    TaskFailed("taskFailedEventDetails"),
    TaskTimedOut("taskTimedOutEventDetails"),
    ExecutionRedriven("executionRedrivenEventDetails"),
    ActivityScheduled("activityScheduledEventDetails"),
    ActivityStarted("activityStartedEventDetails"),
    ActivitySucceeded("activitySucceededEventDetails"),
    ActivityFailed("activityFailedEventDetails"),
    ActivityTimedOut("activityTimedOutEventDetails"),
    ActivityScheduleFailed("activityScheduleFailedEventDetails"),
    LambdaFunctionScheduled("lambdaFunctionScheduledEventDetails"),
    LambdaFunctionStarted(null),
    LambdaFunctionSucceeded("lambdaFunctionSucceededEventDetails"),
    LambdaFunctionFailed("lambdaFunctionFailedEventDetails"),
    LambdaFunctionTimedOut("lambdaFunctionTimedOutEventDetails"),
    EvaluationFailed("evaluationFailedEventDetails");

    private final String detailsKey;

    EventType(String detailsKey) {
        this.detailsKey = detailsKey;
    }

    public String detailsKey() {
        return detailsKey;
    }

    public static EventType entered(String stateType) {
        return valueOf(stateType + "StateEntered");
    }

    public static EventType exited(String stateType) {
        return valueOf(stateType + "StateExited");
    }
}
