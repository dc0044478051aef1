package com.rackflow.access;

/** The verified identity behind a request, as the authorizer established it from the token and the staff directory. */
public record Caller(String userId, Role role, String departmentId) {

    public boolean is(Role r) {
        return role == r;
    }
}
