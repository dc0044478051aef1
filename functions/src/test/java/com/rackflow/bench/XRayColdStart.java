package com.rackflow.bench;

import com.amazonaws.xray.AWSXRay;
import com.rackflow.core.persistence.Dynamo;
import com.rackflow.core.persistence.Keys;
import com.rackflow.core.persistence.Table;
import com.rackflow.local.dynalite.Dynalite;
import com.rackflow.testing.LocalTable;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What the X-Ray SDK's instrumentation of the AWS SDK adds to a cold start: fresh JVMs build the DynamoDB client as
 * the functions do ({@code AwsClients}) and answer one GetItem from dynalite, without and with
 * {@code AWS_XRAY_DAEMON_ADDRESS} (with it, the client gets the X-Ray interceptor and the call is a subsegment of a
 * segment, as under Lambda's active tracing; the UDP datagrams go to a port nobody listens on). Prints milliseconds
 * from JVM start to the client built and to the first answer, and the process's CPU time by then (JIT and GC
 * threads included), medians of the runs. Usage: bench/xray.sh [runs]
 */
public final class XRayColdStart {
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("child")) {
            child();
            return;
        }
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        Table table = LocalTable.create();
        Map<String, String> env = Map.of("TABLE_NAME", table.name(), "AWS_ENDPOINT_URL_DYNAMODB", Dynalite.shared().endpoint().toString(),
                "AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "local", "AWS_SECRET_ACCESS_KEY", "local");
        List<long[]> plain = new ArrayList<>();
        List<long[]> traced = new ArrayList<>();
        for (int i = 0; i < runs + 1; i++) {
            long[] p = run(env, false);
            long[] t = run(env, true);
            if (i > 0) { // the first pair warms the OS file cache
                plain.add(p);
                traced.add(t);
            }
        }
        System.out.printf("%-20s %18s %28s %24s%n", "DynamoDB client", "client built (ms)", "first GetItem answered (ms)", "CPU used by then (ms)");
        System.out.printf("%-20s %18d %28d %24d%n", "plain", median(plain, 0), median(plain, 1), median(plain, 2));
        System.out.printf("%-20s %18d %28d %24d%n", "X-Ray instrumented", median(traced, 0), median(traced, 1), median(traced, 2));
        System.out.printf("X-Ray adds %d ms to the first answer and %d ms of CPU (medians of %d fresh JVMs each; wall times"
                + " depend on the machine's load, CPU time much less)%n", median(traced, 1) - median(plain, 1),
                median(traced, 2) - median(plain, 2), runs);
        System.exit(0);
    }

    static long median(List<long[]> runs, int field) {
        long[] v = runs.stream().mapToLong(r -> r[field]).sorted().toArray();
        return v[v.length / 2];
    }

    static long[] run(Map<String, String> env, boolean traced) throws Exception {
        List<String> cmd = List.of(System.getProperty("java.home") + "/bin/java", "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
                "-Xshare:auto", "-cp", System.getProperty("java.class.path"), XRayColdStart.class.getName(), "child");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        if (traced) {
            pb.environment().put("AWS_XRAY_DAEMON_ADDRESS", "127.0.0.1:2999");
            pb.environment().put("AWS_XRAY_CONTEXT_MISSING", "IGNORE_ERROR");
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        for (String line : out.split("\n")) {
            if (line.startsWith("XRAY_BENCH=")) {
                return Arrays.stream(line.substring(11).trim().split(",")).mapToLong(Long::parseLong).toArray();
            }
        }
        throw new IllegalStateException("cold start run failed: " + out);
    }

    static void child() {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        boolean traced = System.getenv("AWS_XRAY_DAEMON_ADDRESS") != null;
        Table table = Dynamo.table();
        table.client();
        long built = System.currentTimeMillis() - jvmStart;
        if (traced) {
            AWSXRay.beginSegment("rackflow-bench");
        }
        table.get(Keys.user("nobody"));
        if (traced) {
            AWSXRay.endSegment();
        }
        long cpuMs = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1_000_000;
        System.out.println("XRAY_BENCH=" + built + "," + (System.currentTimeMillis() - jvmStart) + "," + cpuMs);
        System.exit(0);
    }
}
