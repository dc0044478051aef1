package com.rackflow.local.stepfunctions;

import java.util.List;

/**
 * A failed Lambda invocation. {@code errorType} is the function error's type (for a Java handler, the exception's
 * class name, as the Lambda runtime reports it); null for an unhandled failure (crash, timeout, out of memory), which
 * Step Functions reports as {@code Lambda.Unknown}.
 */
public class LambdaFailure extends Exception {

    private final String errorType;
    private final String errorMessage;
    private final List<String> stackTrace;

    public LambdaFailure(String errorType, String errorMessage, List<String> stackTrace) {
        super((errorType == null ? "Lambda.Unknown" : errorType) + ": " + errorMessage, null, false, false);
        this.errorType = errorType;
        this.errorMessage = errorMessage;
        this.stackTrace = stackTrace == null ? List.of() : List.copyOf(stackTrace);
    }

    /** An unhandled failure: the runtime could not produce an error type. */
    public static LambdaFailure unhandled(String message) {
        return new LambdaFailure(null, message, null);
    }

    /** A handled failure from an exception thrown by an in-process Java handler. */
    public static LambdaFailure fromException(Throwable t) {
        List<String> trace = java.util.Arrays.stream(t.getStackTrace()).limit(20).map(StackTraceElement::toString)
                .toList();
        return new LambdaFailure(t.getClass().getName(), t.getMessage(), trace);
    }

    public String errorType() {
        return errorType;
    }

    public String errorMessage() {
        return errorMessage;
    }

    public List<String> stackTrace() {
        return stackTrace;
    }
}
