package com.rackflow.core.history;

import com.rackflow.access.Caller;

/**
 * Who makes a change, as its history entry names them: a member of staff (with their name as the directory had it at
 * the change, so the trail reads as it happened), or the system itself (role SYSTEM, no name).
 */
public record Actor(String id, String role, String departmentId, String name) {

    public Actor(String id, String role, String departmentId) {
        this(id, role, departmentId, null);
    }

    public static Actor of(Caller c) {
        return new Actor(c.userId(), c.role().name(), c.departmentId(), c.displayName());
    }

    /** A flow or job acting on its own, e.g. {@code system:racking-flow}. */
    public static Actor system(String id) {
        return new Actor(id, "SYSTEM", null, null);
    }
}
