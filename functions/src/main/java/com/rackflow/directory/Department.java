package com.rackflow.directory;

/** A department: a sales region, maintenance, operations or management, with its manager. */
public record Department(String departmentId, String name, String nameZh, DepartmentKind kind, String managerId, long version) {
}
