package com.rackflow.local.stepfunctions.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.local.stepfunctions.LocalStepFunctions;
import com.rackflow.local.stepfunctions.api.StepFunctionsService;
import com.rackflow.local.stepfunctions.asl.Json;
import com.rackflow.local.stepfunctions.engine.Execution;
import com.rackflow.local.stepfunctions.engine.ExecutionStatus;
import com.rackflow.local.stepfunctions.engine.StateMachineType;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark (not a test): state transitions per second for a 100-state Pass chain and for an inline Map over 1,000
 * items with MaxConcurrency 10, the memory of 10,000 executions waiting for a task token, and the threads and memory of
 * 1,000 Map iterations waiting for a task token (25 executions, a Map of 40 items each). Run with
 * {@code local/stepfunctions/bench.sh}.
 */
public final class StepFunctionsBenchmark {

    private StepFunctionsBenchmark() {
    }

    private static final int WAITING = 10_000;
    private static final int WAITING_ITERATIONS = 1_000;

    public static void main(String[] args) throws Exception {
        try (LocalStepFunctions sfn = LocalStepFunctions.builder().timeScale(1.0)
                .lambdaInvoker((arn, payload) -> "{}".getBytes()).build().start()) {
            StepFunctionsService api = sfn.service();
            String chain = sfn.createOrUpdateStateMachine("chain", passChain(100), null, StateMachineType.STANDARD);
            String map = sfn.createOrUpdateStateMachine("map", mapOver(10), null, StateMachineType.STANDARD);
            String waiting = sfn.createOrUpdateStateMachine("waiting", callback(), null, StateMachineType.STANDARD);
            String waitingMap = sfn.createOrUpdateStateMachine("waiting-map", "{\"StartAt\":\"M\",\"States\":{"
                    + "\"M\":{\"Type\":\"Map\",\"ItemsPath\":\"$.items\",\"ItemProcessor\":" + callback()
                    + ",\"End\":true}}}", null, StateMachineType.STANDARD);

            for (int i = 0; i < 5; i++) {
                runMany(api, chain, 100, "{}");                      // warm-up
            }
            int chainRuns = 200;
            double concurrent = median(5, () -> {
                long t0 = System.nanoTime();
                runMany(api, chain, chainRuns, "{\"payload\":\"x\"}");
                return chainRuns * 100 / ((System.nanoTime() - t0) / 1e9);
            });
            System.out.printf("pass-chain, %d concurrent executions x 100 states: %.0f state transitions/s (median "
                    + "of 5)%n", chainRuns, concurrent);
            double sequential = median(5, () -> {
                long t0 = System.nanoTime();
                for (int i = 0; i < chainRuns; i++) {
                    runMany(api, chain, 1, "{\"payload\":\"x\"}");
                }
                return chainRuns * 100 / ((System.nanoTime() - t0) / 1e9);
            });
            System.out.printf("pass-chain, %d executions one after another x 100 states: %.0f state transitions/s "
                    + "(median of 5)%n", chainRuns, sequential);

            String items = itemsInput(1000);
            for (int i = 0; i < 5; i++) {
                runMany(api, map, 1, items);                          // warm-up
            }
            double mapRate = median(5, () -> {
                long t0 = System.nanoTime();
                runMany(api, map, 1, items);
                return 1001 / ((System.nanoTime() - t0) / 1e9);
            });
            // per execution: the Map state plus one Pass state in each of the 1,000 iterations
            System.out.printf("map-1000-items (MaxConcurrency 10): %.0f state transitions/s (median of 5; %.0f ms per "
                    + "Map of 1,000 items)%n", mapRate, 1001 / mapRate * 1000);

            long threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
            long heapBefore = usedHeap();
            long rssBefore = rssKib();
            List<String> arns = new ArrayList<>();
            for (int i = 0; i < WAITING; i++) {
                arns.add(start(api, waiting, "{\"n\":" + i + "}"));
            }
            Thread.sleep(5000);
            long running = arns.stream().filter(a -> api.findExecution(a).status() == ExecutionStatus.RUNNING)
                    .count();
            long heapAfter = usedHeap();
            long threadsAfter = ManagementFactory.getThreadMXBean().getThreadCount();
            long rssAfter = rssKib();
            System.out.printf("%,d executions waiting for a task token (%d running): heap +%.1f MiB (%.1f KiB each), "
                    + "threads +%d%n", WAITING, running,
                    (heapAfter - heapBefore) / 1048576.0, (heapAfter - heapBefore) / 1024.0 / WAITING,
                    threadsAfter - threadsBefore);
            if (rssBefore > 0) {
                System.out.printf("%,d waiting executions: process resident memory +%.1f MiB (heap and thread "
                        + "stacks)%n", WAITING, (rssAfter - rssBefore) / 1024.0);
            }

            threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
            heapBefore = usedHeap();
            String forty = itemsInput(40);
            List<String> maps = new ArrayList<>();
            for (int i = 0; i < WAITING_ITERATIONS / 40; i++) {
                maps.add(start(api, waitingMap, forty));
            }
            Thread.sleep(5000);
            running = maps.stream().filter(a -> api.findExecution(a).status() == ExecutionStatus.RUNNING).count();
            heapAfter = usedHeap();
            threadsAfter = ManagementFactory.getThreadMXBean().getThreadCount();
            System.out.printf("%,d Map iterations waiting for a task token (%d executions with a Map of 40 items, %d "
                    + "running): heap +%.1f MiB (%.1f KiB each), threads +%d%n", WAITING_ITERATIONS, maps.size(),
                    running, (heapAfter - heapBefore) / 1048576.0, (heapAfter - heapBefore) / 1024.0
                    / WAITING_ITERATIONS, threadsAfter - threadsBefore);
        }
    }

