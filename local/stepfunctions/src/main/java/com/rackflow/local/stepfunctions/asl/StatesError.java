package com.rackflow.local.stepfunctions.asl;

import java.util.List;

/** The predefined error names of the Amazon States Language, with AWS's matching rules for Retry and Catch. */
public enum StatesError {
    ALL("States.ALL"),
    DATA_LIMIT_EXCEEDED("States.DataLimitExceeded"),
    RUNTIME("States.Runtime"),
    HEARTBEAT_TIMEOUT("States.HeartbeatTimeout"),
    TIMEOUT("States.Timeout"),
    TASK_FAILED("States.TaskFailed"),
    PERMISSIONS("States.Permissions"),
    RESULT_PATH_MATCH_FAILURE("States.ResultPathMatchFailure"),
    PARAMETER_PATH_FAILURE("States.ParameterPathFailure"),
    BRANCH_FAILED("States.BranchFailed"),
    NO_CHOICE_MATCHED("States.NoChoiceMatched"),
    INTRINSIC_FAILURE("States.IntrinsicFailure"),
    EXCEED_TOLERATED_FAILURE_THRESHOLD("States.ExceedToleratedFailureThreshold"),
    ITEM_READER_FAILED("States.ItemReaderFailed"),
    RESULT_WRITER_FAILED("States.ResultWriterFailed"),
    QUERY_EVALUATION_ERROR("States.QueryEvaluationError");

    private final String errorName;

    StatesError(String errorName) {
        this.errorName = errorName;
    }

    public String errorName() {
        return errorName;
    }

    public static boolean isPredefined(String name) {
        for (StatesError e : values()) {
            if (e.errorName.equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** Errors no wildcard catches or retries: they can only be named exactly (and Runtime not even then, see matches). */
    private static boolean isTerminal(String error) {
        return RUNTIME.errorName.equals(error) || DATA_LIMIT_EXCEEDED.errorName.equals(error);
    }

    private static boolean isTimeout(String error) {
        return TIMEOUT.errorName.equals(error) || HEARTBEAT_TIMEOUT.errorName.equals(error);
    }

    /**
     * Whether a retrier's or catcher's ErrorEquals matches an error. States.ALL matches everything except
     * States.Runtime and States.DataLimitExceeded; States.TaskFailed matches everything except those and timeouts;
     * States.Timeout also matches States.HeartbeatTimeout; an exact name matches itself.
     */
    public static boolean matches(List<String> errorEquals, String error) {
        for (String candidate : errorEquals) {
            if (candidate.equals(error)) {
                return true;
            }
            if (isTerminal(error)) {
                continue;
            }
            if (ALL.errorName.equals(candidate)) {
                return true;
            }
            if (TASK_FAILED.errorName.equals(candidate) && !isTimeout(error)) {
                return true;
            }
            if (TIMEOUT.errorName.equals(candidate) && HEARTBEAT_TIMEOUT.errorName.equals(error)) {
                return true;
            }
        }
        return false;
    }
}
