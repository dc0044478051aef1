package com.rackflow.local.stack.seed;

public record Department(String departmentId, String name, String nameZh, DepartmentKind kind, String managerId) {
}
