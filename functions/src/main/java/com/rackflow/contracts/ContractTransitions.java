package com.rackflow.contracts;

import java.util.List;
import java.util.Optional;

import static com.rackflow.contracts.ContractStatus.*;

/** The explicit transition table of a contract: from, to, and who may make the move. */
public final class ContractTransitions {

    /** Who moves a contract: its owner through the API, a manager, or a flow/job (termination flow, expiry). */
    public enum Mover {
        STAFF, MANAGER, SYSTEM
    }

    public record Transition(ContractStatus from, ContractStatus to, Mover by) {
    }

    public static final List<Transition> TABLE = List.of(
            new Transition(DRAFT, ACTIVE, Mover.STAFF),
            new Transition(DRAFT, VOID, Mover.STAFF),
            new Transition(ACTIVE, EXPIRED, Mover.STAFF),
            // ending a running contract early is a manager's decision (or the termination flow's)
            new Transition(ACTIVE, TERMINATED, Mover.MANAGER));

    private ContractTransitions() {
    }

    public static Optional<Transition> find(ContractStatus from, ContractStatus to) {
        return TABLE.stream().filter(t -> t.from() == from && t.to() == to).findFirst();
    }

    /** A manager may also do what staff may; the system may make every move of the table. */
    public static boolean allowed(ContractStatus from, ContractStatus to, Mover mover) {
        return find(from, to).map(t -> t.by() == mover || mover == Mover.SYSTEM
                || (t.by() == Mover.STAFF && mover == Mover.MANAGER)).orElse(false);
    }

    public static List<ContractStatus> targets(ContractStatus from, Mover mover) {
        return TABLE.stream().filter(t -> t.from() == from && allowed(from, t.to(), mover)).map(Transition::to).toList();
    }

    /** Statuses whose reason is required. */
    static boolean needsReason(ContractStatus to) {
        return to == TERMINATED || to == VOID;
    }
}
