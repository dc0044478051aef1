package com.rackflow.core.history;

import com.rackflow.access.Caller;

/** Who makes a change, as its history entry names them: a member of staff, or the system itself (role SYSTEM). */
public record Actor(String id, String role, String departmentId) {

    public static Actor of(Caller c) {
        return new Actor(c.userId(), c.role().name(), c.departmentId());
    }

    /** A flow or job acting on its own, e.g. {@code system:racking-flow}. */
    public static Actor system(String id) {
        return new Actor(id, "SYSTEM", null);
    }
}
