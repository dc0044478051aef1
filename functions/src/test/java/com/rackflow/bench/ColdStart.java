package com.rackflow.bench;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One fresh JVM, as Lambda's runtime would drive the handler: build it (no-arg constructor) and answer one event.
 * Prints {@code COLD_START_MS} (JVM start → first answer) and {@code INIT_MS} (JVM start → handler built).
 * <ul>
 * <li>{@code hello}: prints only the JVM start → main figure (the machine's baseline);</li>
 * <li>{@code <handler class> <event file>}: a {@link RequestStreamHandler} gets the bytes, a {@link RequestHandler}
 * (the peer's) the event deserialized by the Lambda runtime's own serializers, as the runtime interface client does;</li>
 * <li>{@code --primed <handler class> <event file> <warm invokes>}: SnapStart's lifecycle first (the registered
 * {@code beforeCheckpoint} hooks run, as the local Lambda runtime runs them), then {@code FIRST_AFTER_PRIMING_MS}
 * for the first real request and {@code WARM_P50_MS} / {@code WARM_P99_MS} over the warm invokes after it.</li>
 * </ul>
 * Uses nothing of the functions beyond what their class path holds (the peer runs it on its own class path).
 */
public final class ColdStart {
    public static void main(String[] args) throws Exception {
        if (args[0].equals("hello")) {
            System.out.println("COLD_START_MS=" + sinceJvmStart());
            System.exit(0);
        }
        boolean primed = args[0].equals("--primed");
        int a = primed ? 1 : 0;
        byte[] event = Files.readAllBytes(Path.of(args[a + 1]));
        Object handler = Class.forName(args[a]).getDeclaredConstructor().newInstance();
        System.out.println("INIT_MS=" + sinceJvmStart());
        if (!primed) {
            invoke(handler, event);
            System.out.println("COLD_START_MS=" + sinceJvmStart());
            System.out.println("CLASSES_MS=" + ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount());
            System.exit(0);
        }
        runBeforeCheckpointHooks();
        System.out.println("PRIMED_AT_MS=" + sinceJvmStart());
        long t0 = System.nanoTime();
        invoke(handler, event);
        System.out.printf("FIRST_AFTER_PRIMING_MS=%.2f%n", (System.nanoTime() - t0) / 1e6);
        int warm = Integer.parseInt(args[a + 2]);
        long[] nanos = new long[warm];
        for (int i = 0; i < warm; i++) {
            long s = System.nanoTime();
            invoke(handler, event);
            nanos[i] = System.nanoTime() - s;
        }
        java.util.Arrays.sort(nanos);
        System.out.printf("WARM_P50_MS=%.2f%n", nanos[warm / 2] / 1e6);
        System.out.printf("WARM_P99_MS=%.2f%n", nanos[(int) (warm * 0.99)] / 1e6);
        System.exit(0);
    }

    static long sinceJvmStart() {
        return System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
    }

    /**
     * As the Java runtime does under SnapStart: org.crac is bridged to the runtime's own implementation
     * ({@code -Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac}), whose global context runs every registered
     * resource's beforeCheckpoint.
     */
    static void runBeforeCheckpointHooks() throws Exception {
        Class<?> core;
        try {
            core = Class.forName("com.amazonaws.services.lambda.crac.Core");
        } catch (ClassNotFoundException e) {
            return; // no runtime bridge on the class path: nothing can have registered
        }
        Object context = core.getMethod("getGlobalContext").invoke(null);
        Method before = Class.forName("com.amazonaws.services.lambda.crac.Resource").getMethod("beforeCheckpoint",
                Class.forName("com.amazonaws.services.lambda.crac.Context"));
        before.setAccessible(true);
        try {
            before.invoke(context, new Object[] {null});
        } catch (java.lang.reflect.InvocationTargetException e) {
            // the hooks ran; then the runtime flushes its DNS cache through its JNI library, absent here
            if (!(e.getCause() instanceof UnsatisfiedLinkError)) {
                throw e;
            }
            System.gc();
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static void invoke(Object handler, byte[] event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (handler instanceof RequestStreamHandler h) {
            h.handleRequest(new ByteArrayInputStream(event), out, null);
            return;
        }
        // the runtime interface client's way for a POJO handler: its event serializers in, its POJO serializer out
        Class<?> inType = Object.class;
        Class<?> outType = Object.class;
        for (Type t : handler.getClass().getGenericInterfaces()) {
            if (t instanceof ParameterizedType p && p.getRawType() == RequestHandler.class) {
                inType = (Class<?>) p.getActualTypeArguments()[0];
                outType = (Class<?>) p.getActualTypeArguments()[1];
            }
        }
        Class<?> serializers = Class.forName("com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers");
        Method serializerFor = serializers.getMethod("serializerFor", Class.class, ClassLoader.class);
        Object in = serializerFor.invoke(null, inType, handler.getClass().getClassLoader());
        Class<?> pojo = Class.forName("com.amazonaws.services.lambda.runtime.serialization.PojoSerializer");
        Object request = pojo.getMethod("fromJson", java.io.InputStream.class).invoke(in, new ByteArrayInputStream(event));
        Object response = ((RequestHandler) handler).handleRequest(request, null);
        Object outSerializer = serializerFor.invoke(null, outType, handler.getClass().getClassLoader());
        pojo.getMethod("toJson", Object.class, java.io.OutputStream.class).invoke(outSerializer, response, out);
    }
}
