package com.rackflow.local.stack.seed;

public record StaffMember(String userId, String displayName, Role role, String departmentId, StaffStatus status,
                          String email) {
}
