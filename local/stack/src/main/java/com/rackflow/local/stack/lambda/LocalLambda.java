package com.rackflow.local.stack.lambda;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.InvocationTargetException;
import java.util.Deque;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.rackflow.local.stack.log.JsonLog;
import com.rackflow.local.stack.log.Redaction;
import com.rackflow.local.stack.template.FunctionSpec;
import com.rackflow.local.stack.template.SamApplication;
import com.rackflow.local.cloudformation.TemplateException;

/**
 * Runs the template's functions in this JVM as Lambda would: each handler class is instantiated per execution
 * environment and kept warm; an environment serves one invocation at a time, and a new one is created when all are
 * busy (Lambda scaling out). Invocations get a Lambda {@code Context} and are cut off at the function's Timeout.
 */
public final class LocalLambda implements AutoCloseable {

    private static final JsonLog LOG = JsonLog.of("lambda");

    private final SamApplication application;
    private final ClassLoader classLoader;
    private final Map<String, Deque<RequestStreamHandler>> warmEnvironments = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> invocationCounts = new ConcurrentHashMap<>();
    private final ExecutorService invocations = Executors.newCachedThreadPool(runnable -> {
        Thread t = new Thread(runnable, "lambda-invocation");
        t.setDaemon(true);
        return t;
    });

    private final FunctionClassLoader ownLoader;

    /** Functions loaded by {@code classLoader} itself (their static state is shared with whoever else uses it). */
    public LocalLambda(SamApplication application, ClassLoader classLoader) {
        this.application = application;
        this.classLoader = classLoader;
        this.ownLoader = null;
    }

    private LocalLambda(SamApplication application, FunctionClassLoader loader) {
        this.application = application;
        this.classLoader = loader;
        this.ownLoader = loader;
    }

    /**
     * Functions loaded from the JVM's class path by a class loader of their own, as in a Lambda execution
     * environment: nothing static is shared with the stack or with an earlier stack in the same JVM.
     */
    public static LocalLambda isolated(SamApplication application) {
        return new LocalLambda(application, FunctionClassLoader.overClassPath(LocalLambda.class.getClassLoader()));
    }

    /**
     * Creates one execution environment per function, as a deployment's first invocations would; a function whose
     * handler cannot be created is logged and fails on every invocation, like a Lambda init error.
     */
    public void warmUp() {
        application.functions().forEach(this::warmUp);
    }

