package com.rackflow.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.rackflow.local.dynalite.Dynalite;

/** {@code local/start.sh} refuses to start, plainly and before any build, when a tool or a port is missing. */
class StartScriptTest {

    private static final Path SCRIPT = Dynalite.repositoryRoot().resolve("local/start.sh");

    private record Run(int exitCode, String output) {
    }

    private static Run run(Map<String, String> environment, String... args) throws Exception {
        ProcessBuilder builder = new ProcessBuilder();
        builder.command().add("bash");
        builder.command().add(SCRIPT.toString());
        builder.command().addAll(java.util.List.of(args));
        builder.environment().putAll(environment);
        Process process = builder.redirectErrorStream(true).start();
        process.getOutputStream().close();
        boolean ended = process.waitFor(20, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly();
        }
        assertThat(ended).as("start.sh should give up at once").isTrue();
        return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void takenPortIsReportedBeforeBuilding() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Run run = run(Map.of(), "--port", Integer.toString(taken.getLocalPort()));

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.output()).contains("port " + taken.getLocalPort() + " is already in use")
                    .doesNotContain("Building");
        }
    }

    @Test
    void badArgumentsAreRefusedWithTheUsageBeforeBuilding() throws Exception {
        for (String[] args : new String[][] {{"--port", "abc"}, {"--port", "-1"}, {"--port", "70000"}, {"--frobnicate"}}) {
            Run run = run(Map.of(), args);

            assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(run.output()).as(String.join(" ", args)).contains("usage: local/start.sh").doesNotContain("Building");
        }
    }

    @Test
    void aTakenPortInTheRangeAboveIsReportedBeforeBuilding() throws Exception {
        int base = FreePorts.range(LocalStackArguments.PORTS);
        try (ServerSocket taken = new ServerSocket(base + 3, 1, InetAddress.getLoopbackAddress())) {
            int console = taken.getLocalPort();
            Run run = run(Map.of(), "--port", Integer.toString(base));

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.output()).contains("port " + console + " is already in use").doesNotContain("Building");
        }
    }

    @Test
    void missingNodeIsNamed(@TempDir Path bin) throws Exception {
        link(bin, "java", Path.of(System.getProperty("java.home"), "bin", "java"));
        link(bin, "javac", Path.of(System.getProperty("java.home"), "bin", "javac"));
        link(bin, "mvn", Path.of("/usr/bin/mvn"));
        link(bin, "dirname", Path.of("/usr/bin/dirname"));

        Run run = run(Map.of("PATH", bin.toString()));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.output()).contains("'node' is not installed").contains("Node.js 20");
    }

    private static void link(Path bin, String name, Path target) throws IOException {
        Path resolved = Files.exists(target) ? target : whichOrFail(name);
        Files.createSymbolicLink(bin.resolve(name), resolved);
    }

    private static Path whichOrFail(String name) {
        for (String dir : System.getenv("PATH").split(":")) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(name + " is not on PATH");
    }
}
