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
}
