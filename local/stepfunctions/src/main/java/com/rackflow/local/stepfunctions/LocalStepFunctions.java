package com.rackflow.local.stepfunctions;

import com.rackflow.local.stepfunctions.api.ApiServer;
import com.rackflow.local.stepfunctions.api.StepFunctionsService;
import com.rackflow.local.stepfunctions.engine.ExecutionListener;
import com.rackflow.local.stepfunctions.engine.Interpreter;
import com.rackflow.local.stepfunctions.engine.ScaledClock;
import com.rackflow.local.stepfunctions.engine.StateMachine;
import com.rackflow.local.stepfunctions.engine.StateMachineType;
import com.rackflow.local.stepfunctions.engine.StatusEvents;
import com.rackflow.local.stepfunctions.engine.TaskTokens;
import com.rackflow.local.stepfunctions.integrations.DynamoDbIntegration;
import com.rackflow.local.stepfunctions.persistence.ExecutionStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An embeddable local AWS Step Functions: an Amazon States Language interpreter behind the Step Functions API
 * (AWS JSON 1.0). Build with {@link #builder()}, then {@link #start()}; {@link #endpoint()} is the URI to give the SDK
 * ({@code endpointOverride}) or the CLI ({@code --endpoint-url}).
 */
public final class LocalStepFunctions implements AutoCloseable {

    private final Builder options;
    private ExecutorService executionThreads;
    private ExecutorService workers;
    private ExecutorService httpThreads;
    private ScheduledExecutorService timers;
    private DynamoDbIntegration dynamo;
    private StepFunctionsService service;
    private ExecutionStore store;
    private ApiServer server;
    private ExecutorService statusDelivery;
    private final List<ExecutionStatusListener> statusListeners = new CopyOnWriteArrayList<>();

    private LocalStepFunctions(Builder options) {
        this.options = options;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options; every one has a default. */
    public static final class Builder {
        private int port;
        private String host = "127.0.0.1";
        private Path dataFolder;
        private double timeScale = 1.0;
        private LambdaInvoker lambdaInvoker = LambdaInvoker.none();
        private URI dynamoDbEndpoint;
        private String region = "us-east-1";
        private String accountId = "123456789012";

        /** TCP port; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** Where executions, histories and task tokens are kept across restarts; null (default) keeps them in memory. */
        public Builder dataFolder(Path dataFolder) {
            this.dataFolder = dataFolder;
            return this;
        }

        /** Multiplies every duration (Wait, retries, timeouts, heartbeats): 1.0 real time, 0.001 for tests. */
        public Builder timeScale(double timeScale) {
            this.timeScale = timeScale;
            return this;
        }

        public Builder lambdaInvoker(LambdaInvoker lambdaInvoker) {
            this.lambdaInvoker = lambdaInvoker;
            return this;
        }

        /** The DynamoDB endpoint the dynamodb integrations call. */
        public Builder dynamoDbEndpoint(URI dynamoDbEndpoint) {
            this.dynamoDbEndpoint = dynamoDbEndpoint;
            return this;
        }

        public Builder region(String region) {
            this.region = region;
            return this;
        }

        public Builder accountId(String accountId) {
            this.accountId = accountId;
            return this;
        }

        public LocalStepFunctions build() {
            return new LocalStepFunctions(this);
        }
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Starts the API server and resumes persisted executions. */
    public synchronized LocalStepFunctions start() {
        if (server != null) {
            return this;
        }
        executionThreads = Executors.newCachedThreadPool(named("sfn-execution"));
        workers = Executors.newCachedThreadPool(named("sfn-worker"));
        httpThreads = Executors.newCachedThreadPool(named("sfn-http"));
        timers = Executors.newSingleThreadScheduledExecutor(named("sfn-timer"));
        dynamo = new DynamoDbIntegration(options.dynamoDbEndpoint, options.region);
        TaskTokens tokens = new TaskTokens();
        store = options.dataFolder == null ? null : new ExecutionStore(options.dataFolder);
        ScaledClock clock = new ScaledClock(options.timeScale);
        statusDelivery = Executors.newSingleThreadExecutor(named("sfn-status-events"));
        ExecutionListener statusEvents = new StatusEvents(statusListeners, statusDelivery, options.region,
                options.accountId);
        Interpreter interpreter = new Interpreter(clock, workers, timers, tokens, options.lambdaInvoker, dynamo,
                options.region, options.accountId, store == null ? statusEvents
                : ExecutionListener.both(store, statusEvents));
        service = new StepFunctionsService(interpreter, tokens, executionThreads, timers, store, options.region,
                options.accountId);
        interpreter.childExecutions(service.children());
        service.restore();
        try {
            server = new ApiServer(service, options.host, options.port, httpThreads);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + options.host + ":" + options.port, e);
        }
        server.start();
        return this;
    }

    /**
     * Registers a listener for execution status changes (the detail of EventBridge's "Step Functions Execution
     * Status Change" event); may be called before or after {@link #start()}. Returns a handle that unregisters it.
     */
    public AutoCloseable onExecutionStatusChange(ExecutionStatusListener listener) {
        statusListeners.add(listener);
        return () -> statusListeners.remove(listener);
    }

    /** The URI of the AWS JSON 1.0 API. */
    public URI endpoint() {
        if (server == null) {
            throw new IllegalStateException("not started");
        }
        return URI.create("http://" + options.host + ":" + server.port());
    }

    public int port() {
        return server.port();
    }

    public String region() {
        return options.region;
    }

    public String accountId() {
        return options.accountId;
    }

    /**
     * Registers (or replaces) a state machine, as the host does for the machines of template.yaml. The definition
     * must already have its {@code ${...}} substitutions resolved (see {@link #substitute}). Returns its ARN.
     *
     * @throws IllegalArgumentException when the definition is invalid (the message names the problems)
     */
    public String createOrUpdateStateMachine(String name, String definitionJson, String roleArn,
                                             StateMachineType type) {
        try {
            StateMachine m = service().createOrUpdateStateMachine(name, definitionJson, roleArn == null
                    ? "arn:aws:iam::" + options.accountId + ":role/" + name + "-role" : roleArn, type);
            return m.arn();
        } catch (com.rackflow.local.stepfunctions.api.ApiException e) {
            throw new IllegalArgumentException(e.type() + ": " + e.getMessage(), e);
        }
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]+)}");

    /**
     * Replaces {@code ${Name}} placeholders as CloudFormation does for DefinitionSubstitutions.
     *
     * @throws IllegalArgumentException naming a placeholder that has no value
     */
    public static String substitute(String definition, Map<String, String> substitutions) {
        Matcher m = PLACEHOLDER.matcher(definition);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = substitutions.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("No DefinitionSubstitutions value for ${" + m.group(1) + "}");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The API operations as Java calls (same request/response JSON as over HTTP). */
    public StepFunctionsService service() {
        if (service == null) {
            throw new IllegalStateException("not started");
        }
        return service;
    }

    @Override
    public synchronized void close() {
        if (store != null) {
            store.close();
        }
        if (server != null) {
            server.close();
            server = null;
        }
        for (ExecutorService e : new ExecutorService[] {executionThreads, workers, httpThreads, timers,
                statusDelivery}) {
            if (e != null) {
                e.shutdownNow();
            }
        }
        if (dynamo != null) {
            dynamo.close();
        }
    }
}
