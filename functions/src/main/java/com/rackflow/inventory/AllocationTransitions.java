package com.rackflow.inventory;

import java.util.List;

import static com.rackflow.inventory.AllocationStatus.*;

/** The explicit transition table of allocations: RESERVED → OCCUPIED → RELEASED, or a reservation released unused. */
public final class AllocationTransitions {

    public record Transition(AllocationStatus from, AllocationStatus to) {
    }

    public static final List<Transition> TABLE = List.of(
            new Transition(RESERVED, OCCUPIED),
            new Transition(OCCUPIED, RELEASED),
            new Transition(RESERVED, RELEASED));

    private AllocationTransitions() {
    }

    public static boolean allowed(AllocationStatus from, AllocationStatus to) {
        return TABLE.stream().anyMatch(t -> t.from() == from && t.to() == to);
    }

    public static List<AllocationStatus> targets(AllocationStatus from) {
        return TABLE.stream().filter(t -> t.from() == from).map(Transition::to).toList();
    }
}
