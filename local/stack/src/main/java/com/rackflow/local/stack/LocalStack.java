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
import com.rackflow.local.stack.gateway.RestApiGateway;
import com.rackflow.local.stack.idp.LocalIdentityProvider;
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
import com.sun.net.httpserver.HttpServer;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The whole application from template.yaml on this machine: dynalite with the template's tables, the staff directory
 * and demo customers, the local identity provider, the functions in-process and the REST API in front of them.
 */
public final class LocalStack implements AutoCloseable {

    /** The directory table: the template's table holding the staff directory (docs/keys.md). */
    public static final String DIRECTORY_TABLE = "RackFlowTable";

    private static final JsonLog LOG = JsonLog.of("stack");

    /**
     * @param port the API and identity provider port (0: any free port); dynalite uses the next one and Step
     *             Functions the one after (any free ones when 0)
     * @param dataDir null keeps everything in memory; otherwise dynalite's data and the signing key live there
     * @param demoData seed the demo directory and customers
     */
    /** @param timeScale the Step Functions clock: 1.0 real time; 0.001 makes an hour's wait or deadline pass in 3.6 s */
    public record Options(Path templateFile, int port, Path dataDir, boolean demoData, double timeScale) {
        public Options(Path templateFile, int port, Path dataDir, boolean demoData) {
            this(templateFile, port, dataDir, demoData, 1.0);
        }
    }

    private final Options options;
    private final long startedNanos = System.nanoTime();
    private final AtomicLong firstRequestNanos = new AtomicLong();
    private long servingNanos;
    private HttpServer server;
    private int port;
    private ExecutorService serverThreads;
    private Dynalite dynalite;
    private DynamoDbClient dynamo;
    private SamApplication application;
    private LocalLambda lambda;
    private LocalIdentityProvider identityProvider;
    private StateMachineHost stateMachines;
    private LocalEventBridge eventBridge;
    private DemoStaff demoStaff;
    private CustomerSeeder.Outcome customerSeed;
    private InventorySeeder.Outcome inventorySeed;
    private Duration readyAfter;

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
        }
        server = bind(options.port());
        serverThreads = Executors.newFixedThreadPool(64, runnable -> {
            Thread t = new Thread(runnable, "http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(serverThreads);
        port = server.getAddress().getPort();
        String origin = "http://127.0.0.1:" + port;

        int dynalitePort = dynamoPort == 0 ? Dynalite.freePort() : dynamoPort;
        Path dynaliteData = options.dataDir() == null ? null : options.dataDir().resolve("dynalite");
        CompletableFuture<Dynalite> dynaliteStarting = CompletableFuture.supplyAsync(() -> Dynalite.start(dynalitePort, dynaliteData));
        CompletableFuture<RSAKey> signingKeyReady = CompletableFuture.supplyAsync(() -> LocalIdentityProvider.signingKey(options.dataDir()));
        Map<String, Long> phases = new LinkedHashMap<>();
        try {
            Map<String, Object> template = CloudFormationYaml.read(options.templateFile());
            application = SamApplication.of(options.templateFile(), template, localIdentityOverrides(template, origin));
            Map<String, String> environment = application.sharedEnvironment();
            URI dynamoEndpoint = URI.create("http://127.0.0.1:" + dynalitePort);
            dynamo = LocalDynamoDb.client(dynamoEndpoint);
            configureFunctionEnvironment(environment, dynamoEndpoint);
            phases.put("template", elapsedMs());

            dynalite = dynaliteStarting.join();
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
                    userId -> directory == null ? Optional.empty() : directory.status(userId), Clock.systemUTC());

            lambda = LocalLambda.isolated(application);
            stateMachines = startStateMachines(sfnPort);
            eventBridge = new LocalEventBridge(application, lambda);
            stateMachines.onExecutionStatusChange(change -> eventBridge.putEvent(LocalEventBridge.awsEvent(
                    ExecutionStatusChange.SOURCE, ExecutionStatusChange.DETAIL_TYPE, change.resources(), change.detail(),
                    change.time())));
            System.setProperty("AWS_ENDPOINT_URL_SFN", stateMachines.endpoint().toString());
            System.setProperty("aws.endpointUrlSfn", stateMachines.endpoint().toString());
            phases.put("stateMachines", elapsedMs());

            RestApiGateway gateway = new RestApiGateway(application, lambda::invoke, Clock.systemUTC());
            gateway.onFirstRequestServed(() -> firstRequestNanos.compareAndSet(0, System.nanoTime()));
            server.createContext("/", gateway);
            server.createContext(LocalIdentityProvider.BASE_PATH, identityProvider);
            server.start();
            servingNanos = System.nanoTime();
            phases.put("serving", elapsedMs());
            CompletableFuture<Void> functionsWarm = lambda.warmUpInBackground();

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
            functionsWarm.join();
            phases.put("functionsWarm", elapsedMs());
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
                options.dataDir() == null ? null : options.dataDir().resolve("stepfunctions"), lambda, dynalite.endpoint(),
                options.timeScale());
        for (StateMachineSpec machine : application.stateMachines()) {
            host.register(machine);
        }
        return host;
    }

    private StaffDirectoryTable directoryTable() {
        return application.tables().stream().filter(t -> t.logicalId().equals(DIRECTORY_TABLE)).findFirst()
                .map(t -> new StaffDirectoryTable(dynamo, t.tableName())).orElse(null);
    }

    /**
     * The functions read configuration from the environment or, in-process, from system properties of the same
     * names; the AWS SDK reads region, credentials and the DynamoDB endpoint from its own system properties.
     */
    private static void configureFunctionEnvironment(Map<String, String> environment, URI dynamoEndpoint) {
        environment.forEach(System::setProperty);
        System.setProperty("AWS_REGION", "us-east-1");
        System.setProperty("aws.region", "us-east-1");
        System.setProperty("aws.accessKeyId", LocalDynamoDb.ACCESS_KEY_ID);
        System.setProperty("aws.secretAccessKey", LocalDynamoDb.SECRET_ACCESS_KEY);
        System.setProperty("AWS_ENDPOINT_URL_DYNAMODB", dynamoEndpoint.toString());
        System.setProperty("aws.endpointUrlDynamodb", dynamoEndpoint.toString());
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

    public URI dynamoEndpoint() {
        return dynalite.endpoint();
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
        if (stateMachines != null) {
            stateMachines.close();
        }
        if (lambda != null) {
            lambda.close();
        }
        if (dynamo != null) {
            dynamo.close();
        }
        if (dynalite != null) {
            dynalite.close();
        }
    }
}
