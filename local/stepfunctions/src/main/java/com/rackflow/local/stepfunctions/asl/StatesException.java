package com.rackflow.local.stepfunctions.asl;

/** An error raised while running a state: the Step Functions error name and its cause text. */
public class StatesException extends RuntimeException {

    private final String error;
    private final String cause;

    public StatesException(String error, String cause) {
        super(error + (cause == null ? "" : ": " + cause), null, false, false);
        this.error = error;
        this.cause = cause;
    }

    public StatesException(StatesError error, String cause) {
        this(error.errorName(), cause);
    }

    public String error() {
        return error;
    }

    public String cause() {
        return cause;
    }

    /** Errors the interpreter raises itself; AWS prefixes their cause with the state they happened in. */
    public boolean isInterpreterError() {
        return StatesError.RUNTIME.errorName().equals(error)
                || StatesError.INTRINSIC_FAILURE.errorName().equals(error)
                || StatesError.RESULT_PATH_MATCH_FAILURE.errorName().equals(error)
                || StatesError.QUERY_EVALUATION_ERROR.errorName().equals(error);
    }

    /** The cause prefix AWS adds, once, at the innermost state. */
    public static final String STATE_PREFIX = "An error occurred while executing the state '";

    public StatesException inState(String stateName, long enteredEventId) {
        if (!isInterpreterError() || cause != null && cause.startsWith(STATE_PREFIX)) {
            return this;
        }
        return new StatesException(error, STATE_PREFIX + stateName + "' (entered at the event id #" + enteredEventId
                + "). " + (cause == null ? "" : cause));
    }
}
