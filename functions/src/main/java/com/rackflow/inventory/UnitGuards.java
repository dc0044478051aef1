package com.rackflow.inventory;

import com.rackflow.core.persistence.Items;
import com.rackflow.core.persistence.Key;
import com.rackflow.core.persistence.Table;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One guard item per allocatable unit (a U on one face of a rack, an uplink port, an IP address), written with a
 * conditional put naming the allocation that holds it: two allocations can never hold the same unit. A guard whose
 * allocation was released, or never came to exist (a crash between the guards and the record), is taken over.
 */
final class UnitGuards {
    static final Duration ORPHAN_GRACE = Duration.ofSeconds(60);

    private final Table table;
    private final InventoryStore store;

    UnitGuards(Table table, InventoryStore store) {
        this.table = table;
        this.store = store;
    }

    /** A unit to claim: its guard key and the attributes that describe it (u/face, port, address). */
    record Unit(Key key, Map<String, AttributeValue> describe) {
    }

    /** Claims every unit for the allocation or none; on a taken unit returns it and releases what was claimed. */
    Optional<Unit> claimAll(Allocation a, List<Unit> units) {
        List<Unit> claimed = new ArrayList<>();
        for (Unit u : units) {
            if (!claim(a, u)) {
                releaseAll(a.allocationId(), claimed);
                return Optional.of(u);
            }
            claimed.add(u);
        }
        return Optional.empty();
    }

    /** Claims one unit; false when another live allocation holds it. */
    boolean claim(Allocation a, Unit u) {
        Map<String, AttributeValue> item = guard(a, u, AllocationStatus.RESERVED);
        if (table.putIfAbsent(item)) {
            return true;
        }
        Map<String, AttributeValue> existing = table.get(u.key()).orElse(null);
        if (existing == null) {
            return claim(a, u);
        }
        String holder = existing.get("holderId").s();
        if (holder.equals(a.allocationId())) {
            return true;
        }
        return isOrphan(holder, existing) && table.putIfAttributeEquals(item, "holderId", holder);
    }

    private boolean isOrphan(String holder, Map<String, AttributeValue> guard) {
        Optional<Allocation> held = store.allocation(holder);
        if (held.isPresent()) {
            return held.get().status() == AllocationStatus.RELEASED;
        }
        return Instant.parse(guard.get("claimedAt").s()).plus(ORPHAN_GRACE).isBefore(Instant.now());
    }

    /** Sets the status shown on the allocation's guards (RESERVED → OCCUPIED); guards since taken over are left alone. */
    void mark(Allocation a, List<Unit> units, AllocationStatus status) {
        for (Unit u : units) {
            table.putIfAttributeEquals(guard(a, u, status), "holderId", a.allocationId());
        }
    }

    void releaseAll(String allocationId, List<Unit> units) {
        for (Unit u : units) {
            table.deleteIfAttributeEquals(u.key(), "holderId", allocationId);
        }
    }

    private static Map<String, AttributeValue> guard(Allocation a, Unit u, AllocationStatus status) {
        Map<String, AttributeValue> item = new HashMap<>(u.key().toMap());
        item.putAll(u.describe());
        item.put("holderId", Items.s(a.allocationId()));
        item.put("claimedAt", Items.s(Instant.now().toString()));
        item.put("status", Items.s(status.name()));
        item.put("contractId", Items.s(a.contractId()));
        item.put("customerId", Items.s(a.customerId()));
        item.put("customerCode", Items.s(a.customerCode()));
        return item;
    }
}
