package com.rackflow.local.stack.lambda;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rackflow.local.stack.template.FunctionSpec;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * One Lambda execution environment: a JVM running the Lambda Java runtime interface client (the real one, as the
 * process's entry point) against a Runtime API served here for this environment alone. It serves one invocation at a
 * time; it is killed when an invocation runs past the function's Timeout, and it is dead when its process exits.
 */
final class ExecutionEnvironment {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API = "/2018-06-01/runtime/";

    /** An invocation handed to the runtime; {@code result} completes with the response or a {@link LambdaInvocationException}. */
    record Invocation(String requestId, byte[] payload, long deadlineEpochMs, String invokedArn, String traceId,
                      CompletableFuture<byte[]> result) {
    }

    private final FunctionSpec function;
    private final String id;
    private final HttpServer runtimeApi;
    private final BlockingQueue<Invocation> next = new LinkedBlockingQueue<>();
    private final Map<String, Invocation> running = new ConcurrentHashMap<>();
    private final CompletableFuture<Long> initialised = new CompletableFuture<>();
    private final CompletableFuture<Integer> exited = new CompletableFuture<>();
    private final long startedNanos = System.nanoTime();
    private volatile boolean checkpointed;
    private volatile LambdaInvocationException initError;
    private volatile String deathCause;
    private volatile Process process;

    ExecutionEnvironment(FunctionSpec function, String id, ExecutorService threads) {
        this.function = function;
        this.id = id;
        try {
            runtimeApi = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serve the Runtime API: " + e.getMessage(), e);
        }
        runtimeApi.setExecutor(threads);
        runtimeApi.createContext(API, this::handle);
        runtimeApi.start();
    }

    /** {@code AWS_LAMBDA_RUNTIME_API}: host and port of this environment's Runtime API. */
    String runtimeApiAddress() {
        return "127.0.0.1:" + runtimeApi.getAddress().getPort();
    }

    String id() {
        return id;
    }

    /** Starts the process: {@code command} with exactly {@code environment}, in {@code taskRoot}, output appended to {@code log}. */
    void start(List<String> command, Map<String, String> environment, Path taskRoot, Path log, Consumer<ExecutionEnvironment> onExit) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(taskRoot.toFile())
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().clear();
        builder.environment().putAll(environment);
        try {
            process = builder.start();
        } catch (IOException e) {
            runtimeApi.stop(0);
            throw new LambdaInvocationException(function.functionName(), "Runtime.Unknown",
                    "cannot start the Java runtime: " + e.getMessage(), e);
        }
        process.onExit().thenAccept(p -> {
            exited.complete(p.exitValue());
            String cause = deathCause != null ? deathCause : "Runtime exited with error: exit status " + p.exitValue();
            LambdaInvocationException failure = initError != null && !initialised.isDone() ? initError
                    : new LambdaInvocationException(function.functionName(), "Runtime.ExitError", cause, null);
            initialised.completeExceptionally(failure);
            running.values().forEach(i -> i.result().completeExceptionally(new LambdaInvocationException(
                    function.functionName(), failure.errorType(), "RequestId: " + i.requestId() + " Error: " + failure.errorMessage(), null)));
            runtimeApi.stop(0);
            onExit.accept(this);
        });
    }

    /** Completes with the init duration in ms when the runtime asks for its first invocation; fails on an init error or exit. */
    CompletableFuture<Long> initialised() {
        return initialised;
    }

    /** Whether the runtime reported the snapshot point (SnapStart's {@code beforeCheckpoint} hooks ran). */
    boolean checkpointed() {
        return checkpointed;
    }

    boolean alive() {
        Process p = process;
        return p != null && p.isAlive() && deathCause == null;
    }

    long pid() {
        Process p = process;
        return p == null ? -1 : p.pid();
    }

    /** Hands the invocation to the runtime (which is waiting in {@code /invocation/next}). */
    void submit(Invocation invocation) {
        running.put(invocation.requestId(), invocation);
        invocation.result().whenComplete((r, e) -> running.remove(invocation.requestId()));
        next.add(invocation);
    }

    /** Kills the process (a timeout, or the stack stopping); waits briefly for it to be gone. */
    void kill(String cause) {
        deathCause = cause;
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            runtimeApi.stop(0);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring(API.length());
            String method = exchange.getRequestMethod();
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (method.equals("GET") && path.equals("invocation/next")) {
                nextInvocation(exchange);
            } else if (method.equals("POST") && path.startsWith("invocation/") && path.endsWith("/response")) {
                Invocation i = running.get(path.substring("invocation/".length(), path.length() - "/response".length()));
                if (i == null) {
                    reply(exchange, 400, "{\"errorMessage\":\"unknown request id\",\"errorType\":\"InvalidRequestID\"}");
                    return;
                }
                i.result().complete(body);
                reply(exchange, 202, "{\"status\":\"OK\"}");
            } else if (method.equals("POST") && path.startsWith("invocation/") && path.endsWith("/error")) {
                Invocation i = running.get(path.substring("invocation/".length(), path.length() - "/error".length()));
                if (i == null) {
                    reply(exchange, 400, "{\"errorMessage\":\"unknown request id\",\"errorType\":\"InvalidRequestID\"}");
                    return;
                }
                i.result().completeExceptionally(error(body, exchange));
                reply(exchange, 202, "{\"status\":\"OK\"}");
            } else if (method.equals("POST") && (path.equals("init/error") || path.equals("restore/error"))) {
                initError = error(body, exchange);
                reply(exchange, 202, "{\"status\":\"OK\"}");
            } else if (method.equals("GET") && path.equals("restore/next")) {
                // SnapStart: the runtime ran the beforeCheckpoint hooks; the "snapshot" is this very process, restored at once
                checkpointed = true;
                reply(exchange, 200, "");
            } else {
                reply(exchange, 404, "{\"errorMessage\":\"not a Runtime API path\",\"errorType\":\"NotFound\"}");
            }
        }
    }

    private void nextInvocation(HttpExchange exchange) throws IOException {
        initialised.complete((System.nanoTime() - startedNanos) / 1_000_000);
        Invocation invocation = null;
        try {
            while (invocation == null && !exited.isDone()) {
                invocation = next.poll(500, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (invocation == null) {
            reply(exchange, 500, "{\"errorMessage\":\"environment stopped\",\"errorType\":\"Runtime.Stopped\"}");
            return;
        }
        var headers = exchange.getResponseHeaders();
        headers.set("Lambda-Runtime-Aws-Request-Id", invocation.requestId());
        headers.set("Lambda-Runtime-Deadline-Ms", Long.toString(invocation.deadlineEpochMs()));
        headers.set("Lambda-Runtime-Invoked-Function-Arn", invocation.invokedArn());
        headers.set("Lambda-Runtime-Trace-Id", invocation.traceId());
        headers.set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, invocation.payload().length == 0 ? -1 : invocation.payload().length);
        exchange.getResponseBody().write(invocation.payload());
    }

    /** Lambda's error object as the runtime posted it ({@code errorMessage}, {@code errorType}). */
    private LambdaInvocationException error(byte[] body, HttpExchange exchange) {
        String type = exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
        String message = new String(body, StandardCharsets.UTF_8);
        try {
            JsonNode error = JSON.readTree(body);
            if (error != null && error.isObject()) {
                type = error.path("errorType").asText(type);
                message = error.path("errorMessage").asText(message);
            }
        } catch (IOException notJson) {
            // kept as text
        }
        return new LambdaInvocationException(function.functionName(), type == null ? "Runtime.Unknown" : type, message, null);
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
