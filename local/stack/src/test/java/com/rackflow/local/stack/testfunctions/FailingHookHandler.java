package com.rackflow.local.stack.testfunctions;

import java.io.InputStream;
import java.io.OutputStream;

import org.crac.Core;
import org.crac.Resource;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

/** A SnapStart function whose beforeCheckpoint hook throws: publishing its version would fail. */
public final class FailingHookHandler implements RequestStreamHandler {

    private static final Resource FAILING = new Resource() {
        @Override
        public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
            throw new IllegalStateException("priming failed");
        }

        @Override
        public void afterRestore(org.crac.Context<? extends Resource> context) {
        }
    };

    public FailingHookHandler() {
        Core.getGlobalContext().register(FAILING);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        output.toString();
    }
}
