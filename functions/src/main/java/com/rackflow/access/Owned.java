package com.rackflow.access;

/** What the access policy needs to know of a record: whose it is and which departments touched it. */
public interface Owned {
    String ownerId();

    String departmentId();

    default String createdByDepartmentId() {
        return null;
    }

    default String modifiedByDepartmentId() {
        return null;
    }
}
