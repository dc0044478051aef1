package com.rackflow.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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
 * The local stack as its own process, as an operator runs it: {@link LocalStackMain} in a JVM of its own, its output
 * in a file (a pipe read while the process exits can lose its last lines), read from its banner, stopped by a signal or
 * killed with SIGKILL together with everything it started.
 */
final class StackProcess {
    private static final Path REPO = Dynalite.repositoryRoot();
    private static final Pattern API = Pattern.compile("API \\(REST\\)\\s+(http://127\\.0\\.0\\.1:\\d+)");
    private static final Pattern TOKEN = Pattern.compile("Token\\s+POST\\s+(\\S+)");
    private static final Pattern STEP_FUNCTIONS = Pattern.compile("Step Functions\\s+(http://127\\.0\\.0\\.1:\\d+\\S*)");
    private static final String BANNER_END = "Ctrl-C stops everything";

    private final Path log;
    private final Process process;
    private String banner;

    private StackProcess(Path log, Process process) {
        this.log = log;
        this.process = process;
    }

    /**
     * {@code LocalStackMain args} with {@code rackflowRoot} as the repository root and this build's function code,
     * its output (stdout and stderr) in {@code log}.
     */
    static StackProcess start(Path rackflowRoot, Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Drackflow.root=" + rackflowRoot, "-Drackflow.build=" + System.getProperty("rackflow.build", "target"),
                "-cp", System.getProperty("java.class.path"), LocalStackMain.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new StackProcess(log, p);
    }

    /**
     * A stack on any free port with its data in {@code root}/.local-data (kept across launches), sharing the
     * repository's node tools; its output in {@code root}/{@code name}.log.
     */
    static StackProcess launch(Path root, String name) throws Exception {
        if (!Files.exists(REPO.resolve("node_modules/dynalite/cli.js"))) {
            // the repository's npm install (one at a time across test JVMs) before a link to it: linked while missing,
            // the stack would run npm ci in a root without package-lock.json
            Dynalite.start(Dynalite.freePort(), null).close();
        }
        if (!Files.exists(root.resolve("node_modules"), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(root.resolve("node_modules"), REPO.resolve("node_modules"));
        }
        return start(root, root.resolve(name + ".log"),
                "--port", "0", "--persist", "--on-demand", "--template", REPO.resolve("template.yaml").toString());
    }

    /** What a kill test does with two launches of the stack on one data folder. */
    interface KillScenario {
        void run(StackProcess first, Restart restart) throws Exception;
    }

    /** The second launch, on the first's data folder, once the scenario has killed the first. */
    interface Restart {
        /** Starts the second stack and waits for its API, as a client sees it. */
        ApiClient secondStack() throws Exception;
    }

    /**
     * Runs a kill scenario on a stack launched in {@code root} ("first"): the scenario kills it (with
     * {@link #killNine()}) and starts the second on the same data ("second"). A failure carries the last lines of both
     * stacks' output; whatever still runs at the end is killed.
     */
    static void killAndRestart(Path root, KillScenario scenario) throws Exception {
        StackProcess first = launch(root, "first");
        StackProcess[] second = new StackProcess[1];
        try {
            scenario.run(first, () -> {
                assertThat(first.process.isAlive()).as("the first stack was killed before the second starts").isFalse();
                second[0] = launch(root, "second");
                return second[0].client();
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + tail(root.resolve("first.log"), 40) + "\n"
                    + tail(root.resolve("second.log"), 40), e);
        } finally {
            if (second[0] != null) {
                second[0].killNine();
            }
            if (first.process.isAlive()) {
                first.killNine();
            }
        }
    }

    /** Waits for the banner; the stack's API as a client sees it. */
    ApiClient client() throws Exception {
        String out = banner(180);
        return new ApiClient(URI.create(find(API, out)), find(TOKEN, out));
    }

    URI stepFunctions() throws Exception {
        return URI.create(find(STEP_FUNCTIONS, banner(180)));
    }

    /** The base URL of the stack's API, from its banner. */
    String api() throws Exception {
        return find(API, banner(180));
    }

    /** The output up to the end of the banner, once printed; fails when the stack exits first or after the timeout. */
    String banner(long timeoutSeconds) throws Exception {
        if (banner != null) {
            return banner;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (System.nanoTime() < deadline) {
            String out = output();
            if (out.contains(BANNER_END)) {
                banner = out;
                return out;
            }
            assertThat(process.isAlive()).as("the stack exited:\n%s", out).isTrue();
            Thread.sleep(100);
        }
        throw new AssertionError("the stack did not start within " + timeoutSeconds + " s:\n" + output());
    }

    /** Everything the stack printed so far. */
    String output() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    Process process() {
        return process;
    }

    /** The last lines of a stack's output file, for a failure's message. */
    static String tail(Path log, int lines) throws IOException {
        if (!Files.exists(log)) {
            return "";
        }
        List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
        return "--- last lines of " + log.getFileName() + " ---\n"
                + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
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

    static String find(Pattern p, String text) {
        Matcher m = p.matcher(text);
        assertThat(m.find()).as("%s in\n%s", p, text).isTrue();
        return m.group(1);
    }
}
