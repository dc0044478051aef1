package com.rackflow.inventory;

import com.rackflow.core.persistence.Items;
import com.rackflow.core.persistence.Key;
import com.rackflow.core.persistence.Table;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One guard item per allocatable unit (a U on one face of a rack, an uplink port, an IP address) naming the allocation
 * that holds it: claimed in the allocation's unit of work (written only if free or already the allocation's), so two
 * allocations can never hold the same unit and no guard exists without its allocation. A status move writes the record
 * first, then its guards follow (OCCUPIED mark, RELEASED delete): a move may hold more guards than one transaction
 * (a /24 of addresses), and a retried move finishes what a crash left.
 */
final class UnitGuards {
    private final Table table;
    private final InventoryStore store;

    UnitGuards(Table table, InventoryStore store) {
        this.table = table;
        this.store = store;
    }

    /** A unit to claim: its guard key and the attributes that describe it (u/face, port, address). */
    record Unit(Key key, Map<String, AttributeValue> describe) {
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

    /** The guard item of one unit held by the allocation (claimed in the allocation's unit of work). */
    static Map<String, AttributeValue> guard(Allocation a, Unit u, AllocationStatus status) {
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
