package com.rackflow.local.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import com.rackflow.local.stepfunctions.asl.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The local Step Functions as a process of its own, for kill -9 tests: {@code <data folder> <invocations file>
 * <block from>}. Its one function ("work") appends the {@code item} of each call to the invocations file and answers
 * {@code {"done": item * 10}}; calls with an item at or above {@code block from} never answer (they are in flight when
 * the process is killed). Prints {@code listening on <endpoint>} once it serves.
 */
public final class KillableStepFunctions {

    private KillableStepFunctions() {
    }

    public static void main(String[] args) throws InterruptedException {
        Path invocations = Path.of(args[1]);
        int blockFrom = Integer.parseInt(args[2]);
        LocalStepFunctions sfn = LocalStepFunctions.builder().dataFolder(Path.of(args[0])).timeScale(0.001)
                .lambdaInvoker((arn, payload) -> work(payload, invocations, blockFrom)).build().start();
        System.out.println("listening on " + sfn.endpoint());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    /** The "work" function: records the call, then answers (or, from {@code blockFrom} on, never does). */
    static byte[] work(byte[] payload, Path invocations, int blockFrom) {
        JsonNode in = Json.parse(new String(payload, StandardCharsets.UTF_8));
        int item = in.get("item").asInt();
        synchronized (KillableStepFunctions.class) {
            try {
                Files.writeString(invocations, item + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (item >= blockFrom) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return ("{\"done\":" + item * 10 + "}").getBytes(StandardCharsets.UTF_8);
    }
}
