package com.rackflow.access;

/**
 * How far a caller's view of one kind of record reaches. Decided only by {@link AccessPolicy};
 * list queries pick their index from it, single-record reads test {@link #includes}.
 */
public sealed interface Scope {

    boolean includes(Owned record);

    /** Every record (admin; maintenance for service records). */
    record All() implements Scope {
        @Override
        public boolean includes(Owned record) {
            return true;
        }
    }

    /** Records of one department: owned by, created by or last changed by a member. */
    record Department(String departmentId) implements Scope {
        @Override
        public boolean includes(Owned record) {
            return departmentId.equals(record.departmentId())
                    || (record.createdByDepartmentId() != null && departmentId.equals(record.createdByDepartmentId()))
                    || (record.modifiedByDepartmentId() != null && departmentId.equals(record.modifiedByDepartmentId()));
        }
    }

    /** Records one person owns. */
    record Owner(String userId) implements Scope {
        @Override
        public boolean includes(Owned record) {
            return userId.equals(record.ownerId());
        }
    }

    /** Nothing of this kind. */
    record None() implements Scope {
        @Override
        public boolean includes(Owned record) {
            return false;
        }
    }
}
