package com.rackflow.inventory;

import java.util.Optional;

/** Finds whom allocations for a contract are for (customer, owner); empty when the contract does not exist. */
@FunctionalInterface
public interface HolderLookup {
    Optional<AllocationHolder> forContract(String contractId);
}
