package com.rackflow.local.stepfunctions;

/**
 * Supplied by the host: invokes a Lambda function synchronously. Returns the function's raw JSON result, or throws
 * {@link LambdaFailure} when the function failed.
 */
@FunctionalInterface
public interface LambdaInvoker {

    byte[] invoke(String functionArn, byte[] payloadJson) throws LambdaFailure;

    /** The invoker used when the host supplies none: every invocation fails as a missing function does. */
    static LambdaInvoker none() {
        return (arn, payload) -> {
            throw new LambdaFailure("Lambda.ResourceNotFoundException", "Function not found: " + arn, null);
        };
    }
}
