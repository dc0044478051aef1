package com.rackflow.local.stack.testfunctions;

import java.io.InputStream;
import java.io.OutputStream;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

/** Cannot be created: its constructor throws, as a function missing its configuration does. */
public final class InitFailingHandler implements RequestStreamHandler {

    public InitFailingHandler() {
        throw new IllegalStateException("configuration MISSING_SETTING is not set");
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        throw new AssertionError("never created");
    }
}
