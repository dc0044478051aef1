package com.rackflow.local.stack.seed;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The demo departments and staff ({@code demo/staff.json}): two sales regions, maintenance, operations, an admin. */
public record DemoStaff(List<Department> departments, List<StaffMember> users) {

    public static DemoStaff load() {
        try (InputStream in = DemoStaff.class.getResourceAsStream("/demo/staff.json")) {
            if (in == null) {
                throw new IllegalStateException("demo/staff.json is missing from the classpath");
            }
            return new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readValue(in, DemoStaff.class);
        } catch (IOException e) {
            throw new IllegalStateException("demo/staff.json is not valid: " + e.getMessage(), e);
        }
    }

    public Optional<Department> department(String departmentId) {
        return departments.stream().filter(d -> d.departmentId().equals(departmentId)).findFirst();
    }

    public Optional<StaffMember> user(String userId) {
        return users.stream().filter(u -> u.userId().equals(userId)).findFirst();
    }
}
