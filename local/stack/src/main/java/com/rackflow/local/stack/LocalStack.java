package com.rackflow.local.stack;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.nimbusds.jose.jwk.RSAKey;
import com.rackflow.local.dynalite.Dynalite;
import com.rackflow.local.stack.events.LocalEventBridge;
import com.rackflow.local.dynamodb.DynamoFront;
import com.rackflow.local.stack.console.ConsoleHost;
import com.rackflow.local.stack.gateway.RestApiGateway;
import com.rackflow.local.stack.docs.ApiReference;
import com.rackflow.local.stack.idp.LocalIdentityProvider;
import com.rackflow.local.stack.lambda.LambdaInvokeApi;
import com.rackflow.local.stack.lambda.LocalLambda;
import com.rackflow.local.stack.log.JsonLog;
import com.rackflow.local.stack.seed.CustomerSeeder;
import com.rackflow.local.stack.seed.DemoCustomers;
import com.rackflow.local.stack.seed.InventorySeeder;
import com.rackflow.local.stack.seed.DemoStaff;
import com.rackflow.local.stack.seed.StaffDirectoryTable;
import com.rackflow.local.stack.stepfunctions.EmbeddedStepFunctions;
import com.rackflow.local.stack.stepfunctions.StateMachineHost;
import com.rackflow.local.stack.tables.LocalDynamoDb;
import com.rackflow.local.stack.tables.TableProvisioner;
import com.rackflow.local.cloudformation.CloudFormationYaml;
import com.rackflow.local.stack.template.SamApplication;
import com.rackflow.local.stack.template.StateMachineSpec;
import com.rackflow.local.stack.template.TableSpec;
import com.rackflow.local.stepfunctions.ExecutionStatusChange;
import com.rackflow.local.s3.LocalS3;
import com.rackflow.local.stack.template.BucketSpec;
import com.rackflow.local.stack.template.TemplateEvaluator;
import com.sun.net.httpserver.HttpServer;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The whole application from template.yaml on this machine: dynalite with the template's tables, the staff directory
 * and demo customers, the local identity provider, the functions (each in JVMs of its own, as Lambda runs them) and
 * the REST API in front of them.
 */
public final class LocalStack implements AutoCloseable {
    static {
        // TCP_NODELAY for all the stack's servers (gateway, Runtime API, credentials, console): see DynamoFront
        System.getProperties().putIfAbsent("sun.net.httpserver.nodelay", "true");
    }


    /** The directory table: the template's table holding the staff directory (docs/keys.md). */
    public static final String DIRECTORY_TABLE = "RackFlowTable";

    private static final JsonLog LOG = JsonLog.of("stack");

    /**
     * @param port the API and identity provider port (0: any free port); the DynamoDB endpoint uses the next one and Step
     *             Functions the one after (any free ones when 0)
     * @param dataDir null keeps everything in memory; otherwise dynalite's data, the transaction journal and the signing key live there
     * @param demoData seed the demo directory and customers
     */
    /**
     * @param timeScale the Step Functions clock: 1.0 real time; 0.001 makes an hour's wait or deadline pass in 3.6 s
     * @param maxInstancesPerFunction how many execution environments (JVMs) one function may scale out to
     * @param snapStart false: every function on demand (no SnapStart hooks), see {@link LocalLambda.Settings}
     */
    public record Options(Path templateFile, int port, Path dataDir, boolean demoData, double timeScale,
                          int maxInstancesPerFunction, boolean snapStart) {
        public Options(Path templateFile, int port, Path dataDir, boolean demoData) {
            this(templateFile, port, dataDir, demoData, 1.0);
        }

        public Options(Path templateFile, int port, Path dataDir, boolean demoData, double timeScale) {
            this(templateFile, port, dataDir, demoData, timeScale, LocalStackArguments.DEFAULT_MAX_INSTANCES, true);
        }

        /** The same stack with every function on demand. */
        public Options onDemand() {
            return new Options(templateFile, port, dataDir, demoData, timeScale, maxInstancesPerFunction, false);
        }
    }

