package com.rackflow.workitems;

/**
 * A flow step failed for a passing reason (throttling, a network error, a concurrent change): the state machines
 * Retry on this error name ({@code com.rackflow.workitems.RetryableStepException}) with backoff.
 */
public class RetryableStepException extends RuntimeException {
    public RetryableStepException(String message, Throwable cause) {
        super(message, cause);
    }
}
