package com.rackflow.local.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;

import com.rackflow.local.stepfunctions.asl.Json;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

/**
 * kill -9 of the emulator's process while a Map (inside a Parallel branch) has finished some iterations, has others
 * in flight and others not started: after the restart the finished iterations and the finished branch keep their
 * results and are not run again, the interrupted ones run their interrupted state again, and the execution ends with
 * the output it would have had without the kill.
 */
class ChildrenKillTest {

    private static final String WORK = "arn:aws:lambda:us-east-1:123456789012:function:work";
    private static final String DEFINITION = "{\"StartAt\":\"Both\",\"States\":{\"Both\":{\"Type\":\"Parallel\","
            + "\"Branches\":["
            + "{\"StartAt\":\"Quick\",\"States\":{\"Quick\":{\"Type\":\"Task\",\"Resource\":\"" + WORK + "\","
            + "\"Parameters\":{\"item\":-1},\"End\":true}}},"
            + "{\"StartAt\":\"Each\",\"States\":{\"Each\":{\"Type\":\"Map\",\"ItemsPath\":\"$.items\","
            + "\"MaxConcurrency\":2,\"ItemProcessor\":{\"StartAt\":\"Work\",\"States\":{\"Work\":{\"Type\":\"Task\","
            + "\"Resource\":\"" + WORK + "\",\"Parameters\":{\"item.$\":\"$\"},\"Next\":\"Tidy\"},"
            + "\"Tidy\":{\"Type\":\"Pass\",\"End\":true}}},\"End\":true}}}"
            + "],\"Next\":\"After\"},\"After\":{\"Type\":\"Pass\",\"End\":true}}}";

    @TempDir
    Path dir;

