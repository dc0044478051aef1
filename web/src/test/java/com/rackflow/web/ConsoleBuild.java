package com.rackflow.web;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Builds the console with web/build.sh (a no-op when its sources are unchanged), as local/start.sh does. */
final class ConsoleBuild {

    private ConsoleBuild() {
    }

    static synchronized void ensureBuilt(Path root) throws Exception {
        Process build = new ProcessBuilder("bash", root.resolve("web/build.sh").toString()).directory(root.resolve("web").toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
        if (!build.waitFor(10, TimeUnit.MINUTES) || build.exitValue() != 0) {
            throw new IllegalStateException("web/build.sh failed (exit " + (build.isAlive() ? "timeout" : build.exitValue()) + ")");
        }
    }

    /** Runs a command in web/ and returns its exit code. */
    static int run(Path root, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(root.resolve("web").toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