    /**
     * {@link #warmUp()} on background threads, so requests are served meanwhile (a function invoked before its
     * environment is ready gets one of its own, as a cold start). Completes when every function was tried.
     */
    public CompletableFuture<Void> warmUpInBackground() {
        ExecutorService warmers = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                runnable -> {
                    Thread t = new Thread(runnable, "lambda-init");
                    t.setDaemon(true);
                    return t;
                });
        CompletableFuture<?>[] inits = application.functions().stream()
                .map(f -> CompletableFuture.runAsync(() -> warmUp(f), warmers)).toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(inits).whenComplete((done, error) -> warmers.shutdown());
    }

    private void warmUp(FunctionSpec function) {
        try {
            environments(function).push(newHandler(function));
        } catch (LambdaInvocationException e) {
            LOG.error("function cannot be initialised; its invocations will fail", "function", function.logicalId(),
                    "errorType", e.errorType(), "errorMessage", Redaction.mask(e.errorMessage()));
        }
    }

    /**
     * Invokes by ARN (plain, alias or version qualified) or by function name, with Lambda's JSON payload.
     *
     * @throws LambdaInvocationException when the function fails; its payload is Lambda's error object
     */
    public byte[] invoke(String functionArnOrName, byte[] payload) {
        String name = functionArnOrName;
        String qualifier = null;
        if (functionArnOrName.startsWith("arn:")) {
            String[] parts = functionArnOrName.split(":");
            name = parts.length > 6 ? parts[6] : functionArnOrName;
            qualifier = parts.length > 7 ? parts[7] : null;
        }
        String functionName = name;
        FunctionSpec function = application.functions().stream().filter(f -> f.functionName().equals(functionName))
                .findFirst().orElseThrow(() -> new LambdaInvocationException(functionName, "ResourceNotFoundException",
                        "Function not found: " + functionArnOrName, null));
        if (qualifier != null && !qualifier.equals("$LATEST") && !qualifier.equals(function.alias()) && !qualifier.equals("1")) {
            throw new LambdaInvocationException(functionName, "ResourceNotFoundException",
                    "Function not found: " + functionArnOrName, null);
        }
        return invoke(function, qualifier, payload);
    }

    public byte[] invoke(FunctionSpec function, String qualifier, byte[] payload) {
        String requestId = UUID.randomUUID().toString();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(function.timeoutSeconds());
        String version = qualifier == null || qualifier.equals("$LATEST") ? "$LATEST" : "1";
        String invokedArn = qualifier == null ? function.arn() : function.arn() + ":" + qualifier;
        LocalLambdaContext context = new LocalLambdaContext(requestId, function.functionName(), version, invokedArn,
                function.memoryMb(), deadline);
        invocationCounts.computeIfAbsent(function.logicalId(), k -> new AtomicInteger()).incrementAndGet();

        RequestStreamHandler handler = environments(function).pollFirst();
        RequestStreamHandler environment = handler != null ? handler : newHandler(function);
        Future<byte[]> result = invocations.submit(() -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            environment.handleRequest(new ByteArrayInputStream(payload), out, context);
            return out.toByteArray();
        });
        try {
            byte[] response = result.get(function.timeoutSeconds(), TimeUnit.SECONDS);
            environments(function).push(environment);
            return response;
        } catch (TimeoutException e) {
            result.cancel(true); // the environment is discarded, as Lambda does after a timeout
            throw new LambdaInvocationException(function.functionName(), "Sandbox.Timedout",
                    String.format("Task timed out after %d.00 seconds", function.timeoutSeconds()), null);
        } catch (ExecutionException e) {
            environments(function).push(environment);
            Throwable cause = e.getCause();
            LOG.error("function error", "function", function.logicalId(), "awsRequestId", requestId,
                    "errorType", cause.getClass().getName(), "errorMessage", Redaction.mask(cause.getMessage()));
            throw new LambdaInvocationException(function.functionName(), cause.getClass().getName(), cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result.cancel(true);
            throw new LambdaInvocationException(function.functionName(), "Interrupted", "invocation interrupted", e);
        }
    }

    /** How many times the function was invoked since start. */
    public int invocationCount(String logicalId) {
        AtomicInteger count = invocationCounts.get(logicalId);
        return count == null ? 0 : count.get();
    }

    public SamApplication application() {
        return application;
    }

    private Deque<RequestStreamHandler> environments(FunctionSpec function) {
        return warmEnvironments.computeIfAbsent(function.logicalId(), k -> new ConcurrentLinkedDeque<>());
    }

    private RequestStreamHandler newHandler(FunctionSpec function) {
        String className = function.handlerClassName();
        try {
            Class<?> type = Class.forName(className, true, classLoader);
            if (!RequestStreamHandler.class.isAssignableFrom(type)) {
                throw new LambdaInvocationException(function.functionName(), "Runtime.InvalidHandler",
                        className + " does not implement RequestStreamHandler", null);
            }
            return (RequestStreamHandler) type.getDeclaredConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            throw new LambdaInvocationException(function.functionName(), "java.lang.ClassNotFoundException",
                    "Class not found: " + className, e);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw new LambdaInvocationException(function.functionName(), "Runtime.InitError",
                    className + " constructor threw " + cause, cause);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new LambdaInvocationException(function.functionName(), "Runtime.InitError",
                    "cannot create " + className + ": " + e, e);
        }
    }

    /** Whether the template's handler for the function names a class on this classpath. */
    public boolean handlerAvailable(String logicalId) {
        try {
            Class.forName(application.function(logicalId).handlerClassName(), false, classLoader);
            return true;
        } catch (ClassNotFoundException | TemplateException e) {
            return false;
        }
    }

    @Override
    public void close() {
        invocations.shutdownNow();
        if (ownLoader != null) {
            try {
                ownLoader.close();
            } catch (java.io.IOException e) {
                LOG.warn("function class loader did not close", "error", e.toString());
            }
        }
    }
}
