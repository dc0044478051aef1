package com.rackflow.local.stack.testfunctions;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.crac.Core;
import org.crac.Resource;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Tells what its execution environment is: process id, invocations served by this instance, the environment variables,
 * the JVM's arguments, whether its SnapStart hooks ran. {@code {"sleepMs": n}} makes it take that long,
 * {@code {"exit": n}} makes the process exit (a crash).
 */
public final class LifecycleHandler implements RequestStreamHandler {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger SERVED = new AtomicInteger();
    private static volatile boolean beforeCheckpoint;
    private static volatile boolean afterRestore;
    private static final Resource HOOKS = new Resource() {
        @Override
        public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
            beforeCheckpoint = true;
        }

        @Override
        public void afterRestore(org.crac.Context<? extends Resource> context) {
            afterRestore = beforeCheckpoint;
        }
    };

    public LifecycleHandler() {
        Core.getGlobalContext().register(HOOKS);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = JSON.readTree(input);
        if (event.has("exit")) {
            Runtime.getRuntime().halt(event.path("exit").asInt());
        }
        if (event.has("sleepMs")) {
            try {
                Thread.sleep(event.path("sleepMs").asLong());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        System.out.println("served by " + ProcessHandle.current().pid());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("pid", ProcessHandle.current().pid());
        answer.put("served", SERVED.incrementAndGet());
        answer.put("beforeCheckpoint", beforeCheckpoint);
        answer.put("afterRestore", afterRestore);
        answer.put("requestId", context.getAwsRequestId());
        answer.put("remainingTimeInMillis", context.getRemainingTimeInMillis());
        answer.put("memoryLimitInMB", context.getMemoryLimitInMB());
        answer.put("environment", new TreeMap<>(System.getenv()));
        answer.put("jvmArguments", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        answer.put("userDir", System.getProperty("user.dir"));
        JSON.writeValue(output, answer);
    }
}
