package com.rackflow.core.persistence;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * An Idempotency-Key of a create request, handed to the create's {@link UnitOfWork}: the idempotency record (with
 * the answer: status and the record created) is written in the same transaction as the record, and the transaction's
 * ClientRequestToken is derived from it. Built by {@code core.http.Idempotency}.
 */
public final class IdempotencyClaim {
    private final Key key;
    private final String requestHash;
    private final long expiresAtEpochSecond;
    private final int status;
    private boolean written;

    public IdempotencyClaim(Key key, String requestHash, long expiresAtEpochSecond, int status) {
        this.key = key;
        this.requestHash = requestHash;
        this.expiresAtEpochSecond = expiresAtEpochSecond;
        this.status = status;
    }

    public Key key() {
        return key;
    }

    public String requestHash() {
        return requestHash;
    }

    public long expiresAtEpochSecond() {
        return expiresAtEpochSecond;
    }

    /** The status a replay answers with (201 for a create). */
    public int status() {
        return status;
    }

    /** Whether a unit of work carrying this claim committed. */
    public boolean written() {
        return written;
    }

    void markWritten() {
        written = true;
    }

    /**
     * DynamoDB's ClientRequestToken (1–36 characters) for the transaction: the same key and body give the same token,
     * so a retry by the SDK of a commit whose answer was lost is recognised by DynamoDB itself.
     */
    public String clientRequestToken() {
        return sha256(key.pk() + "\n" + requestHash).substring(0, 36);
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
