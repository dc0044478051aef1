package com.rackflow.customers;

import java.util.List;
import java.util.Optional;

import static com.rackflow.customers.CustomerStatus.*;

/** The explicit transition table of the customer pipeline: from, to, and who may make the move. */
public final class CustomerTransitions {

    /** Who moves a customer: staff through the API, a manager (reopen), or one of the flows. */
    public enum Mover {
        STAFF, MANAGER, RACKING_FLOW, TERMINATION_FLOW
    }

    public record Transition(CustomerStatus from, CustomerStatus to, Mover by) {
    }

    public static final List<Transition> TABLE = List.of(
            new Transition(ENTERED, CONTACTED, Mover.STAFF),
            new Transition(CONTACTED, NEGOTIATING, Mover.STAFF),
            new Transition(NEGOTIATING, SIGNED, Mover.STAFF),
            new Transition(ENTERED, LOST, Mover.STAFF),
            new Transition(CONTACTED, LOST, Mover.STAFF),
            new Transition(NEGOTIATING, LOST, Mover.STAFF),
            new Transition(LOST, ENTERED, Mover.MANAGER),
            new Transition(LOST, CONTACTED, Mover.MANAGER),
            new Transition(LOST, NEGOTIATING, Mover.MANAGER),
            new Transition(SIGNED, IN_SERVICE, Mover.RACKING_FLOW),
            new Transition(IN_SERVICE, TERMINATED, Mover.TERMINATION_FLOW),
            new Transition(SIGNED, TERMINATED, Mover.TERMINATION_FLOW));

    private CustomerTransitions() {
    }

    public static Optional<Transition> find(CustomerStatus from, CustomerStatus to) {
        return TABLE.stream().filter(t -> t.from() == from && t.to() == to).findFirst();
    }

    /** May this mover make the move? A manager may also do what staff may. */
    public static boolean allowed(CustomerStatus from, CustomerStatus to, Mover mover) {
        return find(from, to).map(t -> t.by() == mover || (t.by() == Mover.STAFF && mover == Mover.MANAGER)).orElse(false);
    }

    /** The statuses this mover may move a customer to from {@code from}. */
    public static List<CustomerStatus> targets(CustomerStatus from, Mover mover) {
        return TABLE.stream().filter(t -> t.from() == from && allowed(from, t.to(), mover)).map(Transition::to).toList();
    }
}