    @Test
    void finishedIterationsAndBranchesAreNotRunAgainAfterAKillNine() throws Exception {
        Path data = dir.resolve("data");
        Path invocations = dir.resolve("invocations.txt");
        Path log = dir.resolve("first.log");
        // items 3 and up never answer in the first process: with MaxConcurrency 2, items 0-2 finish, 3 and 4 are
        // in flight and 5 has not started when it is killed
        Process first = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), KillableStepFunctions.class.getName(), data.toString(),
                invocations.toString(), "3").redirectErrorStream(true).redirectOutput(log.toFile()).start();
        String exec;
        try (SfnClient sfn = SfnTestSupport.client(endpoint(first, log))) {
            String machine = sfn.createStateMachine(b -> b.name("kill-children").definition(DEFINITION)
                    .roleArn(SfnTestSupport.ROLE)).stateMachineArn();
            exec = sfn.startExecution(b -> b.stateMachineArn(machine).input("{\"items\":[0,1,2,3,4,5]}"))
                    .executionArn();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!calls(invocations).containsAll(List.of(-1, 0, 1, 2, 3, 4))) {
                assertThat(System.nanoTime()).as("items 3 and 4 reached the function: %s", calls(invocations))
                        .isLessThan(deadline);
                Thread.sleep(20);
            }
            awaitEvents(sfn, exec, HistoryEventType.MAP_ITERATION_SUCCEEDED, 3);
            awaitEvents(sfn, exec, HistoryEventType.TASK_STATE_EXITED, 4); // Quick, and Work of items 0-2
            // finished = its result recorded (right after its last event): the Quick branch and items 0-2
            while (recordedResults(data) < 4) {
                assertThat(System.nanoTime()).as("4 results recorded").isLessThan(deadline);
                Thread.sleep(20);
            }
        } finally {
            first.destroyForcibly(); // SIGKILL: no shutdown hook runs
            assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(calls(invocations)).containsExactlyInAnyOrder(-1, 0, 1, 2, 3, 4);

        List<Integer> afterRestart = Collections.synchronizedList(new ArrayList<>());
        LambdaInvoker recording = (arn, payload) -> {
            afterRestart.add(Json.parse(new String(payload, StandardCharsets.UTF_8)).get("item").asInt());
            return KillableStepFunctions.work(payload, dir.resolve("second.txt"), Integer.MAX_VALUE);
        };
        try (LocalStepFunctions second = LocalStepFunctions.builder().dataFolder(data).timeScale(0.001)
                .lambdaInvoker(recording).build().start(); SfnClient sfn = SfnTestSupport.client(second.endpoint())) {
            DescribeExecutionResponse d = awaitEnd(sfn, exec);
            assertThat(d.status()).as("%s: %s", d.error(), d.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(Json.parse(d.output())).isEqualTo(Json.parse("[{\"done\":-10},[{\"done\":0},{\"done\":10},"
                    + "{\"done\":20},{\"done\":30},{\"done\":40},{\"done\":50}]]"));
            assertThat(afterRestart).as("only the interrupted and the unstarted iterations run after the restart")
                    .containsExactlyInAnyOrder(3, 4, 5);
            List<HistoryEvent> events = sfn.getExecutionHistoryPaginator(b -> b.executionArn(exec)).events().stream()
                    .toList();
            assertThat(events).extracting(HistoryEvent::id).containsExactlyElementsOf(
                    LongStream.rangeClosed(1, events.size()).boxed().toList());
            List<HistoryEventType> types = events.stream().map(HistoryEvent::type).toList();
            assertThat(types.stream().filter(t -> t == HistoryEventType.MAP_ITERATION_STARTED)).hasSize(6);
            assertThat(types.stream().filter(t -> t == HistoryEventType.MAP_ITERATION_SUCCEEDED)).hasSize(6);
            assertThat(types.stream().filter(t -> t == HistoryEventType.PARALLEL_STATE_STARTED)).hasSize(1);
            assertThat(types.stream().filter(t -> t == HistoryEventType.MAP_STATE_STARTED)).hasSize(1);
            assertThat(types).endsWith(HistoryEventType.PASS_STATE_ENTERED, HistoryEventType.PASS_STATE_EXITED,
                    HistoryEventType.EXECUTION_SUCCEEDED);
        }
    }

    private static List<Integer> calls(Path invocations) throws Exception {
        if (!Files.exists(invocations)) {
            return List.of();
        }
        return Files.readAllLines(invocations, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank())
                .map(Integer::parseInt).toList();
    }

    /** Results of finished iterations and branches in the data folder (executions/<key>/children.jsonl). */
    private static long recordedResults(Path data) throws Exception {
        try (var files = Files.walk(data.resolve("executions"))) {
            long n = 0;
            for (Path f : files.filter(f -> f.getFileName().toString().equals("children.jsonl")).toList()) {
                n += Files.readAllLines(f, StandardCharsets.UTF_8).stream().filter(l -> l.contains("\"result\""))
                        .count();
            }
            return n;
        }
    }

    private static void awaitEvents(SfnClient sfn, String exec, HistoryEventType type, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (sfn.getExecutionHistoryPaginator(b -> b.executionArn(exec)).events().stream()
                .filter(e -> e.type() == type).count() < count) {
            assertThat(System.nanoTime()).as("%d %s events", count, type).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static DescribeExecutionResponse awaitEnd(SfnClient sfn, String exec) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            DescribeExecutionResponse d = sfn.describeExecution(b -> b.executionArn(exec));
            if (d.status() != ExecutionStatus.RUNNING) {
                return d;
            }
            assertThat(System.nanoTime()).as("execution still running").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** The process's endpoint once it serves. */
    private static URI endpoint(Process p, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log)) {
                for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                    if (line.startsWith("listening on ")) {
                        return URI.create(line.substring("listening on ".length()).trim());
                    }
                }
            }
            assertThat(p.isAlive()).as("emulator process: %s", Files.exists(log) ? Files.readString(log) : "")
                    .isTrue();
            Thread.sleep(50);
        }
        throw new AssertionError("the emulator process did not start: " + Files.readString(log));
    }
}