    private final Options options;
    private final long startedNanos = System.nanoTime();
    private final AtomicLong firstRequestNanos = new AtomicLong();
    private long servingNanos;
    private HttpServer server;
    private int port;
    private ExecutorService serverThreads;
    private volatile Dynalite dynalite;
    private DynamoFront dynamoFront;
    private DynamoDbClient dynamo;
    private SamApplication application;
    private LocalLambda lambda;
    private LambdaInvokeApi invokeApi;
    private LocalIdentityProvider identityProvider;
    private StateMachineHost stateMachines;
    private LocalS3 s3;
    private LocalEventBridge eventBridge;
    private DemoStaff demoStaff;
    private CustomerSeeder.Outcome customerSeed;
    private InventorySeeder.Outcome inventorySeed;
    private Duration readyAfter;
    private ConsoleHost console;
    private Path workDir;
    private boolean ownWorkDir;
    private LocalStackArguments.DataFolderLock dataFolderLock;
    private volatile boolean closing;
    private final PartsSupervisor supervisor = new PartsSupervisor(() -> closing);

    private LocalStack(Options options) {
        this.options = options;
    }

    /** Starts everything, or fails with a plain message and leaves nothing running. */
    public static LocalStack start(Options options) {
        LocalStack stack = new LocalStack(options);
        try {
            stack.startAll();
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private void startAll() {
        int dynamoPort = options.port() == 0 ? 0 : options.port() + 1;
        int sfnPort = options.port() == 0 ? 0 : options.port() + 2;
        if (options.port() != 0) {
            Dynalite.assertPortFree(options.port());
            Dynalite.assertPortFree(dynamoPort);
            Dynalite.assertPortFree(sfnPort);
            Dynalite.assertPortFree(options.port() + 3);
            Dynalite.assertPortFree(options.port() + 4);
        }
        server = bind(options.port());
        serverThreads = Executors.newFixedThreadPool(64, runnable -> {
            Thread t = new Thread(runnable, "http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(serverThreads);
        port = server.getAddress().getPort();
        if (options.dataDir() != null) {
            dataFolderLock = LocalStackArguments.DataFolderLock.take(options.dataDir(), port);
        }
        String origin = "http://127.0.0.1:" + port;

        // everything reaches DynamoDB through the front (it adds transactions); dynalite sits behind it on any free port
        int frontPort = dynamoPort == 0 ? Dynalite.freePort() : dynamoPort;
        int dynalitePort = Dynalite.freePort();
        Path dynaliteData = options.dataDir() == null ? null : options.dataDir().resolve("dynalite");
        CompletableFuture<Dynalite> dynaliteStarting = CompletableFuture.supplyAsync(() -> Dynalite.start(dynalitePort, dynaliteData));
        CompletableFuture<RSAKey> signingKeyReady = CompletableFuture.supplyAsync(() -> LocalIdentityProvider.signingKey(options.dataDir()));
        Map<String, Long> phases = new LinkedHashMap<>();
        try {
            Map<String, Object> template = CloudFormationYaml.read(options.templateFile());
            application = SamApplication.of(options.templateFile(), template, localIdentityOverrides(template, origin));
            URI dynamoEndpoint = URI.create("http://127.0.0.1:" + frontPort);
            dynamo = LocalDynamoDb.client(dynamoEndpoint);
            workDir = workDir();
            phases.put("template", elapsedMs());

            dynalite = dynaliteStarting.join();
            dynamoFront = DynamoFront.start(dynalite.endpoint(), frontPort,
                    options.dataDir() == null ? null : options.dataDir().resolve("dynamodb-journal"));
            phases.put("dynalite", elapsedMs());
            TableProvisioner tables = new TableProvisioner(dynamo);
            boolean directoryTableIsNew = false;
            for (TableSpec table : application.tables()) {
                boolean created = tables.provision(table);
                directoryTableIsNew |= created && table.logicalId().equals(DIRECTORY_TABLE);
            }
            StaffDirectoryTable directory = directoryTable();
            if (options.demoData() && directory != null) {
                demoStaff = DemoStaff.load();
                directory.seed(demoStaff, directoryTableIsNew, Instant.now());
            }
            phases.put("tablesAndDirectory", elapsedMs());
            identityProvider = new LocalIdentityProvider(signingKeyReady.join(), origin,
                    userId -> directory == null ? Optional.empty() : directory.member(userId),
                    () -> demoStaff == null ? java.util.List.of() : demoStaff.users(), Clock.systemUTC());

            lambda = new LocalLambda(application, new LocalLambda.Settings(workDir, options.maxInstancesPerFunction(),
                    Map.of("AWS_ENDPOINT_URL_DYNAMODB", dynamoEndpoint.toString()), options.snapStart()));
            invokeApi = new LambdaInvokeApi(lambda::invoke, this::invokeTarget, options.timeScale());
            lambda.endpoint("AWS_ENDPOINT_URL_LAMBDA", origin);
            stateMachines = startStateMachines(sfnPort);
            eventBridge = new LocalEventBridge(application, lambda);
            stateMachines.onExecutionStatusChange(change -> eventBridge.putEvent(LocalEventBridge.awsEvent(
                    ExecutionStatusChange.SOURCE, ExecutionStatusChange.DETAIL_TYPE, change.resources(), change.detail(),
                    change.time())));
            lambda.endpoint("AWS_ENDPOINT_URL_SFN", stateMachines.endpoint().toString());
            phases.put("stateMachines", elapsedMs());
            // the web console on its own origin (API port + 3), when web/dist is built; before S3, whose CORS names it
            console = ConsoleHost.startIfBuilt(options.templateFile().toAbsolutePath().getParent().resolve("web/dist"),
                    options.port() == 0 ? 0 : options.port() + 3, ConsoleHost.configuration(apiBaseUrl(), identityProvider))
                    .orElse(null);
            s3 = startS3(options.port() == 0 ? 0 : options.port() + 4);
            lambda.endpoint("AWS_ENDPOINT_URL_S3", s3.endpoint().toString());

            RestApiGateway gateway = new RestApiGateway(application, lambda::invoke, Clock.systemUTC());
            gateway.onFirstRequestServed(() -> firstRequestNanos.compareAndSet(0, System.nanoTime()));
            server.createContext("/", supervisor.guard(gateway));
            server.createContext(LocalIdentityProvider.BASE_PATH, supervisor.guard(identityProvider));
            server.createContext(LambdaInvokeApi.PATH, invokeApi);
            ApiReference reference = new ApiReference(options.templateFile().toAbsolutePath().getParent(), origin);
            server.createContext(ApiReference.DOCUMENT_PATH, reference);
            server.createContext(ApiReference.UI_PATH, reference);
            supervisor.watch(dynalitePart(dynalitePort, dynaliteData));
            server.start();
            servingNanos = System.nanoTime();
            phases.put("serving", elapsedMs());

            if (options.demoData() && directory != null) {
                customerSeed = new CustomerSeeder().seed(apiBaseUrl(), user -> identityProvider.issue(user).accessToken(),
                        DemoCustomers.load());
                phases.put("demoCustomers", elapsedMs());
                Path inventory = options.templateFile().toAbsolutePath().getParent().resolve("events/inventory/demo-inventory.json");
                if (Files.exists(inventory)) {
                    inventorySeed = new InventorySeeder().seed(apiBaseUrl(), identityProvider.issue("admin").accessToken(), inventory);
                    phases.put("demoInventory", elapsedMs());
                }
            }
            eventBridge.startSchedules();
            readyAfter = Duration.ofNanos(System.nanoTime() - startedNanos);
            LOG.info("local stack ready", "api", apiBaseUrl().toString(), "readyMs", readyAfter.toMillis(),
                    "firstRequestMs", firstRequestServedAfter().map(Duration::toMillis).orElse(null), "phasesMs", phases);
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        } finally {
            if (dynalite == null) {
                dynaliteStarting.thenAccept(Dynalite::close);
            }
        }
    }

    /** dynalite as a supervised part: restarted on its port with its data folder; in memory, its tables are made again. */
    private PartsSupervisor.Part dynalitePart(int dynalitePort, Path dynaliteData) {
        return new PartsSupervisor.Part() {
            @Override
            public String name() {
                return "dynalite (the local DynamoDB)";
            }

            @Override
            public boolean alive() {
                return dynalite.isAlive();
            }

            @Override
            public String restart() {
                dynalite.close();
                dynalite = Dynalite.start(dynalitePort, dynaliteData);
                if (dynaliteData != null) {
                    return null;
                }
                TableProvisioner tables = new TableProvisioner(dynamo);
                application.tables().forEach(tables::provision);
                return "the in-memory data (start with --persist to keep it); empty tables were created again";
            }
        };
    }

    private long elapsedMs() {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    /**
     * {@code sam deploy --parameter-overrides} for the local identity provider: the authorizer then trusts its tokens
     * (and the template's {@code UseCognito} condition is false).
     */
    private static Map<String, String> localIdentityOverrides(Map<String, Object> template, String origin) {
        Map<String, String> overrides = new LinkedHashMap<>();
        if (!(template.get("Parameters") instanceof Map<?, ?> parameters)) {
            return overrides;
        }
        if (parameters.containsKey("JwtIssuer")) {
            overrides.put("JwtIssuer", origin + LocalIdentityProvider.BASE_PATH);
        }
        if (parameters.containsKey("JwtAudience")) {
            overrides.put("JwtAudience", LocalIdentityProvider.AUDIENCE);
        }
        if (parameters.containsKey("JwksUrl")) {
            overrides.put("JwksUrl", origin + LocalIdentityProvider.BASE_PATH + "/.well-known/jwks.json");
        }
        return overrides;
    }

    /**
     * The template's state machines in the local Step Functions engine, whose Lambda tasks invoke this stack's
     * functions; the functions reach it through {@code AWS_ENDPOINT_URL_SFN}.
     */
    private StateMachineHost startStateMachines(int sfnPort) {
        StateMachineHost host = EmbeddedStepFunctions.start(sfnPort,
                options.dataDir() == null ? null : options.dataDir().resolve("stepfunctions"), lambda, dynamoFront.endpoint(),
                options.timeScale());
        for (StateMachineSpec machine : application.stateMachines()) {
            host.register(machine);
        }
        return host;
    }

    /**
     * The template's buckets in the local S3 endpoint (objects in the data folder, so they survive a restart), reached by
     * the functions through {@code AWS_ENDPOINT_URL_S3}; requests are signed with the local credentials every function
     * gets. A CORS origin naming a CloudFront distribution's domain stands for the local console's origin (API port + 3).
     */
    private LocalS3 startS3(int s3Port) {
        LocalS3 started = LocalS3.start(s3Port, workDir.resolve("s3"),
                accessKey -> com.rackflow.local.stack.lambda.LocalLambda.ACCESS_KEY_ID.equals(accessKey)
                        ? com.rackflow.local.stack.lambda.LocalLambda.SECRET_ACCESS_KEY : null);
        String console = consoleUrl().map(u -> u.getScheme() + "://" + u.getAuthority())
                .orElse("http://127.0.0.1:" + (options.port() == 0 ? port + 3 : options.port() + 3));
        for (BucketSpec b : application.buckets()) {
            java.util.List<LocalS3.CorsRule> cors = b.corsRules().stream().map(c -> new LocalS3.CorsRule(
                    c.allowedOrigins().stream().map(o -> o.endsWith(TemplateEvaluator.CLOUDFRONT_LOCAL_SUFFIX) ? console : o).toList(),
                    c.allowedMethods(), c.allowedHeaders(), c.exposedHeaders(), c.maxAge())).toList();
            started.createBucket(new LocalS3.Bucket(b.bucketName(), cors,
                    b.expirations().stream().map(e -> new LocalS3.Expiration(e.prefix(), e.days())).toList()));
        }
        return started;
    }

    /** The local S3 endpoint of the template's buckets. */
    public Optional<URI> s3Endpoint() {
        return Optional.ofNullable(s3).map(LocalS3::endpoint);
    }

    /** The template's function an Invoke names (name or ARN, qualified or not), with its asynchronous retry count. */
    private LambdaInvokeApi.Target invokeTarget(String function) {
        String name = function.startsWith("arn:") ? function.split(":")[6] : function.split(":")[0];
        return application.functions().stream().filter(f -> f.functionName().equals(name)).findFirst()
                .map(f -> new LambdaInvokeApi.Target(f.functionName(), maximumRetryAttempts(f.logicalId()))).orElse(null);
    }

    private int maximumRetryAttempts(String logicalId) {
        Object config = application.evaluator().property(logicalId, "EventInvokeConfig");
        if (config instanceof Map<?, ?> c && c.get("MaximumRetryAttempts") != null) {
            return Integer.parseInt(String.valueOf(c.get("MaximumRetryAttempts")));
        }
        return 2;
    }

    private StaffDirectoryTable directoryTable() {
        return application.tables().stream().filter(t -> t.logicalId().equals(DIRECTORY_TABLE)).findFirst()
                .map(t -> new StaffDirectoryTable(dynamo, t.tableName())).orElse(null);
    }

    /** The data folder with --persist; otherwise a temporary folder removed when the stack stops. */
    private Path workDir() {
        try {
            if (options.dataDir() != null) {
                return Files.createDirectories(options.dataDir());
            }
            ownWorkDir = true;
            return Files.createTempDirectory("rackflow-stack-");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the stack's data folder: " + e.getMessage(), e);
        }
    }

    /** Where the functions' log files ({@code <function name>.log}) are. */
    public Path functionLogs() {
        return workDir.resolve("logs");
    }

    private static HttpServer bind(int port) {
        try {
            return HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        } catch (BindException e) {
            throw new IllegalStateException("port " + port + " is already in use; stop what uses it or choose another port with --port");
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on port " + port + ": " + e.getMessage(), e);
        }
    }

    public URI apiBaseUrl() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** The web console's origin; empty when web/dist is not built. */
    public Optional<URI> consoleUrl() {
        return Optional.ofNullable(console).map(ConsoleHost::url);
    }

    public URI dynamoEndpoint() {
        return dynamoFront.endpoint();
    }

    public Optional<URI> stateMachinesEndpoint() {
        return stateMachines == null ? Optional.empty() : Optional.of(stateMachines.endpoint());
    }

    public LocalIdentityProvider identityProvider() {
        return identityProvider;
    }

    public SamApplication application() {
        return application;
    }

    /** The event bus and scheduler of the template's EventBridge rules. */
    public LocalEventBridge eventBridge() {
        return eventBridge;
    }

    public LocalLambda lambda() {
        return lambda;
    }

    /** The demo directory seeded, or empty without demo data. */
    public Optional<DemoStaff> demoStaff() {
        return Optional.ofNullable(demoStaff);
    }

    public Optional<InventorySeeder.Outcome> inventorySeed() {
        return Optional.ofNullable(inventorySeed);
    }

    public Optional<CustomerSeeder.Outcome> customerSeed() {
        return Optional.ofNullable(customerSeed);
    }

    /** From the start of {@link #start} until everything was up and seeded. */
    public Duration readyAfter() {
        return readyAfter;
    }

    /** From the start of {@link #start} until the API and identity provider accepted requests. */
    public Duration servingAfter() {
        return Duration.ofNanos(servingNanos - startedNanos);
    }

    /**
     * From the start of {@link #start} until the gateway answered its first request (with demo data: the first demo
     * customer, cold starts of the authorizer and customer functions included); empty before that.
     */
    public Optional<Duration> firstRequestServedAfter() {
        long at = firstRequestNanos.get();
        return at == 0 ? Optional.empty() : Optional.of(Duration.ofNanos(at - startedNanos));
    }

    public Dynalite dynalite() {
        return dynalite;
    }

    @Override
    public synchronized void close() {
        closing = true;
        supervisor.close();
        if (server != null) {
            server.stop(0);
            server = null;
        }
        if (serverThreads != null) {
            serverThreads.shutdownNow();
        }
        if (eventBridge != null) {
            eventBridge.close();
        }
        if (console != null) {
            console.close();
        }
        if (stateMachines != null) {
            stateMachines.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (invokeApi != null) {
            invokeApi.close();
        }
        if (lambda != null) {
            lambda.close();
        }
        if (dynamo != null) {
            dynamo.close();
        }
        if (dynamoFront != null) {
            dynamoFront.close();
        }
        if (dynalite != null) {
            dynalite.close();
        }
        if (ownWorkDir && workDir != null) {
            deleteTree(workDir);
        }
        if (dataFolderLock != null) {
            dataFolderLock.close();
            dataFolderLock = null;
        }
    }

    private static void deleteTree(Path root) {
        try (var walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("temporary folder not removed", "folder", root.toString());
        }
    }
}
