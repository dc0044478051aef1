package com.rackflow.servicerecords;

import java.util.List;

import static com.rackflow.servicerecords.ServiceStatus.*;

/** The explicit transition table of a service record, and which moves need a written reason. */
public final class ServiceTransitions {

    public record Transition(ServiceStatus from, ServiceStatus to, boolean needsReason) {
    }

    public static final List<Transition> TABLE = List.of(
            new Transition(OPEN, IN_PROGRESS, false),
            new Transition(OPEN, CANCELLED, true),
            new Transition(IN_PROGRESS, RESOLVED, true),
            // the customer reports the problem is back: reopen
            new Transition(RESOLVED, IN_PROGRESS, true),
            new Transition(RESOLVED, CLOSED, false));

    private ServiceTransitions() {
    }

    public static java.util.Optional<Transition> find(ServiceStatus from, ServiceStatus to) {
        return TABLE.stream().filter(t -> t.from() == from && t.to() == to).findFirst();
    }

    public static List<ServiceStatus> targets(ServiceStatus from) {
        return TABLE.stream().filter(t -> t.from() == from).map(Transition::to).toList();
    }
}
