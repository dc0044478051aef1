package com.rackflow.local.stack.lambda;

import java.io.File;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import com.rackflow.local.stack.log.JsonLog;
import com.rackflow.local.stack.log.Redaction;
import com.rackflow.local.stack.template.FunctionSpec;
import com.rackflow.local.stack.template.SamApplication;
import com.rackflow.local.stack.template.TemplateEvaluator;

/**
 * Runs the template's functions as AWS Lambda does: each in execution environments of its own (a JVM started on the
 * function's first invocation, with the Lambda Java runtime interface client as its entry point, the environment
 * variables and JVM flags Lambda's java21 runtime gives, the function's code from its CodeUri), kept warm afterwards,
 * one invocation per environment at a time, a new environment when all are busy (up to {@link Settings#maxInstances}),
 * the function's Timeout enforced by killing the environment. All environments stop with {@link #close()}.
 */
public final class LocalLambda implements AutoCloseable {
    /** The access key every function's credentials carry (environment or container endpoint), as local services verify it. */
    public static final String ACCESS_KEY_ID = ContainerCredentials.ACCESS_KEY_ID;
    public static final String SECRET_ACCESS_KEY = ContainerCredentials.SECRET_ACCESS_KEY;


    private static final JsonLog LOG = JsonLog.of("lambda");
    /** Lambda's init phase limit for on-demand environments; a SnapStart snapshot may take much longer to make. */
    private static final int ON_DEMAND_INIT_SECONDS = 10;
    private static final int SNAPSHOT_INIT_SECONDS = 120;
    private static final int QUEUE_WAIT_SECONDS = 30;

    /**
     * @param workDir where the functions' task roots and log files ({@code logs/<function>.log}) go
     * @param maxInstances execution environments per function at most (Lambda's concurrency limit, kept small here)
     * @param endpoints {@code AWS_ENDPOINT_URL_*} variables every function gets (the local services)
     * @param snapStart false runs every function as an on-demand environment, as invoking $LATEST does in AWS: no
     *                  SnapStart hooks (no priming), access-key credentials
     */
    public record Settings(Path workDir, int maxInstances, Map<String, String> endpoints, boolean snapStart) {
        public Settings(Path workDir, int maxInstances, Map<String, String> endpoints) {
            this(workDir, maxInstances, endpoints, true);
        }
    }

