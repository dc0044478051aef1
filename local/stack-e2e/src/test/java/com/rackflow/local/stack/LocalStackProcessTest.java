package com.rackflow.local.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.rackflow.local.dynalite.Dynalite;

/** The stack as {@code local/start.sh} runs it: a JVM of its own, stopped by a signal. */
class LocalStackProcessTest {

    private static final Path ROOT = Dynalite.repositoryRoot();
    private static final Pattern DYNAMO = Pattern.compile("DynamoDB\\s+http://127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern STARTUP = Pattern.compile("API answering ([0-9.]+) s after start");

    @TempDir
    Path logs;

    /** The dynalite the stack started (behind its DynamoDB endpoint, on a port of its own). */
    private static List<ProcessHandle> dynaliteOf(Process stack) {
        return stack.descendants().filter(p -> p.info().commandLine().orElse("").contains("dynalite-server")).toList();
    }

    @Test
    void sigtermStopsTheStackAndItsDynalite() throws Exception {
        StackProcess process = StackProcess.start(ROOT, logs.resolve("stack.log"), "--port", "0", "--no-demo-data");
        Process stack = process.process();
        try {
            String banner = process.banner(60);
            String api = process.api();
            String dynamoPort = StackProcess.find(DYNAMO, banner);
            assertThat(Double.parseDouble(StackProcess.find(STARTUP, banner))).isPositive();
            List<ProcessHandle> dynalite = dynaliteOf(stack);
            assertThat(dynalite).hasSize(1);
            assertThat(dynalite.get(0).info().commandLine().orElse("")).doesNotContain(" " + dynamoPort + " 127.0.0.1");
            HttpResponse<String> unknown = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(api + "/nowhere")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(unknown.statusCode()).isEqualTo(404); // MISSING_AUTHENTICATION_TOKEN as template.yaml answers it

            stack.destroy(); // SIGTERM, as Ctrl-C's SIGINT, runs the shutdown hooks
            assertThat(stack.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(process.output()).contains("RackFlow local stack stopped.");
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
            StackProcess process = StackProcess.start(ROOT, logs.resolve("taken.log"), "--port", Integer.toString(port));
            Process stack = process.process();
            try {
                assertThat(stack.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(stack.exitValue()).isEqualTo(1);
                assertThat(process.output()).contains("port " + port + " is already in use");
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
