package com.rackflow.local.stack.testfunctions;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

/** Answers something that is not a Lambda proxy response (a body that is not a string, no statusCode). */
public final class MalformedHandler implements RequestStreamHandler {
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        output.write("{\"body\":{\"not\":\"a string\"}}".getBytes(StandardCharsets.UTF_8));
    }
}
