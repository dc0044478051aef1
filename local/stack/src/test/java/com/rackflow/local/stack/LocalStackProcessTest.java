package com.rackflow.local.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.rackflow.local.dynalite.Dynalite;

/** The stack as {@code local/start.sh} runs it: a JVM of its own, stopped by a signal. */
class LocalStackProcessTest {

    private static final Path ROOT = Dynalite.repositoryRoot();
    private static final Pattern API = Pattern.compile("API \\(REST\\)\\s+(http://127\\.0\\.0\\.1:\\d+)");
    private static final Pattern DYNAMO = Pattern.compile("DynamoDB\\s+http://127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern STARTUP = Pattern.compile("API answering ([0-9.]+) s after start");

    @TempDir
    Path logs;

    private Process launch(Path output, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Drackflow.root=" + ROOT, "-cp", System.getProperty("java.class.path"),
                LocalStackMain.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    /**
     * What the process prints, written to a file: a pipe read while the process exits can lose its last lines
     * ("Stream closed"), and the last line is the one that matters here.
     */
    private static final class Output {
        private final Path file;

        Output(Path file) {
            this.file = file;
        }

        /** The lines printed so far once one starts with the prefix; fails after the timeout. */
        List<String> awaitLine(String prefix, long timeoutSeconds) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            while (true) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                if (lines.stream().anyMatch(l -> l.startsWith(prefix))) {
                    return lines;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no line starting '" + prefix + "' in:\n" + String.join("\n", lines));
                }
                Thread.sleep(100);
            }
        }

        String all() throws IOException {
            return Files.readString(file, StandardCharsets.UTF_8);
        }
    }

    private static String find(Pattern pattern, List<String> lines) {
        for (String line : lines) {
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                return m.group(1);
            }
        }
        throw new AssertionError("no line matches " + pattern + " in:\n" + String.join("\n", lines));
    }

    /** The dynalite the stack started (behind its DynamoDB endpoint, on a port of its own). */
    private static List<ProcessHandle> dynaliteOf(Process stack) {
        return stack.descendants().filter(p -> p.info().commandLine().orElse("").contains("dynalite/cli.js")).toList();
    }

    @Test
    void sigtermStopsTheStackAndItsDynalite() throws Exception {
        Path log = logs.resolve("stack.log");
        Process stack = launch(log, "--port", "0", "--no-demo-data");
        Output output = new Output(log);
        try {
            List<String> banner = output.awaitLine("Ctrl-C stops everything", 60);
            String api = find(API, banner);
            String dynamoPort = find(DYNAMO, banner);
            assertThat(Double.parseDouble(find(STARTUP, banner))).isPositive();
            List<ProcessHandle> dynalite = dynaliteOf(stack);
            assertThat(dynalite).hasSize(1);
            assertThat(dynalite.get(0).info().commandLine().orElse("")).doesNotContain("--port " + dynamoPort + " ");
            HttpResponse<String> unknown = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(api + "/nowhere")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(unknown.statusCode()).isEqualTo(404); // MISSING_AUTHENTICATION_TOKEN as template.yaml answers it

            stack.destroy(); // SIGTERM, as Ctrl-C's SIGINT, runs the shutdown hooks
            assertThat(stack.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(output.all()).contains("RackFlow local stack stopped.");
            assertThat(dynalite.get(0).isAlive()).isFalse();
            assertThat(stack.descendants().filter(ProcessHandle::isAlive).count()).isZero();
        } finally {
            stack.destroyForcibly();
        }
    }

    @Test
    void takenPortFailsFastWithAPlainMessage() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            long started = System.nanoTime();
            Path log = logs.resolve("taken.log");
            Process stack = launch(log, "--port", Integer.toString(port));
            Output output = new Output(log);
            try {
                assertThat(stack.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(stack.exitValue()).isEqualTo(1);
                assertThat(output.all()).contains("port " + port + " is already in use");
                assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(10);
            } finally {
                stack.destroyForcibly();
            }
        }
    }

    @Test
    void takenDynamoDbPortIsNamedBeforeAnythingStarts() throws Exception {
        int port = FreePorts.range(2);
        try (ServerSocket taken = new ServerSocket(port + 1, 1, InetAddress.getLoopbackAddress())) {
            LocalStack.Options options = new LocalStack.Options(ROOT.resolve("template.yaml"), port, null, false);

            assertThatThrownBy(() -> LocalStack.start(options)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("port " + (port + 1) + " is already in use");
        }
        try (ServerSocket free = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(free.getLocalPort()).as("the failed start left its API port free").isEqualTo(port);
        }
    }
}
