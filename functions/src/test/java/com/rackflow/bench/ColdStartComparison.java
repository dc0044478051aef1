package com.rackflow.bench;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.rackflow.core.persistence.Table;
import com.rackflow.customers.Contact;
import com.rackflow.customers.Customer;
import com.rackflow.customers.CustomerDetails;
import com.rackflow.customers.CustomerService;
import com.rackflow.customers.CustomerSource;
import com.rackflow.local.dynamodb.DynamoFront;
import com.rackflow.testing.LocalTable;
import com.rackflow.testing.Staff;
import com.sun.net.httpserver.HttpServer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Fresh-JVM cold starts side by side in one run: a hello-world JVM, the plain-Java peer's GET /products/{id}
 * (aws-samples serverless-java-frameworks-samples, dagger/: built by bench/coldstart.sh outside this repository) and
 * every handler of {@link HandlerBenchmark#CASES}, alternating whole JVMs round after round, all with the flags of
 * Lambda's java21 runtime at 1024 MB and each function on its own deployable class path (classes + runtime jars, as
 * `sam build` lays them out), against the same local DynamoDB. Then per handler one JVM through SnapStart's lifecycle
 * (beforeCheckpoint hooks) for the first request after priming and the warm p50. Figures, not assertions.
 * <p>
 * Args: {@code runs (0: the primed figures only) [--only name,...] [--xray] [--no-primed]}; system properties {@code bench.peer.classpath},
 * {@code bench.functions.classpath}, {@code bench.harness} (the folder holding {@link ColdStart}).
 */
public final class ColdStartComparison {
    static final List<String> JVM_FLAGS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-Xshare:auto", "-Xmx870m", "-Djava.net.preferIPv4Stack=true", "-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac");

    record Subject(String name, String classPath, String handler, byte[] event, Map<String, String> env) {
    }

