package com.rackflow.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.rackflow.local.dynalite.Dynalite;

/**
 * The local stack as its own process ({@code --persist} in a root of its own, sharing the repository's node tools), as
 * an operator runs it: started, read from its banner, killed with SIGKILL together with everything it started.
 */
final class StackProcess {
    private static final Path REPO = Dynalite.repositoryRoot();
    private static final Pattern API = Pattern.compile("API \\(REST\\)\\s+(http://127\\.0\\.0\\.1:\\d+)");
    private static final Pattern TOKEN = Pattern.compile("Token\\s+POST\\s+(\\S+)");
    private static final Pattern STEP_FUNCTIONS = Pattern.compile("Step Functions\\s+(http://127\\.0\\.0\\.1:\\d+\\S*)");

    private final Path root;
    private final String name;
    private final Process process;
    private String banner;

    private StackProcess(Path root, String name, Process process) {
        this.root = root;
        this.name = name;
        this.process = process;
    }

    /** Starts a stack on any free port with its data in {@code root}/.local-data (kept across launches). */
    static StackProcess launch(Path root, String name) throws Exception {
        if (!Files.exists(root.resolve("node_modules"))) {
            Files.createSymbolicLink(root.resolve("node_modules"), REPO.resolve("node_modules"));
        }
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Drackflow.root=" + root, "-Drackflow.build=" + System.getProperty("rackflow.build", "target"),
                "-cp", System.getProperty("java.class.path"), LocalStackMain.class.getName(),
                "--port", "0", "--persist", "--template", REPO.resolve("template.yaml").toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(root.resolve(name + ".log").toFile()).start();
        return new StackProcess(root, name, p);
    }

    /** Waits for the banner; the stack's API as a client sees it. */
    ApiClient client() throws Exception {
        String out = awaitBanner();
        return new ApiClient(URI.create(find(API, out)), find(TOKEN, out));
    }

    URI stepFunctions() throws Exception {
        return URI.create(find(STEP_FUNCTIONS, awaitBanner()));
    }

    private String awaitBanner() throws Exception {
        if (banner != null) {
            return banner;
        }
        Path log = root.resolve(name + ".log");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            String out = Files.readString(log, StandardCharsets.UTF_8);
            if (out.contains("Ctrl-C stops everything")) {
                banner = out;
                return out;
            }
            assertThat(process.isAlive()).as("the stack exited:\n%s", out).isTrue();
            Thread.sleep(100);
        }
        throw new AssertionError("the stack did not start:\n" + Files.readString(log, StandardCharsets.UTF_8));
    }

    /** The last lines of a launched stack's output, for a failure's message. */
    static String tail(Path root, String name, int lines) throws Exception {
        Path log = root.resolve(name + ".log");
        if (!Files.exists(log)) {
            return "";
        }
        List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
        return "--- last lines of the " + name + " stack ---\n" + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** SIGKILL to the stack and to every process it started (dynalite, function JVMs): nothing runs a shutdown hook. */
    void killNine() throws InterruptedException {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        process.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        for (ProcessHandle p : tree) {
            p.onExit().orTimeout(30, TimeUnit.SECONDS).join();
        }
    }

    private static String find(Pattern p, String text) {
        Matcher m = p.matcher(text);
        assertThat(m.find()).as("%s in\n%s", p, text).isTrue();
        return m.group(1);
    }
}
