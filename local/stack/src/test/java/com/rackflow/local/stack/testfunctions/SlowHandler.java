package com.rackflow.local.stack.testfunctions;

import java.io.InputStream;
import java.io.OutputStream;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

/** Takes longer than its function's Timeout. */
public final class SlowHandler implements RequestStreamHandler {
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        try {
            Thread.sleep(context.getRemainingTimeInMillis() + 2_000L);
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        }
    }
}