    @FunctionalInterface
    private interface Measure {
        double run() throws InterruptedException;
    }

    private static double median(int rounds, Measure m) throws InterruptedException {
        double[] values = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            values[i] = m.run();
        }
        java.util.Arrays.sort(values);
        return values[rounds / 2];
    }

    /** Resident set size of this process from /proc (Linux); 0 elsewhere. */
    private static long rssKib() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    private static long usedHeap() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    private static String start(StepFunctionsService api, String machine, String input) {
        ObjectNode req = Json.object();
        req.put("stateMachineArn", machine);
        req.put("input", input);
        return api.startExecution(req).get("executionArn").asText();
    }

    private static void runMany(StepFunctionsService api, String machine, int count, String input)
            throws InterruptedException {
        List<String> arns = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            arns.add(start(api, machine, input));
        }
        for (String arn : arns) {
            Execution e = api.findExecution(arn);
            if (!e.done().await(5, TimeUnit.MINUTES) || e.status() != ExecutionStatus.SUCCEEDED) {
                throw new IllegalStateException(arn + " ended " + e.status() + " " + e.error() + " " + e.cause());
            }
        }
    }

    static String passChain(int states) {
        StringBuilder b = new StringBuilder("{\"StartAt\":\"S0\",\"States\":{");
        for (int i = 0; i < states; i++) {
            b.append(i == 0 ? "" : ",").append("\"S").append(i).append("\":{\"Type\":\"Pass\",");
            b.append(i == states - 1 ? "\"End\":true}" : "\"Next\":\"S" + (i + 1) + "\"}");
        }
        return b.append("}}").toString();
    }

    static String mapOver(int maxConcurrency) {
        return "{\"StartAt\":\"M\",\"States\":{\"M\":{\"Type\":\"Map\",\"ItemsPath\":\"$.items\",\"MaxConcurrency\":"
                + maxConcurrency + ",\"ItemProcessor\":{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\","
                + "\"Parameters\":{\"v.$\":\"$.v\"},\"End\":true}}},\"ResultPath\":null,\"End\":true}}}";
    }

    static String callback() {
        return "{\"StartAt\":\"Wait\",\"States\":{\"Wait\":{\"Type\":\"Task\",\"Resource\":"
                + "\"arn:aws:states:::lambda:invoke.waitForTaskToken\",\"Parameters\":{\"FunctionName\":\"inbox\","
                + "\"Payload\":{\"token.$\":\"$$.Task.Token\"}},\"End\":true}}}";
    }

    static String itemsInput(int n) {
        StringBuilder b = new StringBuilder("{\"items\":[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append("{\"v\":").append(i).append('}');
        }
        return b.append("]}").toString();
    }
}
