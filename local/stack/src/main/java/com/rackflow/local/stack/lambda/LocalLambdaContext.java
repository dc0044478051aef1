package com.rackflow.local.stack.lambda;

import java.nio.charset.StandardCharsets;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;

/** The Lambda {@link Context} of one local invocation; the logger writes to the stack's stdout, as Lambda to CloudWatch. */
final class LocalLambdaContext implements Context {

    private static final LambdaLogger STDOUT = new LambdaLogger() {
        @Override
        public void log(String message) {
            System.out.println(message);
        }

        @Override
        public void log(byte[] message) {
            log(new String(message, StandardCharsets.UTF_8));
        }
    };

    private final String requestId;
    private final String functionName;
    private final String version;
    private final String invokedArn;
    private final int memoryMb;
    private final long deadlineNanos;

    LocalLambdaContext(String requestId, String functionName, String version, String invokedArn, int memoryMb,
                       long deadlineNanos) {
        this.requestId = requestId;
        this.functionName = functionName;
        this.version = version;
        this.invokedArn = invokedArn;
        this.memoryMb = memoryMb;
        this.deadlineNanos = deadlineNanos;
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + functionName;
    }

    @Override
    public String getLogStreamName() {
        return "local/[" + version + "]" + functionName;
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    @Override
    public String getFunctionVersion() {
        return version;
    }

    @Override
    public String getInvokedFunctionArn() {
        return invokedArn;
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return (int) Math.max(0, (deadlineNanos - System.nanoTime()) / 1_000_000);
    }

    @Override
    public int getMemoryLimitInMB() {
        return memoryMb;
    }

    @Override
    public LambdaLogger getLogger() {
        return STDOUT;
    }
}
