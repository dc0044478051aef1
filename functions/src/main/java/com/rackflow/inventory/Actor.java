package com.rackflow.inventory;

import com.rackflow.access.Caller;

/** Who does something, for history: a member of staff, or a flow acting on its own (role SYSTEM). */
public record Actor(String id, String role, String departmentId) {

    public static Actor of(Caller c) {
        return new Actor(c.userId(), c.role().name(), c.departmentId());
    }

    /** A flow step, e.g. {@code system:racking-flow}. */
    public static Actor system(String id) {
        return new Actor(id, "SYSTEM", null);
    }
}