    private final SamApplication application;
    private final Settings settings;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread t = new Thread(runnable, "lambda-runtime-api");
        t.setDaemon(true);
        return t;
    });
    private final ContainerCredentials credentials = new ContainerCredentials(threads);
    private final Map<String, String> endpoints = new ConcurrentHashMap<>();
    private final Map<String, Pool> pools = new ConcurrentHashMap<>();
    private final Map<Path, Path> taskRoots = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> invocationCounts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> coldStarts = new ConcurrentHashMap<>();
    private final Map<String, List<Long>> initDurations = new ConcurrentHashMap<>();
    private final Set<ExecutionEnvironment> environments = ConcurrentHashMap.newKeySet();
    private final AtomicInteger environmentIds = new AtomicInteger();
    private final List<Path> runtimeClassPath = FunctionArtifact.runtimeClassPath();
    private final Path nativeClientLibrary;
    private volatile boolean closed;

    public LocalLambda(SamApplication application, Settings settings) {
        this.application = application;
        this.settings = settings;
        this.endpoints.putAll(settings.endpoints());
        this.nativeClientLibrary = FunctionArtifact.nativeClientLibrary(settings.workDir());
    }

    /** Sets an {@code AWS_ENDPOINT_URL_*} variable for environments started from now on. */
    public void endpoint(String variable, String url) {
        endpoints.put(variable, url);
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
        if (closed) {
            throw new LambdaInvocationException(function.functionName(), "ServiceException", "the local stack is stopping", null);
        }
        invocationCounts.computeIfAbsent(function.logicalId(), k -> new AtomicInteger()).incrementAndGet();
        Pool pool = pools.computeIfAbsent(function.logicalId(), k -> new Pool(function));
        ExecutionEnvironment environment = pool.acquire();
        String requestId = UUID.randomUUID().toString();
        String invokedArn = qualifier == null ? function.arn() : function.arn() + ":" + qualifier;
        long timeoutMs = TimeUnit.SECONDS.toMillis(function.timeoutSeconds());
        ExecutionEnvironment.Invocation invocation = new ExecutionEnvironment.Invocation(requestId, payload,
                System.currentTimeMillis() + timeoutMs, invokedArn, traceId(), new java.util.concurrent.CompletableFuture<>());
        pool.log.platform("INFO", "platform.start", Map.of("requestId", requestId, "version", version(function)),
                "START RequestId: " + requestId + " Version: " + version(function));
        long started = System.nanoTime();
        environment.submit(invocation);
        try {
            byte[] response = invocation.result().get(timeoutMs, TimeUnit.MILLISECONDS);
            report(pool, requestId, started, "success");
            pool.release(environment);
            return response;
        } catch (TimeoutException e) {
            environment.kill("Task timed out after " + function.timeoutSeconds() + ".00 seconds");
            report(pool, requestId, started, "timeout");
            LOG.warn("function timed out; its execution environment was stopped and will be replaced", "function",
                    function.logicalId(), "awsRequestId", requestId, "timeoutSeconds", function.timeoutSeconds());
            throw new LambdaInvocationException(function.functionName(), "Sandbox.Timedout",
                    Instant.now() + " " + requestId + " Task timed out after " + function.timeoutSeconds() + ".00 seconds", null);
        } catch (ExecutionException e) {
            report(pool, requestId, started, "error");
            pool.release(environment);
            LambdaInvocationException failure = e.getCause() instanceof LambdaInvocationException l ? l
                    : new LambdaInvocationException(function.functionName(), "Runtime.Unknown", String.valueOf(e.getCause()), e.getCause());
            LOG.error("function error", "function", function.logicalId(), "awsRequestId", requestId,
                    "errorType", failure.errorType(), "errorMessage", Redaction.mask(failure.errorMessage()));
            throw failure;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            environment.kill("the invocation's caller was interrupted");
            throw new LambdaInvocationException(function.functionName(), "Interrupted", "invocation interrupted", e);
        }
    }

    private void report(Pool pool, String requestId, long startedNanos, String status) {
        double ms = (System.nanoTime() - startedNanos) / 1e6;
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("durationMs", Math.round(ms * 100) / 100.0);
        metrics.put("billedDurationMs", (long) Math.ceil(ms));
        metrics.put("memorySizeMB", pool.function.memoryMb());
        pool.log.platform(status.equals("success") ? "INFO" : "ERROR", "platform.report",
                Map.of("requestId", requestId, "metrics", metrics, "status", status),
                "END RequestId: " + requestId + "\nREPORT RequestId: " + requestId + String.format(java.util.Locale.ROOT,
                        "\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB%s", ms, (long) Math.ceil(ms),
                        pool.function.memoryMb(), status.equals("success") ? "" : "\tStatus: " + status));
    }

    private static String traceId() {
        String hex = UUID.randomUUID().toString().replace("-", "");
        return "Root=1-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-" + hex.substring(0, 24) + ";Sampled=0";
    }

    private static String version(FunctionSpec function) {
        return function.alias() == null ? "$LATEST" : "1";
    }

    /**
     * {@code UpdateFunctionConfiguration} with new environment variables (merged; an empty value removes one):
     * environments started from now on get them; idle ones are retired now, busy ones when their invocation ends.
     */
    public void updateEnvironment(String logicalId, Map<String, String> variables) {
        pools.computeIfAbsent(logicalId, k -> new Pool(application.function(k))).update(variables);
    }

    /** How many times the function was invoked since start. */
    public int invocationCount(String logicalId) {
        AtomicInteger count = invocationCounts.get(logicalId);
        return count == null ? 0 : count.get();
    }

    /** How many execution environments the function has started (cold starts). */
    public int coldStarts(String logicalId) {
        AtomicInteger count = coldStarts.get(logicalId);
        return count == null ? 0 : count.get();
    }

    /** The init phase (JVM start to the first {@code /invocation/next}, SnapStart hooks included) of each cold start, in ms. */
    public List<Long> initDurations(String logicalId) {
        return List.copyOf(initDurations.getOrDefault(logicalId, List.of()));
    }

    /** The process ids of the function's live execution environments. */
    public List<Long> processIds(String logicalId) {
        return environments.stream().filter(e -> e.id().startsWith(logicalId + "-") && e.alive())
                .map(ExecutionEnvironment::pid).toList();
    }

    /** The process ids of every live execution environment. */
    public List<Long> processIds() {
        return environments.stream().filter(ExecutionEnvironment::alive).map(ExecutionEnvironment::pid).toList();
    }

    /** How many times the function's environments fetched container credentials. */
    public int containerCredentialFetches(String logicalId) {
        return credentials.fetches(application.function(logicalId).functionName());
    }

    /** The function's log file (its CloudWatch log group). */
    public Path logFile(String logicalId) {
        return settings.workDir().resolve("logs").resolve(application.function(logicalId).functionName() + ".log");
    }

    public SamApplication application() {
        return application;
    }

    /** The environment variables an execution environment of {@code function} gets, as Lambda sets them. */
    Map<String, String> environmentOf(FunctionSpec function, Path taskRoot, String runtimeApi) {
        Map<String, String> env = new LinkedHashMap<>(function.environment());
        String version = version(function);
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("LANG", "en_US.UTF-8");
        env.put("TZ", ":UTC");
        env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
        env.put("LAMBDA_RUNTIME_DIR", runtimeClassPath.get(0).getParent().toString());
        env.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
        env.put("_HANDLER", function.handler());
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
        env.put("AWS_REGION", TemplateEvaluator.REGION);
        env.put("AWS_DEFAULT_REGION", TemplateEvaluator.REGION);
        env.put("AWS_LAMBDA_FUNCTION_NAME", function.functionName());
        env.put("AWS_LAMBDA_FUNCTION_VERSION", version);
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(function.memoryMb()));
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + function.functionName());
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", LocalDate.now(ZoneOffset.UTC).toString().replace('-', '/') + "/[" + version + "]"
                + UUID.randomUUID().toString().replace("-", ""));
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", snapStart(function) ? "snap-start" : "on-demand");
        if (function.logging().json()) {
            env.put("AWS_LAMBDA_LOG_FORMAT", "JSON");
            env.put("AWS_LAMBDA_LOG_LEVEL", function.logging().applicationLogLevel());
        }
        if (snapStart(function)) {
            env.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", credentials.uri(function.functionName()).toString());
            env.put("AWS_CONTAINER_AUTHORIZATION_TOKEN", credentials.authorizationToken());
        } else {
            env.put("AWS_ACCESS_KEY_ID", ContainerCredentials.ACCESS_KEY_ID);
            env.put("AWS_SECRET_ACCESS_KEY", ContainerCredentials.SECRET_ACCESS_KEY);
            env.put("AWS_SESSION_TOKEN", "local-session-" + function.functionName());
        }
        env.putAll(endpoints);
        return env;
    }

    /** SnapStart as the template declares it, unless the stack runs every function on demand. */
    private boolean snapStart(FunctionSpec function) {
        return function.snapStart() && settings.snapStart();
    }

    /** The java21 runtime's launch: its JVM flags, the heap from MemorySize, the runtime interface client as main class. */
    List<String> commandOf(FunctionSpec function) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-XX:+TieredCompilation");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:+UseSerialGC");
        command.add("-Xshare:auto");
        command.add("-Xmx" + Math.max(64, function.memoryMb() * 85 / 100) + "m");
        command.add("-Djava.net.preferIPv4Stack=true");
        // the runtime's bridge for org.crac: resources registered there run as SnapStart runtime hooks
        command.add("-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac");
        command.add("-Dcom.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI=" + nativeClientLibrary);
        command.add("-cp");
        command.add(String.join(File.pathSeparator, runtimeClassPath.stream().map(Path::toString).toList()));
        command.add("com.amazonaws.services.lambda.runtime.api.client.AWSLambda");
        command.add(function.handler());
        return command;
    }

    private ExecutionEnvironment startEnvironment(Pool pool, FunctionSpec function) {
        return startEnvironment(pool, function, snapStart(function) ? SNAPSHOT_INIT_SECONDS : ON_DEMAND_INIT_SECONDS, false);
    }

    /**
     * @param limit the init's time limit in seconds
     * @param suppressed the init is Lambda's retry of an on-demand init that passed 10 s: it runs again as part of the
     *                   first invocation, limited by the function's timeout
     */
    private ExecutionEnvironment startEnvironment(Pool pool, FunctionSpec function, int limit, boolean suppressed) {
        Path taskRoot = taskRoots.computeIfAbsent(function.codeUri(), uri -> FunctionArtifact.taskRoot(uri, settings.workDir()));
        String id = function.logicalId() + "-" + environmentIds.incrementAndGet();
        ExecutionEnvironment environment = new ExecutionEnvironment(function, id, threads);
        environments.add(environment);
        coldStarts.computeIfAbsent(function.logicalId(), k -> new AtomicInteger()).incrementAndGet();
        String initType = snapStart(function) ? "snap-start" : "on-demand";
        pool.log.platform("INFO", "platform.initStart", Map.of("initializationType", initType, "phase", "init",
                        "functionName", function.functionName(), "functionVersion", version(function)),
                "INIT_START Runtime Version: java:21 (local, " + Runtime.version() + ")");
        environment.start(commandOf(function), environmentOf(function, taskRoot, environment.runtimeApiAddress()), taskRoot,
                pool.log.file(), gone -> {
                    environments.remove(gone);
                    pool.gone(gone);
                });
        try {
            long initMs = environment.initialised().get(limit, TimeUnit.SECONDS);
            initDurations.computeIfAbsent(function.logicalId(), k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(initMs);
            pool.log.platform("INFO", "platform.initReport", Map.of("initializationType", initType, "phase", "init",
                    "status", "success", "metrics", Map.of("durationMs", initMs)), "INIT_REPORT Init Duration: " + initMs + " ms");
            LOG.info("cold start: execution environment ready", "function", function.logicalId(), "environment", id,
                    "pid", environment.pid(), "initMs", initMs, "snapStartHooksRan", environment.checkpointed());
            return environment;
        } catch (TimeoutException e) {
            environment.kill("Init timed out after " + limit + " seconds");
            if (!snapStart(function) && !suppressed) {
                LOG.info("init passed Lambda's 10 s: retried within the first invocation, limited by the function's timeout",
                        "function", function.logicalId(), "environment", id, "timeoutSeconds", function.timeoutSeconds());
                return startEnvironment(pool, function, function.timeoutSeconds(), true);
            }
            throw new LambdaInvocationException(function.functionName(), "Sandbox.Timedout",
                    "INIT_REPORT Init Duration: " + limit * 1000 + " ms Phase: init Status: timeout", null);
        } catch (ExecutionException e) {
            LambdaInvocationException failure = e.getCause() instanceof LambdaInvocationException l ? l
                    : new LambdaInvocationException(function.functionName(), "Runtime.Unknown", String.valueOf(e.getCause()), e.getCause());
            pool.log.platform("ERROR", "platform.initReport", Map.of("initializationType", initType, "phase", "init",
                    "status", "error", "errorType", failure.errorType()), "INIT_REPORT Status: error Error Type: " + failure.errorType());
            LOG.error("function cannot be initialised", "function", function.logicalId(), "errorType", failure.errorType(),
                    "errorMessage", Redaction.mask(failure.errorMessage()));
            environment.kill("init failed");
            throw failure;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            environment.kill("interrupted");
            throw new LambdaInvocationException(function.functionName(), "Interrupted", "init interrupted", e);
        }
    }

    /** A function's execution environments: idle ones are reused (most recent first), busy ones make it scale out. */
    private final class Pool {
        volatile FunctionSpec function;
        final FunctionLog log;
        private final Deque<ExecutionEnvironment> idle = new ArrayDeque<>();
        private final Set<ExecutionEnvironment> retired = ConcurrentHashMap.newKeySet();
        private int live;

        Pool(FunctionSpec function) {
            this.function = function;
            this.log = new FunctionLog(function, settings.workDir().resolve("logs"));
        }

        ExecutionEnvironment acquire() {
            // Lambda would throttle at once; locally a caller waits for a free environment as long as API Gateway would
            long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(QUEUE_WAIT_SECONDS);
            synchronized (this) {
                while (true) {
                    ExecutionEnvironment e = idle.pollFirst();
                    if (e != null && e.alive()) {
                        return e;
                    }
                    if (e != null) {
                        continue;
                    }
                    if (live < settings.maxInstances()) {
                        live++;
                        break;
                    }
                    long remaining = waitUntil - System.nanoTime();
                    if (remaining <= 0) {
                        throw new LambdaInvocationException(function.functionName(), "TooManyRequestsException",
                                "Rate Exceeded. (all " + settings.maxInstances() + " execution environments busy)", null);
                    }
                    try {
                        TimeUnit.NANOSECONDS.timedWait(this, remaining);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw new LambdaInvocationException(function.functionName(), "Interrupted", "invocation interrupted", ie);
                    }
                }
            }
            try {
                return startEnvironment(this, function);
            } catch (RuntimeException e) {
                synchronized (this) {
                    live--;
                    notifyAll();
                }
                throw e;
            }
        }

        synchronized void release(ExecutionEnvironment environment) {
            if (retired.contains(environment)) {
                threads.execute(() -> environment.kill("its function's configuration changed"));
            } else if (environment.alive() && !closed) {
                idle.addFirst(environment);
            }
            notifyAll();
        }

        synchronized void update(Map<String, String> variables) {
            Map<String, String> environment = new java.util.TreeMap<>(function.environment());
            variables.forEach((name, value) -> {
                if (value == null || value.isEmpty()) {
                    environment.remove(name);
                } else {
                    environment.put(name, value);
                }
            });
            FunctionSpec f = function;
            function = new FunctionSpec(f.logicalId(), f.functionName(), f.arn(), f.alias(), f.handler(), f.timeoutSeconds(),
                    f.memoryMb(), Map.copyOf(environment), f.routes(), f.codeUri(), f.snapStart(), f.logging());
            environments.stream().filter(e -> e.id().startsWith(f.logicalId() + "-")).forEach(retired::add);
            idle.forEach(e -> threads.execute(() -> e.kill("its function's configuration changed")));
            idle.clear();
        }

        /** The environment's process ended (killed after a timeout, crashed, or stopped). */
        synchronized void gone(ExecutionEnvironment environment) {
            idle.remove(environment);
            retired.remove(environment);
            live--;
            notifyAll();
            if (!closed) {
                LOG.warn("function execution environment exited; the next invocation starts a new one", "function",
                        function.logicalId(), "environment", environment.id(), "pid", environment.pid());
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        environments.forEach(e -> threads.execute(() -> e.kill("the local stack stopped")));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!environments.isEmpty() && System.nanoTime() < until) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        credentials.close();
        threads.shutdownNow();
    }
}
