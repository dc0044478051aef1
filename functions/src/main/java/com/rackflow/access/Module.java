package com.rackflow.access;

import java.util.List;
import java.util.Optional;

/**
 * The API's modules, each owning one or more first path segments. The authorizer allows whole modules per role
 * (wildcard resources, so one cached policy serves every route of the role); handlers check records.
 */
public enum Module {
    CUSTOMERS("customers", "customer-imports"),
    /** Activities, and the follow-ups they set (待跟进). */
    ACTIVITIES("activities", "follow-ups"),
    CONTRACTS("contracts"),
    PICKERS("pickers"),
    SERVICE_RECORDS("service-records"),
    RACKING("racking-flows"),
    TERMINATIONS("terminations"),
    /** The inbox: flow work items, and reminders (e.g. contracts about to expire) for their owner. */
    WORK_ITEMS("work-items", "reminders"),
    INVENTORY("sites", "rooms", "racks", "ip-prefixes", "allocations"),
    REPORTS("reports"),
    DIRECTORY("directory"),
    STAFF_DEPARTURES("staff-departures");

    private final List<String> pathRoots;

    Module(String... pathRoots) {
        this.pathRoots = List.of(pathRoots);
    }

    public List<String> pathRoots() {
        return pathRoots;
    }

    /** The module a request path such as {@code /customers/123/history} belongs to. */
    public static Optional<Module> ofPath(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        int slash = p.indexOf('/');
        String root = slash < 0 ? p : p.substring(0, slash);
        for (Module m : values()) {
            if (m.pathRoots.contains(root)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
