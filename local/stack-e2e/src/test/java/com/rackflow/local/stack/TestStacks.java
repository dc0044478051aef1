package com.rackflow.local.stack;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Path;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import com.rackflow.local.dynalite.Dynalite;

/**
 * The local stacks of the end-to-end tests, from the repository's template.yaml with the demo data on free ports.
 *
 * <p>As a JUnit extension it gives a {@code @BeforeAll} method's {@link LocalStack} parameter: the test JVM's shared
 * stack, started by the first class that asks and serving every class after it with its functions' JVMs warm, or, for a
 * class marked {@link OwnStack}, a stack of its own with the options it names, closed after the class. Their functions
 * run on demand unless a class asks for SnapStart. Surefire runs
 * the classes of a fork one after another, each as a launch of its own, so the shared stack lives in a static holder and
 * is closed when the test JVM exits. Classes sharing it share its data: each makes its own records (unique names and
 * keys) and asserts on those, and none changes what another may rely on (demo users; a function's configuration is
 * changed only for the records one test makes, and set back before the test goes on).
 */
final class TestStacks implements ParameterResolver {
    static final Path TEMPLATE = Dynalite.repositoryRoot().resolve("template.yaml");

    /** A class that needs a stack with other options than the shared one gets one of its own. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @interface OwnStack {
        /** The Step Functions clock's scale (0.001: an hour passes in 3.6 s). */
        double timeScale() default 1.0;

        /** The functions under SnapStart, as the template declares them (the others run them on demand). */
        boolean snapStart() default false;
    }

    private static LocalStack shared;

    /**
     * template.yaml on free ports, in memory or in {@code dataDir}, its functions on demand (as invoking $LATEST):
     * SnapStart's priming in every function JVM of every stack was a third of these tests' time and changes how a
     * function starts, not what it answers; the classes that test SnapStart itself, and the browser journeys, run it.
     */
    static LocalStack.Options options(Path dataDir, boolean demoData, double timeScale) {
        return new LocalStack.Options(TEMPLATE, 0, dataDir, demoData, timeScale).onDemand();
    }

    /** The test JVM's stack with the demo data and the real clock, started on first use. */
    static synchronized LocalStack shared() {
        if (shared == null) {
            LocalStack started = LocalStack.start(options(null, true, 1.0));
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "shared-local-stack-stop"));
            shared = started;
        }
        return shared;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == LocalStack.class;
    }

    @Override
    public LocalStack resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        OwnStack own = testClass.getAnnotation(OwnStack.class);
        if (own == null) {
            return shared();
        }
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent()) {
            classContext = classContext.getParent().orElseThrow();
        }
        return classContext.getStore(ExtensionContext.Namespace.create(TestStacks.class, testClass))
                .getOrComputeIfAbsent("stack", k -> new Closing(LocalStack.start(own.snapStart()
                        ? new LocalStack.Options(TEMPLATE, 0, null, true, own.timeScale()) : options(null, true, own.timeScale()))), Closing.class)
                .stack();
    }

    /** A class's own stack, closed with the class's extension context. */
    private record Closing(LocalStack stack) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            stack.close();
        }
    }
}
