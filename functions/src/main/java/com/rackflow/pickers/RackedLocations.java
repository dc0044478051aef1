package com.rackflow.pickers;

import com.rackflow.contracts.ContractService.ContractRef;
import com.rackflow.contracts.ContractStatus;
import com.rackflow.core.http.ApiException;
import com.rackflow.core.persistence.Table;
import com.rackflow.inventory.Allocation;
import com.rackflow.inventory.AllocationKind;
import com.rackflow.inventory.AllocationService;
import com.rackflow.inventory.AllocationStatus;
import com.rackflow.inventory.InventoryService;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Where a customer's equipment is racked: the occupied U ranges of its ACTIVE contracts, e.g. {@code A12 U10-U12}. */
final class RackedLocations {
    private final AllocationService allocations;
    private final InventoryService inventory;

    RackedLocations(Table table) {
        this.allocations = new AllocationService(table);
        this.inventory = new InventoryService(table);
    }

    /** One picker page's lookups share the rack names they read. */
    List<String> of(List<ContractRef> contracts, Map<String, String> rackNames) {
        List<String> out = new ArrayList<>();
        for (ContractRef c : contracts) {
            if (c.status() != ContractStatus.ACTIVE) {
                continue;
            }
            for (Allocation a : allocations.ofContract(c.contractId())) {
                if (a.kind() == AllocationKind.RACK_UNITS && a.status() == AllocationStatus.OCCUPIED) {
                    String rack = rackNames.computeIfAbsent(a.rackId(), this::rackName);
                    out.add(rack + " U" + a.uFrom() + (a.uTo().equals(a.uFrom()) ? "" : "-U" + a.uTo()));
                }
            }
        }
        return out;
    }

    private String rackName(String rackId) {
        try {
            return inventory.rack(rackId).name();
        } catch (ApiException e) {
            return rackId;
        }
    }

    static Map<String, String> cache() {
        return new HashMap<>();
    }
}
