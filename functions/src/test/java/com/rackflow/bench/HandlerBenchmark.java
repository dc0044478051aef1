package com.rackflow.bench;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.rackflow.access.Caller;
import com.rackflow.core.json.Json;
import com.rackflow.core.persistence.Table;
import com.rackflow.customers.Contact;
import com.rackflow.customers.Customer;
import com.rackflow.customers.CustomerDetails;
import com.rackflow.customers.CustomerService;
import com.rackflow.customers.CustomerSource;
import com.rackflow.local.dynamodb.DynamoFront;
import com.rackflow.testing.Events;
import com.rackflow.testing.LocalTable;
import com.rackflow.testing.Staff;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Prints, per handler and sample event: cold start in a fresh JVM (JVM start → handler built → first invoke
 * answered, against dynalite), warm p50/p99 over many invokes, and DynamoDB capacity units per invoke.
 * Run: bench/handlers.sh (not a test: figures, not assertions).
 */
public final class HandlerBenchmark {
    /** {@code asSample}: keep the sample event's caller (its role may open the module) instead of the east salesperson. */
    record Case(String name, String handlerClass, String event, boolean writes, boolean asSample) {
        Case(String name, String handlerClass, String event, boolean writes) {
            this(name, handlerClass, event, writes, false);
        }
    }

    static final List<Case> CASES = List.of(
            new Case("authorizer (TOKEN)", "com.rackflow.access.AuthorizerHandler", "authorizer/token.json", false),
            new Case("GET /customers/{id}", "com.rackflow.customers.CustomersHandler", "customers/get-customer.json", false),
            new Case("GET /customers", "com.rackflow.customers.CustomersHandler", "customers/list-customers.json", false),
            new Case("POST /customers", "com.rackflow.customers.CustomersHandler", "customers/create-customer.json", true),
            new Case("POST /customers (duplicate name: 409)", "com.rackflow.customers.CustomersHandler", "customers/create-customer.json", false),
            new Case("PATCH /customers/{id}", "com.rackflow.customers.CustomersHandler", "customers/change-customer.json", true),
            new Case("GET /customers/{id}/history", "com.rackflow.customers.CustomersHandler", "customers/customer-history.json", false),
            new Case("GET /activities", "com.rackflow.activities.ActivitiesHandler", "activities/list-activities.json", false, true),
            new Case("GET /contracts", "com.rackflow.contracts.ContractsHandler", "contracts/list-contracts.json", false, true),
            new Case("GET /service-records", "com.rackflow.servicerecords.ServiceRecordsHandler", "service-records/list-service-records.json", false, true),
            new Case("GET /pickers/signed-customers", "com.rackflow.pickers.PickersHandler", "pickers/signed-customers.json", false, true),
            new Case("GET /directory/departments", "com.rackflow.directory.DirectoryHandler", "directory/list-departments.json", false, true),
            new Case("GET /racks", "com.rackflow.inventory.InventoryHandler", "inventory/list-racks.json", false, true),
            new Case("GET /work-items", "com.rackflow.workitems.WorkItemsHandler", "work-items/list-work-items.json", false, true),
            new Case("GET /racking-flows/{id}", "com.rackflow.racking.RackingHandler", "racking/get-racking-flow.json", false, true),
            new Case("GET /terminations/{id}", "com.rackflow.terminations.TerminationsHandler", "terminations/get-termination.json", false, true),
            new Case("GET /reports/call-volume (a month)", "com.rackflow.reports.ReportsHandler", "reports/call-volume.json", false, true),
            new Case("GET /reports/jobs", "com.rackflow.reports.ReportsHandler", "reports/list-report-jobs.json", false, true),
            new Case("GET /staff-departures", "com.rackflow.staffdepartures.StaffDeparturesHandler", "staff-departures/list-staff-departures.json", false, true),
            new Case("GET /customer-imports/{id} (missing id: 404)", "com.rackflow.customerimports.CustomerImportsHandler", "customer-imports/get-import.json", false, true),
            new Case("GET /customer-exports/{id} (missing id: 404)", "com.rackflow.customerexports.CustomerExportsHandler", "customer-exports/get-export.json", false, true));

    /** Invokes per route for the capacity columns (writes make a fresh record each time). */
    static final int CAPACITY_INVOKES = Integer.getInteger("bench.capacityInvokes", 20);

