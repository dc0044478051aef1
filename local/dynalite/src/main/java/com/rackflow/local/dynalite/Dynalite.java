package com.rackflow.local.dynalite;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A dynalite server process, started from the npm install pinned by the repository's package-lock.json.
 * In memory unless a data folder is given. Closing it kills the process (and a JVM shutdown hook does too),
 * so no dynalite is left behind.
 */
public final class Dynalite implements AutoCloseable {

    private static volatile Dynalite shared;

    private final Process process;
    private final int port;

    private Dynalite(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** One in-memory dynalite per JVM, for test suites; stopped when the JVM exits. */
    public static synchronized Dynalite shared() {
        if (shared == null || !shared.process.isAlive()) {
            shared = start(freePort(), null);
        }
        return shared;
    }

    /** Starts dynalite on the given port; {@code dataDir} null keeps everything in memory. */
    public static Dynalite start(int port, Path dataDir) {
        Path root = repositoryRoot();
        npmCi(root);
        assertPortFree(port);
        // server.js (beside this class): dynalite's server as its cli.js starts it, keeping idle connections open
        List<String> cmd = new ArrayList<>(List.of(node(), serverScript().toString(),
                root.resolve("node_modules/dynalite").toString(), Integer.toString(port), "127.0.0.1"));
        if (dataDir != null) {
            try {
                Files.createDirectories(dataDir);
            } catch (IOException e) {
                throw new IllegalStateException("cannot create dynalite data folder " + dataDir, e);
            }
            cmd.add(dataDir.toString());
        }
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            Dynalite d = new Dynalite(p, port);
            Runtime.getRuntime().addShutdownHook(new Thread(d::close, "dynalite-stop"));
            d.awaitListening(Duration.ofSeconds(20));
            return d;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start dynalite with " + node() + ": " + e.getMessage(), e);
        }
    }

    private static Path serverScript;

    /** server.js from this module's resources, written once per JVM to a file node can run. */
    private static synchronized Path serverScript() {
        if (serverScript == null) {
            try (java.io.InputStream in = Dynalite.class.getResourceAsStream("server.js")) {
                Path file = Files.createTempFile("dynalite-server", ".js");
                file.toFile().deleteOnExit();
                Files.write(file, in.readAllBytes());
                serverScript = file;
            } catch (IOException e) {
                throw new IllegalStateException("cannot write dynalite's server script: " + e.getMessage(), e);
            }
        }
        return serverScript;
    }

    public int port() {
        return port;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private void awaitListening(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("dynalite exited at start with code " + process.exitValue());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                sleep(50);
            }
        }
        close();
        throw new IllegalStateException("dynalite did not listen on port " + port + " within " + timeout.toSeconds() + " s");
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    public static void assertPortFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", port));
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " is already in use; stop what uses it or choose another port");
        }
    }

    /** The folder holding package-lock.json, found upwards from the working directory (or -Drackflow.root). */
    public static Path repositoryRoot() {
        String configured = System.getProperty("rackflow.root");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.exists(d.resolve("package-lock.json")) && Files.exists(d.resolve("template.yaml"))) {
                return d;
            }
        }
        throw new IllegalStateException("cannot find the RackFlow repository root (package-lock.json) above " + dir);
    }

    static String node() {
        return findOnPath("node").orElseThrow(() ->
                new IllegalStateException("Node.js is required for the local DynamoDB (dynalite) but 'node' is not on PATH; install Node 20+"));
    }

    private static java.util.Optional<String> findOnPath(String exe) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            File f = new File(dir, exe);
            if (f.canExecute()) {
                return java.util.Optional.of(f.getAbsolutePath());
            }
        }
        return java.util.Optional.empty();
    }

    private static synchronized void npmCi(Path root) {
        // test JVMs of modules built in parallel (mvn -T) may arrive together: one npm ci at a time, across processes
        Path lockFile = root.resolve(".npm-install.lock");
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(lockFile,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
             java.nio.channels.FileLock ignored = channel.lock()) {
            if (!installed(root)) {
                runNpmCi(root);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot lock " + lockFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * npm writes node_modules/.package-lock.json on every install: older than package-lock.json means the lock changed
     * since (a package added or moved), so it must be installed again.
     */
    private static boolean installed(Path root) throws IOException {
        Path lock = root.resolve("package-lock.json");
        Path installed = root.resolve("node_modules/.package-lock.json");
        if (!Files.exists(root.resolve("node_modules/dynalite/cli.js"))) {
            return false;
        }
        // a root without its own lock borrows another's node_modules (a test's private root): nothing to compare
        return !Files.exists(lock) || Files.exists(installed)
                && Files.getLastModifiedTime(installed).compareTo(Files.getLastModifiedTime(lock)) >= 0;
    }

    private static void runNpmCi(Path root) {
        String npm = findOnPath("npm").orElseThrow(() ->
                new IllegalStateException("npm is required to install dynalite (package-lock.json) but 'npm' is not on PATH"));
        try {
            Process p = new ProcessBuilder(npm, "ci", "--no-audit", "--no-fund").directory(root.toFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("npm ci failed in " + root);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run npm ci: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during npm ci", e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
