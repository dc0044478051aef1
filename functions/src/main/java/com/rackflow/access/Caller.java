package com.rackflow.access;

/** The verified identity behind a request, as the authorizer established it from the token and the staff directory. */
public record Caller(String userId, Role role, String departmentId, String displayName) {

    /** A caller whose name is not known here (shown by user id where a name would be). */
    public Caller(String userId, Role role, String departmentId) {
        this(userId, role, departmentId, null);
    }

    public boolean is(Role r) {
        return role == r;
    }
}