    /** The sample customer's version: every PATCH sent must carry the current one, as a real client does. */
    static final java.util.concurrent.atomic.AtomicLong SAMPLE_VERSION = new java.util.concurrent.atomic.AtomicLong(1);

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
        boolean writesOnly = args.length > 0 && args[0].equals("--writes");
        // --capacity N: the capacity columns only (no cold start, no timing), N invokes per route
        boolean capacityOnly = args.length > 1 && args[0].equals("--capacity");
        int warm = capacityOnly ? Integer.parseInt(args[1]) : args.length > 0 && !writesOnly ? Integer.parseInt(args[0]) : 1000;
        if (System.getenv("TABLE_NAME") == null) {
            System.exit(setUpAndMeasureInChild(args));
        }
        // the measuring JVM: configured through its environment, as Lambda configures a function
        Table table = com.rackflow.core.persistence.Dynamo.table();
        RSAKey key = RSAKey.parse(System.getenv("BENCH_SIGNING_KEY"));
        String token = token(key);
        CustomerService service = new CustomerService(table);
        Customer sample = service.create(Staff.EAST_SALES_1, new CustomerDetails("基准测试客户有限公司", null,
                List.of(new Contact("联系人", null, "13900000001", null, true)), "east", CustomerSource.OTHER, null), Optional.empty());
        Map<String, String> env = new java.util.TreeMap<>(System.getenv());

