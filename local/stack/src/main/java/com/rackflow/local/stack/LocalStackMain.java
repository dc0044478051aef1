package com.rackflow.local.stack;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

import com.rackflow.local.dynalite.Dynalite;
import com.rackflow.local.stack.seed.Department;
import com.rackflow.local.stack.seed.DemoStaff;
import com.rackflow.local.stack.seed.StaffMember;
import com.rackflow.local.stack.seed.StaffStatus;

/**
 * {@code local/start.sh}: starts the local stack from the repository's template.yaml with demo data and prints how
 * to use it; stops everything on Ctrl-C / SIGTERM.
 */
public final class LocalStackMain {

    private static final String USAGE = LocalStackArguments.USAGE;


    private LocalStackMain() {
    }

    public static void main(String[] args) {
        long uptimeAtStart = ManagementFactory.getRuntimeMXBean().getUptime();
        Path root;
        LocalStack.Options options;
        if (java.util.Arrays.asList(args).contains("--help") || java.util.Arrays.asList(args).contains("-h")) {
            System.out.print(USAGE);
            return;
        }
        try {
            root = Dynalite.repositoryRoot();
            options = parse(args, root);
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("rackflow: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        LocalStack stack;
        try {
            stack = LocalStack.start(options);
        } catch (RuntimeException e) {
            System.err.println("rackflow: the local stack did not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stack.close();
            System.out.println("RackFlow local stack stopped.");
            stopped.countDown();
        }, "stack-stop"));

        long readyMs = ManagementFactory.getRuntimeMXBean().getUptime();
        System.out.println(banner(stack, options, root, uptimeAtStart, readyMs));
        System.out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static LocalStack.Options parse(String[] args, Path root) {
        LocalStackArguments.Parsed parsed = LocalStackArguments.parse(args, root);
        return new LocalStack.Options(parsed.template(), parsed.port(), parsed.dataDir(), parsed.demoData(), 1.0,
                parsed.maxInstances(), parsed.snapStart());
    }

    /**
     * @param uptimeAtStart JVM uptime when the stack started: the figures printed count from the JVM's start
     * @param readyMs JVM uptime once everything was up and seeded
     */
    static String banner(LocalStack stack, LocalStack.Options options, Path root, long uptimeAtStart, long readyMs) {
        String api = stack.apiBaseUrl().toString();
        StringBuilder b = new StringBuilder();
        b.append('\n').append(String.format(Locale.ROOT, "RackFlow local stack is running: API answering %.1f s after start",
                (uptimeAtStart + stack.servingAfter().toMillis()) / 1000.0));
        stack.firstRequestServedAfter().ifPresent(first -> b.append(String.format(Locale.ROOT,
                ", first demo request served %.1f s after start (cold starts included)",
                (uptimeAtStart + first.toMillis()) / 1000.0)));
        b.append(String.format(Locale.ROOT, ", ready in %.1f s%n", readyMs / 1000.0));
        stack.consoleUrl().ifPresentOrElse(
                url -> b.append("  Web console     ").append(url).append("   (sign in as any demo user below)\n"),
                () -> b.append("  Web console     not built (web/build.sh)\n"));
        b.append("  API (REST)      ").append(api).append("   (stage ")
                .append(stack.application().apis().isEmpty() ? "-" : stack.application().apis().get(0).stageName()).append(")\n");
        b.append("  Token           POST ").append(stack.identityProvider().tokenUrl()).append("   {\"username\":\"<user id>\"}\n");
        b.append("  JWKS            ").append(stack.identityProvider().jwksUrl()).append('\n');
        b.append("  DynamoDB        ").append(stack.dynamoEndpoint()).append("   (")
                .append(options.dataDir() == null ? "in memory" : "persisted in " + root.relativize(options.dataDir()))
                .append(")\n");
        b.append("  Step Functions  ").append(stack.stateMachinesEndpoint().map(URI::toString).orElse("not run locally yet")).append('\n');
        b.append("  S3              ").append(stack.s3Endpoint().map(URI::toString).orElse("no bucket")).append(" (path-style, SigV4: access key local / secret local)\n");

        stack.demoStaff().ifPresent(staff -> {
            b.append("\nDemo users (one per scope; tokens only for ACTIVE users)\n");
            b.append("  ").append(pad("user id", 12)).append(pad("name", 12)).append(pad("role", 18)).append("department\n");
            staff.users().stream().sorted(Comparator.comparing(StaffMember::departmentId)).forEach(u -> {
                String department = staff.department(u.departmentId()).map(Department::nameZh).orElse("");
                b.append("  ").append(pad(u.userId(), 12)).append(pad(u.displayName(), 12)).append(pad(u.role().name(), 18))
                        .append(pad(u.departmentId() + " " + department, 18))
                        .append(u.status() == StaffStatus.ACTIVE ? "" : u.status() + " (no token)").append('\n');
            });
        });
        stack.customerSeed().ifPresent(seed -> b.append("\nDemo customers: ").append(seed.apiMissing()
                ? "not created, POST /customers is not served yet"
                : seed.ready() + " ready (created, or replayed by their Idempotency-Key), " + seed.alreadyPresent()
                        + " refused as duplicates, " + seed.failed() + " failed")
                .append('\n'));
        stack.inventorySeed().ifPresent(seed -> b.append("Demo inventory (sites, rooms, racks, IP prefixes): ")
                .append(seed.apiMissing() ? "not created, the inventory API is not served"
                        : seed.ready() + " ready, " + seed.failed() + " failed")
                .append('\n'));

        String salesperson = stack.demoStaff().map(DemoStaff::users).orElse(List.of()).stream()
                .filter(u -> u.role().name().equals("SALES") && u.status() == StaffStatus.ACTIVE)
                .map(StaffMember::userId).findFirst().orElse("<user id>");
        b.append("\nTry it:\n");
        b.append("  TOKEN=$(curl -s -X POST ").append(stack.identityProvider().tokenUrl())
                .append(" -H 'Content-Type: application/json' -d '{\"username\":\"").append(salesperson)
                .append("\"}' | sed -E 's/.*\"access_token\":\"([^\"]+)\".*/\\1/')\n");
        b.append("  curl -s -X POST ").append(api).append("/customers -H \"Authorization: Bearer $TOKEN\"")
                .append(" -H 'Content-Type: application/json' -H 'Idempotency-Key: try-1'")
                .append(" -d '{\"companyName\":\"南京紫金云计算有限公司\",\"region\":\"east\",\"source\":\"REFERRAL\",")
                .append("\"contacts\":[{\"name\":\"王强\",\"phone\":\"13900000001\"}]}'\n");
        b.append("  curl -s ").append(api).append("/customers -H \"Authorization: Bearer $TOKEN\"\n");
        b.append("\nCtrl-C stops everything.\n");
        return b.toString();
    }

    /** Pads to a terminal width, counting CJK characters as two columns. */
    static String pad(String text, int width) {
        int columns = text.codePoints().map(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN ? 2 : 1).sum();
        return text + " ".repeat(Math.max(1, width - columns));
    }
}
