package com.rackflow.inventory;

import com.rackflow.contracts.ContractService;
import com.rackflow.core.persistence.Table;

/** The production {@link HolderLookup}: a live contract, with its customer and owner, from the contract module. */
public final class ContractHolders {
    private ContractHolders() {
    }

    public static HolderLookup of(Table table) {
        ContractService contracts = new ContractService(table);
        return contractId -> contracts.find(contractId).filter(c -> c.deletedAt() == null)
                .map(c -> new AllocationHolder(c.contractId(), c.serial(), c.customerId(), c.customerCode(), c.ownerId(),
                        c.departmentId(), null));
    }
}
