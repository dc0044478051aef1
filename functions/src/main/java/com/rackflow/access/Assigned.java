package com.rackflow.access;

/** A piece of work assigned to a person, or to a role within a department, possibly escalated to a manager. */
public interface Assigned extends Owned {
    String assigneeId();

    Role assigneeRole();

    String assigneeDepartmentId();

    String escalatedTo();
}
