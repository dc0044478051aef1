package com.rackflow.core.records;

import com.rackflow.access.Owned;

/**
 * A record kept the way every CRM record is kept: owned (for the access policy), stamped with who created and last
 * changed it, versioned, soft-deletable. The stamps are plain record components with these names, so
 * {@link Stamps} can set them on any such record.
 */
public interface Audited extends Owned {
    /** The record's id (its own component is named after the record, e.g. {@code contractId}). */
    String recordId();

    String createdAt();

    long version();

    String deletedAt();
}
