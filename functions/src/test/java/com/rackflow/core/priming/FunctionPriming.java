package com.rackflow.core.priming;

import java.util.List;

/**
 * A function JVM's SnapStart priming, as the runtime runs it, for {@link FunctionPrimingTest}: each handler built with
 * its no-arg constructor (configured through the environment, as Lambda configures it), then the steps it registered
 * run, each failure printed instead of logged. Prints {@code PRIMED <handler> <steps>} per handler, {@code FAILED ...}
 * per failing step (then exits 1).
 */
public final class FunctionPriming {
    public static void main(String[] handlers) throws Exception {
        boolean failed = false;
        for (String handler : handlers) {
            int before = Priming.REGISTERED.size();
            Class.forName(handler).getDeclaredConstructor().newInstance();
            List<Priming> steps = List.copyOf(Priming.REGISTERED.subList(before, Priming.REGISTERED.size()));
            for (Priming step : steps) {
                try {
                    step.work.run();
                } catch (RuntimeException | LinkageError e) {
                    System.out.println("FAILED " + handler + " " + step.name + ": " + e);
                    failed = true;
                }
            }
            System.out.println("PRIMED " + handler + " " + steps.stream().map(s -> s.name).toList());
        }
        System.exit(failed ? 1 : 0);
    }
}