        if (writesOnly) {
            WriteCapacity.print(table, 20);
            return;
        }
        System.out.printf("%-44s %9s %8s %8s %7s | %-29s | %-29s | %8s %6s %8s %s%n", "handler / route", "cold (ms)", "p50 (ms)",
                "p99 (ms)", "non-2xx", "billed RCU + WCU = total", "independent RCU + WCU = total", "answers", "calls",
                "ms calls", "");
        int mismatches = 0;
        for (Case c : CASES) {
            long cold = capacityOnly ? -1 : coldStart(c, env, sample, token);
            RequestStreamHandler h = (RequestStreamHandler) Class.forName(c.handlerClass()).getDeclaredConstructor().newInstance();
            byte[] event = c.writes() ? null : event(c, sample, token, 0);
            for (int i = 0; i < (capacityOnly ? 5 : 200); i++) {
                invoke(h, c.writes() ? event(c, sample, token, i + 1_000_000) : event);
            }
            long[] nanos = new long[capacityOnly ? 1 : warm];
            int failures = 0;
            for (int i = 0; !capacityOnly && i < warm; i++) {
                byte[] e = c.writes() ? event(c, sample, token, i) : event;
                long t0 = System.nanoTime();
                if (invoke(h, e) >= 300) {
                    failures++;
                }
                nanos[i] = System.nanoTime() - t0;
            }
            Arrays.sort(nanos);
            Capacity cap = capacity(h, c, sample, token);
            if (!cap.matches()) {
                mismatches++;
            }
            System.out.printf("%-44s %9d %8.2f %8.2f %7d | %s | %s | %8.2f %6.1f %8.2f %s%n", c.name(), cold,
                    nanos[nanos.length / 2] / 1e6, nanos[(int) (nanos.length * 0.99)] / 1e6, failures, cap.billed(),
                    cap.independent(), cap.answers(), cap.units()[4], cap.units()[5],
                    cap.matches() ? "" : "MISMATCH (" + cap.mismatchedInvokes() + " of " + CAPACITY_INVOKES + " invokes)");
            if (c.name().startsWith("POST /customers") || c.name().startsWith("PATCH")) {
                StringBuilder calls = new StringBuilder("    its DynamoDB calls per request:");
                cap.calls().forEach((op, v) -> calls.append(String.format(" %s %.1f × %.2f ms;", op, v[0] / CAPACITY_INVOKES,
                        v[1] / v[0])));
                System.out.println(calls);
            }
            System.out.printf("CAPACITY|%s|%.2f|%.2f|%.2f|%.2f|%.2f|%s%n", c.name(), cap.units()[0], cap.units()[1], cap.units()[2],
                    cap.units()[3], cap.answers(), cap.matches() ? "OK" : "MISMATCH");
        }
        if (!capacityOnly) {
            WriteCapacity.print(table, 20);
        }
        System.out.println("(cold = fresh JVM start to first answer on the test class path; warm over " + warm + " invokes; "
                + "capacity per request over " + CAPACITY_INVOKES + " invokes: billed = what the local DynamoDB billed (its "
                + "billing header, failed conditional writes and cancelled transactions included), independent = the "
                + "benchmark's own count from the items read and written (CapacityLedger), answers = the ConsumedCapacity "
                + "the function's calls got back (failed writes report none); calls = DynamoDB calls per request, ms calls = "
                + "the time between sending them and their answers, per request, in the capacity pass)");
        if (mismatches > 0) {
            System.out.println("MISMATCH: billed and independent capacity differ for " + mismatches + " route(s)");
            System.exit(3);
        }
    }

    /** Capacity per request: billed and independent read/write units, the ConsumedCapacity in answers. */
    record Capacity(double[] units, double answers, int mismatchedInvokes, Map<String, double[]> calls) {
        boolean matches() {
            return mismatchedInvokes == 0;
        }

        String billed() {
            return String.format("%6.2f + %6.2f = %7.2f", units[0], units[1], units[0] + units[1]);
        }

        String independent() {
            return String.format("%6.2f + %6.2f = %7.2f", units[2], units[3], units[2] + units[3]);
        }
    }

    /** {@link #CAPACITY_INVOKES} invokes, each one's billed and independent units compared. */
    static Capacity capacity(RequestStreamHandler h, Case c, Customer sample, String token) throws Exception {
        double[] sum = new double[6];
        double answers = 0;
        int mismatched = 0;
        CapacityLedger.takeCalls();
        for (int i = 0; i < CAPACITY_INVOKES; i++) {
            byte[] e = c.writes() ? event(c, sample, token, 2_000_000 + i) : event(c, sample, token, 0);
            CapacityLedger.take();
            Table.takeConsumedCapacity();
            invoke(h, e);
            answers += Table.takeConsumedCapacity();
            double[] u = CapacityLedger.take();
            if (Math.abs(u[0] - u[2]) > 1e-9 || Math.abs(u[1] - u[3]) > 1e-9) {
                mismatched++;
            }
            for (int k = 0; k < 6; k++) {
                sum[k] += u[k];
            }
        }
        for (int k = 0; k < 6; k++) {
            sum[k] /= CAPACITY_INVOKES;
        }
        return new Capacity(sum, answers / CAPACITY_INVOKES, mismatched, CapacityLedger.takeCalls());
    }

    /**
     * dynalite (behind the DynamoDB front), the table with the staff directory and a JWKS endpoint in this JVM; the
     * handlers run in a child JVM whose environment names them, since functions read their configuration only from
     * the environment.
     */
    static int setUpAndMeasureInChild(String[] args) throws Exception {
        DynamoFront db = DynamoFront.shared();
        Table table = LocalTable.create();
        Staff.seed(table);
        RSAKey key = new RSAKeyGenerator(2048).keyID("bench").generate();
        HttpServer jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] jwksBody = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        jwks.createContext("/jwks.json", ex -> {
            ex.sendResponseHeaders(200, jwksBody.length);
            ex.getResponseBody().write(jwksBody);
            ex.close();
        });
        jwks.start();
        // the independent capacity count: a global SDK interceptor, on this benchmark's class path only
        java.nio.file.Path interceptors = java.nio.file.Files.createTempDirectory("bench-interceptors");
        java.nio.file.Path list = interceptors.resolve("software/amazon/awssdk/global/handlers/execution.interceptors");
        java.nio.file.Files.createDirectories(list.getParent());
        java.nio.file.Files.writeString(list, CapacityLedger.class.getName() + "\n");
        List<String> cmd = new ArrayList<>(List.of(System.getProperty("java.home") + "/bin/java", "-XX:+TieredCompilation",
                "-XX:TieredStopAtLevel=1", "-Drackflow.root=" + LocalTable.repositoryRoot(),
                "-Dbench.capacityInvokes=" + (args.length > 1 && args[0].equals("--capacity") ? args[1] : CAPACITY_INVOKES), "-cp",
                interceptors + File.pathSeparator + System.getProperty("java.class.path"), HandlerBenchmark.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder child = new ProcessBuilder(cmd).inheritIO();
        child.environment().putAll(Map.of("TABLE_NAME", table.name(), "AWS_ENDPOINT_URL_DYNAMODB", db.endpoint().toString(),
                "AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "local", "AWS_SECRET_ACCESS_KEY", "local",
                "JWT_ISSUER", "https://bench.rackflow/", "JWT_AUDIENCE", "bench",
                "JWKS_URL", "http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks.json", "BENCH_SIGNING_KEY", key.toJSONString(),
                "CURSOR_KEY", "benchmark-cursor-key-0123456789abcdef0123456789"));
        child.environment().put("REPORT_JOB_FUNCTION", "arn:aws:lambda:us-east-1:123456789012:function:rackflow-report-job:live");
        child.environment().put("BENCH_DYNALITE_ENDPOINT", com.rackflow.local.dynalite.Dynalite.shared().endpoint().toString());
        int status = child.start().waitFor();
        jwks.stop(0);
        return status;
    }

    /** Runs {@link ColdStart} in a new JVM with {@code env} and returns its figure. */
    static long coldStart(Case c, Map<String, String> env, Customer sample, String token) throws Exception {
        File eventFile = File.createTempFile("event", ".json");
        java.nio.file.Files.write(eventFile.toPath(), event(c, sample, token, -1));
        List<String> cmd = new ArrayList<>(List.of(System.getProperty("java.home") + "/bin/java", "-XX:+TieredCompilation",
                "-XX:TieredStopAtLevel=1", "-Xshare:auto"));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ColdStart.class.getName(), c.handlerClass(), eventFile.getPath()));
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true);
        builder.environment().putAll(env);
        builder.environment().remove("BENCH_DYNALITE_ENDPOINT"); // no capacity ledger in a cold start
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        eventFile.delete();
        for (String line : out.split("\n")) {
            if (line.startsWith("COLD_START_MS=")) {
                return Long.parseLong(line.substring(14).trim());
            }
        }
        throw new IllegalStateException("cold start run failed: " + out);
    }

    static byte[] event(Case c, Customer sample, String token, int n) {
        if (c.handlerClass().endsWith("AuthorizerHandler")) {
            ObjectNode e = Events.load(c.event()).json();
            e.put("authorizationToken", "Bearer " + token);
            return Json.write(e).getBytes(StandardCharsets.UTF_8);
        }
        Events loaded = Events.load(c.event());
        ObjectNode e = (c.asSample() ? loaded : loaded.as(Staff.EAST_SALES_1)).json();
        if (e.path("pathParameters").isObject()) {
            ((ObjectNode) e.path("pathParameters")).put("id", sample.customerId());
        }
        if (c.name().contains("duplicate")) {
            // the sample customer's name again: the create's transaction is cancelled on the taken name guard (a
            // cancelled transaction is billed too)
            ObjectNode body = Json.object();
            body.put("companyName", sample.companyName());
            body.putArray("contacts").addObject().put("name", "联系人").put("email", "dup" + n + "@example.cn");
            e.put("body", Json.write(body));
            ((ObjectNode) e.path("headers")).remove("Idempotency-Key");
        } else if (c.event().contains("create")) {
            ObjectNode body = Json.object();
            body.put("companyName", "基准客户" + n + "-" + System.nanoTime());
            body.putArray("contacts").addObject().put("name", "联系人").put("email", "c" + System.nanoTime() + "@example.cn");
            e.put("body", Json.write(body));
            ((ObjectNode) e.path("headers")).remove("Idempotency-Key");
        } else if (c.event().contains("change")) {
            e.put("body", Json.write(java.util.Map.of("notes", "n" + n)));
            ((ObjectNode) e.path("headers")).put("If-Match", "\"" + SAMPLE_VERSION.getAndIncrement() + "\"");
        }
        return Json.write(e).getBytes(StandardCharsets.UTF_8);
    }

    /** Invokes and returns the HTTP status of the answer (200 for the authorizer's policy). */
    static int invoke(RequestStreamHandler h, byte[] event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        h.handleRequest(new ByteArrayInputStream(event), out, null);
        return Json.read(out.toString(StandardCharsets.UTF_8)).path("statusCode").asInt(200);
    }

    static String token(RSAKey key) throws Exception {
        Date now = new Date();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("bench").type(JOSEObjectType.JWT).build(),
                new JWTClaimsSet.Builder().subject("east.sales1").issuer("https://bench.rackflow/").audience("bench")
                        .issueTime(now).expirationTime(new Date(now.getTime() + 3_600_000)).build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }
}
