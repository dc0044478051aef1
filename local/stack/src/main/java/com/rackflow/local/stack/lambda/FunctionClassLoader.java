package com.rackflow.local.stack.lambda;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads the functions' classes apart from the stack's, like a Lambda execution environment: static state (SDK
 * clients built once per container, caches) belongs to one stack run, so a second stack in the same JVM (tests)
 * never sees clients bound to the first one's endpoints. Only the Lambda runtime interfaces are shared with the stack.
 */
final class FunctionClassLoader extends URLClassLoader {

    private static final String RUNTIME_PACKAGE = "com.amazonaws.services.lambda.runtime.";

    static {
        registerAsParallelCapable();
    }

    private final ClassLoader stack;

    private FunctionClassLoader(URL[] urls, ClassLoader stack) {
        super("rackflow-functions", urls, ClassLoader.getPlatformClassLoader());
        this.stack = stack;
    }

    /** Over the JVM's class path (jar manifests' Class-Path entries included), sharing the runtime API with {@code stack}. */
    static FunctionClassLoader overClassPath(ClassLoader stack) {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            try {
                urls.add(Path.of(entry).toUri().toURL());
            } catch (MalformedURLException e) {
                throw new IllegalStateException("class path entry is not a file: " + entry, e);
            }
        }
        return new FunctionClassLoader(urls.toArray(URL[]::new), stack);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (name.startsWith(RUNTIME_PACKAGE)) {
            return stack.loadClass(name);
        }
        return super.loadClass(name, resolve);
    }
}
