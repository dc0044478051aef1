package com.rackflow.core.persistence;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Uniqueness without transactions: each unique value is a guard item written with a conditional put, naming the
 * record that holds it. Claims are all-or-nothing (what was claimed is released when one is taken). A guard whose
 * holder never came to exist (a crash between claim and record write) is taken over after a grace period.
 * <p>
 * Superseded by {@link UnitOfWork#claim} (the guard and its holder in one transaction: no orphans to take over); kept
 * only for the modules not yet moved onto the unit of work.
 */
@Deprecated
public final class UniqueValues {
    private static final Duration ORPHAN_GRACE = Duration.ofSeconds(60);

    private final Table table;

    public UniqueValues(Table table) {
        this.table = table;
    }

    public record Claim(String kind, String value) {
        Key key() {
            return Keys.guard(kind, value);
        }
    }

    /** A value already held by another record. */
    public record Taken(Claim claim, String holderId) {
    }

    /**
     * Claims every value for {@code holderId}, or none. {@code holderExists} tells whether a holder record exists
     * (to recognise orphaned guards).
     */
    public Optional<Taken> claimAll(String holderId, Collection<Claim> claims, Predicate<String> holderExists) {
        List<Claim> claimed = new ArrayList<>();
        for (Claim c : claims) {
            Optional<String> other = claim(holderId, c, holderExists);
            if (other.isPresent()) {
                releaseAll(holderId, claimed);
                return Optional.of(new Taken(c, other.get()));
            }
            claimed.add(c);
        }
        return Optional.empty();
    }

    /** Who holds the value, if anyone. */
    public Optional<String> holder(Claim c) {
        return table.get(c.key()).map(i -> i.get("holderId").s());
    }

    private Optional<String> claim(String holderId, Claim c, Predicate<String> holderExists) {
        Map<String, AttributeValue> item = new HashMap<>(c.key().toMap());
        item.put("holderId", Items.s(holderId));
        item.put("claimedAt", Items.s(Instant.now().toString()));
        if (table.putIfAbsent(item)) {
            return Optional.empty();
        }
        Map<String, AttributeValue> existing = table.get(c.key()).orElse(null);
        if (existing == null) {
            return claim(holderId, c, holderExists);
        }
        String current = existing.get("holderId").s();
        if (current.equals(holderId)) {
            return Optional.empty();
        }
        boolean orphan = Instant.parse(existing.get("claimedAt").s()).plus(ORPHAN_GRACE).isBefore(Instant.now())
                && !holderExists.test(current);
        if (orphan && table.putIfAttributeEquals(item, "holderId", current)) {
            return Optional.empty();
        }
        return Optional.of(current);
    }

    /** Releases values still held by {@code holderId}; values since taken by others are left alone. */
    public void releaseAll(String holderId, Collection<Claim> claims) {
        for (Claim c : claims) {
            table.deleteIfAttributeEquals(c.key(), "holderId", holderId);
        }
    }
}