    public static void main(String[] args) throws Exception {
        try {
            run(args);
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    static void run(String[] args) throws Exception {
        int runs = Integer.parseInt(args[0]);
        List<String> only = List.of();
        boolean xray = false;
        boolean primed = true;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--only" -> only = List.of(args[++i].split(","));
                case "--xray" -> xray = true;
                case "--no-primed" -> primed = false;
                default -> throw new IllegalArgumentException(args[i]);
            }
        }
        String harness = System.getProperty("bench.harness");
        String ours = System.getProperty("bench.functions.classpath") + File.pathSeparator + harness;
        String peer = System.getProperty("bench.peer.classpath");

        DynamoFront db = DynamoFront.shared();
        Table table = LocalTable.create();
        Staff.seed(table);
        DynamoDbClient client = LocalTable.client();
        client.createTable(b -> b.tableName("products").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("PK").attributeType("S").build())
                .keySchema(KeySchemaElement.builder().attributeName("PK").keyType("HASH").build()));
        client.putItem(b -> b.tableName("products").item(Map.of("PK", AttributeValue.fromS("p-1"),
                "name", AttributeValue.fromS("Bench product"), "price", AttributeValue.fromN("42.50"))));
        RSAKey key = new RSAKeyGenerator(2048).keyID("bench").generate();
        HttpServer jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] jwksBody = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        jwks.createContext("/jwks.json", ex -> {
            ex.sendResponseHeaders(200, jwksBody.length);
            ex.getResponseBody().write(jwksBody);
            ex.close();
        });
        jwks.start();
        Map<String, String> env = new TreeMap<>(Map.of("TABLE_NAME", table.name(), "AWS_ENDPOINT_URL_DYNAMODB", db.endpoint().toString(),
                "AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "local", "AWS_SECRET_ACCESS_KEY", "local",
                "JWT_ISSUER", "https://bench.rackflow/", "JWT_AUDIENCE", "bench",
                "JWKS_URL", "http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks.json",
                "CURSOR_KEY", "benchmark-cursor-key-0123456789abcdef0123456789"));
        env.put("REPORT_JOB_FUNCTION", "arn:aws:lambda:us-east-1:123456789012:function:rackflow-report-job:live");
        env.put("AWS_XRAY_CONTEXT_MISSING", "IGNORE_ERROR");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024");
        Customer sample = new CustomerService(table).create(Staff.EAST_SALES_1, new CustomerDetails("冷启动基准客户有限公司", null,
                List.of(new Contact("联系人", null, "13900000001", null, true)), "east", CustomerSource.OTHER, null), Optional.empty());
        String token = HandlerBenchmark.token(key);

        List<Subject> subjects = new ArrayList<>();
        subjects.add(new Subject("hello-world JVM", harness, "hello", new byte[0], env));
        if (peer != null) {
            Map<String, String> peerEnv = new TreeMap<>(env);
            peerEnv.put("PRODUCT_TABLE_NAME", "products");
            subjects.add(new Subject("peer GET /products/{id}", peer + File.pathSeparator + harness,
                    "software.amazonaws.example.product.handler.GetProductByIdHandler", peerEvent(), peerEnv));
        }
        for (HandlerBenchmark.Case c : HandlerBenchmark.CASES) {
            if (c.writes() && !c.name().startsWith("POST") || c.name().contains("duplicate")) {
                continue;
            }
            if (!only.isEmpty() && !only.contains(c.name())) {
                continue;
            }
            subjects.add(new Subject(c.name(), ours, c.handlerClass(), HandlerBenchmark.event(c, sample, token, -1), env));
            if (System.getProperty("bench.lean.classpath") != null && c.name().equals("GET /customers/{id}")) {
                // the same function without the jars it never loads (Apache POI and its dependencies, the X-Ray SDK):
                // what a per-function artifact would give it
                subjects.add(new Subject(c.name() + " without POI/X-Ray jars", System.getProperty("bench.lean.classpath")
                        + File.pathSeparator + harness, c.handlerClass(), HandlerBenchmark.event(c, sample, token, -1), env));
            }
            if (System.getProperty("bench.test.classpath") != null && c.name().equals("GET /customers/{id}")) {
                // the previous bench's way: the whole test class path (test jars, local endpoints) in the function's JVM
                subjects.add(new Subject(c.name() + " on the test class path", System.getProperty("bench.test.classpath")
                        + File.pathSeparator + harness, c.handlerClass(), HandlerBenchmark.event(c, sample, token, -1), env));
            }
            if (xray && c.name().equals("GET /customers/{id}")) {
                Map<String, String> traced = new TreeMap<>(env);
                traced.put("AWS_XRAY_DAEMON_ADDRESS", "127.0.0.1:2000");
                // as Lambda sets them: the X-Ray SDK then takes the invocation's segment from the trace header
                traced.put("LAMBDA_TASK_ROOT", "/var/task");
                traced.put("_X_AMZN_TRACE_ID", "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1");
                subjects.add(new Subject(c.name() + " traced (X-Ray)", ours, c.handlerClass(),
                        HandlerBenchmark.event(c, sample, token, -1), traced));
            }
        }
        System.out.printf("cold starts: %d rounds of %d fresh JVMs (flags %s); load average at start %.2f%n", runs,
                subjects.size(), String.join(" ", JVM_FLAGS), load());
        Map<String, List<Long>> cold = new LinkedHashMap<>();
        Map<String, List<Long>> init = new LinkedHashMap<>();
        Map<String, Long> classes = new LinkedHashMap<>();
        for (int r = 0; r < runs; r++) {
            // alternate: each round starts one further along the list, so no subject always follows the same one
            for (int k = 0; k < subjects.size(); k++) {
                Subject s = subjects.get((k + r) % subjects.size());
                Map<String, String> figures = launch(s, false, 0);
                cold.computeIfAbsent(s.name(), n -> new ArrayList<>()).add(Long.parseLong(figures.get("COLD_START_MS")));
                if (figures.containsKey("CLASSES_MS")) {
                    classes.put(s.name(), Long.parseLong(figures.get("CLASSES_MS")));
                }
                if (figures.containsKey("INIT_MS")) {
                    init.computeIfAbsent(s.name(), n -> new ArrayList<>()).add(Long.parseLong(figures.get("INIT_MS")));
                }
            }
            System.out.printf("  round %d done, load average %.2f; medians so far:", r + 1, load());
            cold.forEach((name, v) -> System.out.printf(" %s %.0f;", name, median(v)));
            System.out.println();
        }
        if (runs == 0) {
            subjects.forEach(s -> cold.put(s.name(), List.of(0L)));
        }
        double hello = median(cold.get("hello-world JVM"));
        Double peerMedian = peer == null ? null : median(cold.get("peer GET /products/{id}"));
        System.out.printf("%n%-40s %9s %9s %9s %9s %8s %8s %8s%n", "fresh JVM", "cold p50", "min", "max", "init p50", "/peer", "/hello", "classes");
        for (Subject s : subjects) {
            List<Long> v = cold.get(s.name());
            System.out.printf("%-40s %9.0f %9d %9d %9s %8s %8.2f %8s%n", s.name(), median(v), v.stream().min(Long::compare).get(),
                    v.stream().max(Long::compare).get(), init.containsKey(s.name()) ? String.format("%.0f", median(init.get(s.name()))) : "-",
                    peerMedian == null ? "-" : String.format("%.2f", median(v) / peerMedian), median(v) / hello,
                    classes.getOrDefault(s.name(), 0L));
        }
        if (!primed) {
            return;
        }
        System.out.printf("%nafter SnapStart's lifecycle (beforeCheckpoint hooks run, then the first real request; %d warm invokes), load %.2f%n",
                WARM_INVOKES, load());
        System.out.printf("%-44s %11s %9s %9s %8s %12s%n", "function", "first (ms)", "p50 (ms)", "p99 (ms)", "first/p50", "priming (ms)");
        Map<String, double[]> primedFigures = new LinkedHashMap<>();
        for (Subject s : subjects) {
            if (s.handler().equals("hello")) {
                continue;
            }
            Map<String, String> f = launch(s, true, WARM_INVOKES);
            double[] v = {Double.parseDouble(f.get("FIRST_AFTER_PRIMING_MS")), Double.parseDouble(f.get("WARM_P50_MS")),
                    Double.parseDouble(f.get("WARM_P99_MS"))};
            primedFigures.put(s.name(), v);
            // the hooks' time: what priming costs at every local function start and in the snapshot's creation
            long priming = Long.parseLong(f.get("PRIMED_AT_MS")) - Long.parseLong(f.get("INIT_MS"));
            System.out.printf("%-44s %11.2f %9.2f %9.2f %8.2f %12d%n", s.name(), v[0], v[1], v[2], v[0] / v[1], priming);
        }
        System.out.println("(the peer registers no priming hook; a write route's first request after priming creates a record)");
        double[] peerWarm = primedFigures.get("peer GET /products/{id}");
        if (peerWarm != null) {
            System.out.printf("%nwarm p99 against the peer's GET p99 (%.2f ms), same run:%n", peerWarm[2]);
            for (String n : List.of("GET /customers/{id}", "authorizer (TOKEN)")) {
                double[] v = primedFigures.get(n);
                if (v != null) {
                    System.out.printf("  %-28s p99 %.2f ms = %.2f× the peer's: %s%n", n, v[2], v[2] / peerWarm[2],
                            v[2] <= peerWarm[2] ? "holds" : "MISSED by " + String.format("%.2f ms", v[2] - peerWarm[2]));
                }
            }
        }
        Map<String, String[]> capacity = System.getProperty("bench.capacity.invokes") == null ? Map.of() : capacity();
        System.out.printf("%nper function, one run (load average now %.2f):%n", load());
        System.out.printf("%-44s %9s %7s %11s %9s %9s %9s %11s %11s %s%n", "function / route", "cold p50", "/peer", "first (ms)",
                "first/p50", "p50 (ms)", "p99 (ms)", "RCU billed", "WCU billed", "independent count");
        for (Subject s : subjects) {
            if (s.handler().equals("hello")) {
                continue;
            }
            double[] v = primedFigures.get(s.name());
            String[] c = capacity.get(s.name());
            System.out.printf("%-44s %9.0f %7s %11.2f %9.2f %9.2f %9.2f %11s %11s %s%n", s.name(), median(cold.get(s.name())),
                    peerMedian == null ? "-" : String.format("%.2f", median(cold.get(s.name())) / peerMedian), v[0], v[0] / v[1], v[1], v[2],
                    c == null ? "-" : c[0], c == null ? "-" : c[1],
                    c == null ? "-" : c[4].equals("OK") ? "matches (" + c[2] + " + " + c[3] + ")" : "MISMATCH (" + c[2] + " + " + c[3] + ")");
        }
        for (Map.Entry<String, String[]> e : capacity.entrySet()) {
            if (primedFigures.containsKey(e.getKey())) {
                continue;
            }
            String[] c = e.getValue();
            System.out.printf("%-44s %9s %7s %11s %9s %9s %9s %11s %11s %s%n", e.getKey(), "", "", "", "", "", "", c[0], c[1],
                    c[4].equals("OK") ? "matches (" + c[2] + " + " + c[3] + ")" : "MISMATCH (" + c[2] + " + " + c[3] + ")");
        }
        System.out.println("(cold p50: median of the fresh JVMs above; first / p50 / p99: one JVM after SnapStart's hooks; RCU / WCU "
                + "billed: per request, by the local DynamoDB as DynamoDB bills, in bench/handlers.sh's capacity pass; independent "
                + "count: the benchmark's own, read + write)");
        jwks.stop(0);
        if (capacity.values().stream().anyMatch(c -> !c[4].equals("OK"))) {
            System.out.println("MISMATCH: billed and independent capacity differ (see above)");
            System.exit(3);
        }
    }

    static final int WARM_INVOKES = Integer.getInteger("bench.warmInvokes", 300);

    /**
     * The capacity columns from bench/handlers.sh's capacity pass (its own JVM and table: billed and independent units
     * per request), by route: billed RCU, billed WCU, independent RCU, independent WCU, OK / MISMATCH.
     */
    static Map<String, String[]> capacity() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(System.getProperty("java.home") + "/bin/java", "-Drackflow.root="
                + LocalTable.repositoryRoot(), "-cp", System.getProperty("java.class.path"), HandlerBenchmark.class.getName(),
                "--capacity", System.getProperty("bench.capacity.invokes")));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Map<String, String[]> out = new LinkedHashMap<>();
        for (String line : new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("CAPACITY|")) {
                String[] f = line.split("\\|");
                out.put(f[1], new String[] {f[2], f[3], f[4], f[5], f[7]});
            } else if (line.startsWith("MISMATCH") || line.contains("Exception")) {
                System.out.println("  capacity pass: " + line);
            }
        }
        p.waitFor();
        return out;
    }

    static byte[] peerEvent() {
        String e = "{\"resource\":\"/products/{id}\",\"path\":\"/products/p-1\",\"httpMethod\":\"GET\",\"headers\":{},"
                + "\"pathParameters\":{\"id\":\"p-1\"},\"requestContext\":{\"requestId\":\"bench\",\"httpMethod\":\"GET\"},"
                + "\"isBase64Encoded\":false}";
        return e.getBytes(StandardCharsets.UTF_8);
    }

    static Map<String, String> launch(Subject s, boolean primed, int warm) throws Exception {
        File eventFile = File.createTempFile("event", ".json");
        Files.write(eventFile.toPath(), s.event());
        List<String> cmd = new ArrayList<>(List.of(System.getProperty("java.home") + "/bin/java"));
        cmd.addAll(JVM_FLAGS);
        String extra = System.getenv("BENCH_JVM_FLAGS");
        if (extra != null && !extra.isBlank()) {
            cmd.addAll(Arrays.asList(extra.trim().split("\\s+")));
        }
        cmd.addAll(List.of("-cp", s.classPath(), ColdStart.class.getName()));
        if (s.handler().equals("hello")) {
            cmd.add("hello");
        } else {
            if (primed) {
                cmd.add("--primed");
            }
            cmd.addAll(List.of(s.handler(), eventFile.getPath()));
            if (primed) {
                cmd.add(Integer.toString(warm));
            }
        }
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(s.env());
        builder.environment().put("PATH", System.getenv("PATH"));
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        eventFile.delete();
        Map<String, String> figures = new TreeMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && line.substring(0, eq).matches("[A-Z0-9_]+_MS")) {
                figures.put(line.substring(0, eq), line.substring(eq + 1).trim());
            }
        }
        if (!figures.containsKey(primed ? "WARM_P50_MS" : "COLD_START_MS")) {
            throw new IllegalStateException(s.name() + ": the run failed: " + out);
        }
        return figures;
    }

    static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    static double median(List<Long> v) {
        List<Long> sorted = v.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }
}
