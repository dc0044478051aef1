package com.rackflow.directory;

import com.rackflow.access.Owned;
import com.rackflow.access.Role;

/** A member of staff as the staff directory knows them; the authorizer takes role and department from here. */
public record StaffUser(String userId, String displayName, Role role, String departmentId, UserStatus status,
                        String email, long version, String createdAt, String updatedAt) implements Owned {

    /** For the access policy: a user "owns" their own directory entry. */
    @Override
    public String ownerId() {
        return userId;
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isActive() {
        return status == UserStatus.ACTIVE;
    }
}
