package com.rackflow.core.records;

/** What a system move of a record from one owner to another found (staff departure; safe to retry). */
public enum Reassignment {
    /** Moved now. */
    MOVED,
    /** The new owner had it already: an earlier attempt moved it. */
    ALREADY_MOVED,
    /** Missing, or owned by someone else now: left alone. */
    NOT_OWNED;

    /** A record changed concurrently is re-read and moved again this many times before giving up. */
    public static final int ATTEMPTS = 5;

    /** MOVED means "may be moved": the current owner is still {@code from}. */
    public static Reassignment of(String currentOwnerId, String fromOwnerId, String toOwnerId) {
        if (currentOwnerId == null) {
            return NOT_OWNED;
        }
        if (currentOwnerId.equals(fromOwnerId)) {
            return MOVED;
        }
        return currentOwnerId.equals(toOwnerId) ? ALREADY_MOVED : NOT_OWNED;
    }
}
