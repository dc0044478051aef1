package com.rackflow.flows;

import com.rackflow.contracts.ContractService;
import com.rackflow.core.persistence.Table;
import com.rackflow.core.persistence.UnitOfWork;
import com.rackflow.racking.RackingFlow;
import com.rackflow.terminations.Termination;
import com.rackflow.workitems.FlowStore;
import com.rackflow.workitems.FlowType;

/**
 * A contract's racking and termination flows that its previous owner owned follow it to its new owner, in the
 * contract's own unit of work: whoever has the contract tracks its flows (their scope is the owner's), and a crash
 * moves both or neither. Used by a manager's reassignment and by a staff departure alike.
 */
public final class ContractFlows implements ContractService.OwnerFollowers {
    private final FlowStore<RackingFlow> racking;
    private final FlowStore<Termination> terminations;

    public ContractFlows(Table table) {
        this.racking = new FlowStore<>(table, FlowType.RACKING, RackingFlow.class);
        this.terminations = new FlowStore<>(table, FlowType.TERMINATION, Termination.class);
    }

    @Override
    public void follow(String contractId, String fromOwnerId, String toOwnerId, String toDepartmentId, String note, UnitOfWork uow) {
        racking.followContract(contractId, fromOwnerId, toOwnerId, toDepartmentId, note, uow);
        terminations.followContract(contractId, fromOwnerId, toOwnerId, toDepartmentId, note, uow);
    }
}
