package com.rackflow.core.persistence;

/**
 * A create's unit of work found its Idempotency-Key already answered (a concurrent or earlier request with the same
 * key committed first): nothing was written; the caller answers with that request's record instead.
 */
public final class IdempotentReplay extends RuntimeException {
    private final String recordType;
    private final String recordId;

    public IdempotentReplay(String recordType, String recordId) {
        super("Idempotency-Key already answered with " + recordType + " " + recordId, null, false, false);
        this.recordType = recordType;
        this.recordId = recordId;
    }

    public String recordType() {
        return recordType;
    }

    public String recordId() {
        return recordId;
    }
}
