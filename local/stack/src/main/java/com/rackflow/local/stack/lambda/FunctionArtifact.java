package com.rackflow.local.stack.lambda;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.rackflow.local.cloudformation.TemplateException;

/**
 * What {@code sam build} makes of a function's {@code CodeUri} and Lambda unpacks into {@code LAMBDA_TASK_ROOT}: the
 * classes at the root and the runtime dependencies in {@code lib/}. A CodeUri holding a Maven module ({@code pom.xml})
 * gives its built classes and the jars its build lists in {@code lambda-lib.classpath}; any other folder is taken as an
 * already built artifact.
 */
final class FunctionArtifact {

    /** The build output folder name of the Maven modules ({@code -Drf.build=...} in the root pom), default {@code target}. */
    static final String BUILD_FOLDER = System.getProperty("rackflow.build", "target");

    private FunctionArtifact() {
    }

    /**
     * The task root for {@code codeUri}; for a Maven module it is laid out under {@code workDir} with links to the
     * build's classes and jars (nothing is copied).
     */
    static Path taskRoot(Path codeUri, Path workDir) {
        if (!Files.isRegularFile(codeUri.resolve("pom.xml"))) {
            if (!Files.isDirectory(codeUri)) {
                throw new TemplateException("CodeUri " + codeUri + " is not a folder");
            }
            return codeUri;
        }
        Path build = codeUri.resolve(BUILD_FOLDER);
        Path classes = build.resolve("classes");
        Path libList = build.resolve("lambda-lib.classpath");
        if (!Files.isDirectory(classes) || !Files.isRegularFile(libList)) {
            throw new TemplateException("CodeUri " + codeUri + " is not built (no " + classes + " or " + libList
                    + "); build it with mvn -pl " + codeUri.getFileName() + " -am process-classes");
        }
        Path root = workDir.resolve("lambda-task").resolve(codeUri.getFileName().toString());
        try {
            deleteTree(root);
            Files.createDirectories(root.resolve("lib"));
            try (Stream<Path> entries = Files.list(classes)) {
                for (Path entry : (Iterable<Path>) entries::iterator) {
                    Files.createSymbolicLink(root.resolve(entry.getFileName().toString()), entry.toAbsolutePath());
                }
            }
            String jars = Files.readString(libList, StandardCharsets.UTF_8).trim();
            for (String jar : jars.isEmpty() ? new String[0] : jars.split(File.pathSeparator)) {
                Path jarPath = Path.of(jar);
                Files.createSymbolicLink(root.resolve("lib").resolve(jarPath.getFileName().toString()), jarPath.toAbsolutePath());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot lay out the task root " + root + ": " + e.getMessage(), e);
        }
        return root;
    }

    /**
     * The class path of the Java runtime itself (what Lambda keeps in /var/runtime): the runtime interface client and
     * its dependencies, found where this JVM loaded them from. Function code is never on it; the client loads that
     * from the task root.
     */
    static List<Path> runtimeClassPath() {
        List<Path> jars = new ArrayList<>();
        for (String type : List.of("com.amazonaws.services.lambda.runtime.api.client.AWSLambda",
                "com.amazonaws.services.lambda.runtime.Context",
                "com.amazonaws.services.lambda.runtime.serialization.PojoSerializer",
                "software.amazon.awssdk.utilslite.SdkInternalThreadLocal")) {
            try {
                Class<?> c = Class.forName(type, false, FunctionArtifact.class.getClassLoader());
                Path location = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
                if (!jars.contains(location)) {
                    jars.add(location);
                }
            } catch (ClassNotFoundException | URISyntaxException e) {
                throw new IllegalStateException("the Lambda runtime interface client is not on the stack's class path: " + type, e);
            }
        }
        return jars;
    }

    /**
     * The runtime interface client's JNI library, unpacked once into {@code workDir}. Left to itself the client unpacks
     * it to a fixed /tmp path at every start (in Lambda each environment has a /tmp of its own); environments starting
     * together here would overwrite the file another one is loading.
     */
    static Path nativeClientLibrary(Path workDir) {
        String arch = System.getProperty("os.arch").equals("aarch64") ? "aarch_64" : "x86_64";
        String name = "libaws-lambda-jni.linux-" + arch + ".so";
        Path target = workDir.resolve("lambda-runtime").resolve(name);
        try (var in = Class.forName("com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient", false,
                FunctionArtifact.class.getClassLoader()).getResourceAsStream("/jni/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the runtime interface client has no " + name);
            }
            Files.createDirectories(target.getParent());
            Path partial = Files.createTempFile(target.getParent(), name, ".part");
            Files.copy(in, partial, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("cannot unpack the runtime interface client's native library: " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
