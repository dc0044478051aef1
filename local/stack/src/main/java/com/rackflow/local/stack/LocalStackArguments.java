package com.rackflow.local.stack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The command line of {@code local/start.sh}, checked before anything is built: {@code start.sh} runs this file with
 * the JDK's source launcher (so it uses the JDK alone), and the stack parses its arguments with it again.
 */
public final class LocalStackArguments {

    public static final String USAGE = """
            usage: local/start.sh [--port 3000] [--persist] [--no-demo-data] [--max-instances 3] [--on-demand] [--template template.yaml]
              --port N           API and token endpoint port (DynamoDB uses N+1, Step Functions N+2, the console N+3, S3 N+4)
              --persist          keep data (and the token signing key) in .local-data/ across restarts
              --no-demo-data     start with empty tables
              --max-instances N  execution environments (JVMs) one function may scale out to (1 to 50)
              --on-demand        every function as an on-demand environment, as invoking $LATEST: no SnapStart
                                 hooks (no priming), so each function's first start is quicker and its first
                                 requests slower
            """;
    /** Ports from {@code --port} on that the stack uses. */
    public static final int PORTS = 5;
    public static final int DEFAULT_MAX_INSTANCES = 3;

    /** @param dataDir the --persist folder, or null */
    public record Parsed(int port, Path dataDir, boolean demoData, Path template, int maxInstances, boolean snapStart,
                         boolean help) {
    }

    /** A bad command line (exit status 2, with the usage). */
    public static final class BadArguments extends IllegalArgumentException {
        BadArguments(String message) {
            super(message);
        }
    }

    private LocalStackArguments() {
    }

    public static Parsed parse(String[] args, Path root) {
        int port = 3000;
        boolean persist = false;
        boolean demo = true;
        boolean help = false;
        boolean snapStart = true;
        int maxInstances = DEFAULT_MAX_INSTANCES;
        Path template = root.resolve("template.yaml");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = number("--port", args, ++i, 0, 65535 - (PORTS - 1));
                case "--max-instances" -> maxInstances = number("--max-instances", args, ++i, 1, 50);
                case "--persist" -> persist = true;
                case "--no-demo-data" -> demo = false;
                case "--on-demand" -> snapStart = false;
                case "-h", "--help" -> help = true;
                case "--template" -> {
                    if (i + 1 >= args.length) {
                        throw new BadArguments("--template needs a file");
                    }
                    template = Path.of(args[++i]).toAbsolutePath();
                }
                default -> throw new BadArguments("unknown option '" + args[i] + "'");
            }
        }
        if (!help && !Files.isRegularFile(template)) {
            throw new BadArguments("no template at " + template);
        }
        return new Parsed(port, persist ? root.resolve(".local-data") : null, demo, template, maxInstances, snapStart, help);
    }

    private static int number(String option, String[] args, int i, int min, int max) {
        if (i >= args.length) {
            throw new BadArguments(option + " needs a number");
        }
        int value;
        try {
            value = Integer.parseInt(args[i]);
        } catch (NumberFormatException e) {
            throw new BadArguments(option + " needs a whole number, got '" + args[i] + "'");
        }
        if (value < min || value > max) {
            throw new BadArguments(option + " must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    /** Fails naming the first port of {@code port}..{@code port}+3 that something listens on. */
    public static void requirePortsFree(int port) {
        for (int p = port; p < port + PORTS; p++) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), p));
            } catch (IOException e) {
                throw new IllegalStateException("port " + p + " is already in use (the stack needs ports " + port + " to "
                        + (port + PORTS - 1) + "); stop what uses it or choose another port with --port");
            }
        }
    }

    /**
     * The --persist folder, held by one stack at a time: a lock on {@code stack.lock} in it, whose text says which
     * stack holds it.
     */
    public static final class DataFolderLock implements AutoCloseable {
        private final FileChannel channel;
        private final FileLock lock;

        private DataFolderLock(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }

        /** Takes the folder for this process, or fails naming the folder and the stack that has it. */
        public static DataFolderLock take(Path dataDir, int apiPort) {
            try {
                Files.createDirectories(dataDir);
                FileChannel channel = FileChannel.open(dataDir.resolve("stack.lock"), StandardOpenOption.CREATE,
                        StandardOpenOption.READ, StandardOpenOption.WRITE);
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null;
                }
                if (lock == null) {
                    String holder = new String(Files.readAllBytes(dataDir.resolve("stack.lock")), StandardCharsets.UTF_8).trim();
                    channel.close();
                    throw new IllegalStateException(inUse(dataDir, holder));
                }
                channel.truncate(0);
                channel.write(ByteBuffer.wrap(describe(ProcessHandle.current().pid(), apiPort).getBytes(StandardCharsets.UTF_8)), 0);
                channel.force(true);
                return new DataFolderLock(channel, lock);
            } catch (IOException e) {
                throw new IllegalStateException("cannot use the data folder " + dataDir + ": " + e.getMessage(), e);
            }
        }

        /** Whether a running stack holds the folder, and which: for a check before anything starts. */
        public static Optional<String> holder(Path dataDir) {
            Path file = dataDir.resolve("stack.lock");
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                FileLock probe;
                try {
                    probe = channel.tryLock();
                } catch (OverlappingFileLockException heldHere) {
                    probe = null;
                }
                if (probe != null) {
                    probe.release();
                    return Optional.empty();
                }
                return Optional.of(inUse(dataDir, Files.readString(file, StandardCharsets.UTF_8).trim()));
            } catch (IOException e) {
                return Optional.empty();
            }
        }

        private static String describe(long pid, int apiPort) {
            return "pid " + pid + ", API port " + apiPort + ", DynamoDB port " + (apiPort + 1) + ", Step Functions port "
                    + (apiPort + 2) + ", console port " + (apiPort + 3) + ", S3 port " + (apiPort + 4);
        }

        private static String inUse(Path dataDir, String holder) {
            return "the data folder " + dataDir + " is in use by another local stack (" + (holder.isEmpty() ? "starting" : holder)
                    + "); stop that one first, or start without --persist";
        }

        @Override
        public void close() {
            try {
                lock.release();
                channel.close();
            } catch (IOException e) {
                // the lock goes with the process anyway
            }
        }
    }

    /**
     * {@code local/start.sh}'s check before the build: exit 0 when the stack may start; 2 with the usage for a bad
     * command line; 1 for a taken port or a data folder in use. The repository root is the working directory.
     */
    public static void main(String[] args) {
        Parsed parsed;
        try {
            parsed = parse(args, Path.of("").toAbsolutePath());
        } catch (BadArguments e) {
            System.err.println("rackflow: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        if (parsed.help()) {
            System.out.print(USAGE);
            System.exit(3);
        }
        try {
            if (parsed.dataDir() != null) {
                holder(parsed.dataDir());
            }
            if (parsed.port() != 0) {
                requirePortsFree(parsed.port());
            }
        } catch (IllegalStateException e) {
            System.err.println("rackflow: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void holder(Path dataDir) {
        DataFolderLock.holder(dataDir).ifPresent(message -> {
            throw new IllegalStateException(message);
        });
    }
}
