package com.rackflow.workitems;

import com.rackflow.core.history.Actor;
import com.rackflow.core.http.ApiException;
import com.rackflow.core.persistence.KeyQuery;
import com.rackflow.core.persistence.Keys;
import com.rackflow.core.persistence.RecordType;
import com.rackflow.core.persistence.Table;
import com.rackflow.core.persistence.UnitOfWork;
import com.rackflow.core.records.RecordStore;

import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The records of one flow type (keys: docs/keys.md, "Inventory and flows"): linked to the contract (gsi1), the
 * department (gsi2) and the status (gsi3). Every change is a unit of work (the record and its history entry, with what
 * the caller adds), re-applied to the current version until it sticks.
 */
public final class FlowStore<T extends FlowRecord<T>> {
    private final FlowType type;
    private final Table table;
    private final RecordStore<T> stored;
    private final RecordType<T> records;

    public FlowStore(Table table, FlowType type, Class<T> recordClass) {
        this.type = type;
        this.table = table;
        String t = type.recordType();
        this.stored = new RecordStore<>(table, t, recordClass, (f, o) -> {
            String sort = Keys.typedSortKey(t, f.createdAt(), f.flowId());
            o.put("gsi1pk", Keys.contractLinksPartition(f.contractId())).put("gsi1sk", sort);
            o.put("gsi2pk", Keys.departmentPartition(f.departmentId())).put("gsi2sk", sort);
            o.put("gsi3pk", Keys.statusPartition(t, f.status().name())).put("gsi3sk", f.createdAt() + "#" + f.flowId());
        });
        // where the execution stands is told by the stages' own entries (STAGE_OPENED ...), not by the flow's
        java.util.Set<String> notAudited = new java.util.HashSet<>(RecordType.BOOKKEEPING);
        notAudited.addAll(java.util.Set.of("currentStage", "executionArn"));
        this.records = stored.described(type.name().toLowerCase() + " flow", java.util.Set.copyOf(notAudited));
    }

    /** The flow records as a unit of work writes them (a stage's effect on its flow, in the stage's transaction). */
    public RecordType<T> records() {
        return records;
    }

    public Optional<T> find(String flowId) {
        return stored.find(flowId);
    }

    /** The flow to show (eventually consistent, half the read units): tracking, never a read that decides a write. */
    public Optional<T> view(String flowId) {
        return stored.view(flowId);
    }

    public T require(String flowId) {
        return find(flowId).orElseThrow(() -> ApiException.notFound(type.name().toLowerCase() + " flow"));
    }

    /** Applies a change to the current version, retrying on concurrent changes; empty when the flow does not exist. */
    public Optional<T> update(String flowId, Actor actor, String action, String note, UnaryOperator<T> change) {
        return update(flowId, actor, action, note, change, (before, after, uow) -> {
        });
    }

    /** What goes into a flow change's unit of work besides the record and its history entry (guards ...). */
    public interface With<T> {
        void add(T before, T after, UnitOfWork uow);
    }

    /**
     * As {@link #update(String, Actor, String, String, UnaryOperator)}, with {@code with}'s writes in the same
     * transaction; an unchanged record ({@code change} answers its argument) writes nothing.
     */
    public Optional<T> update(String flowId, Actor actor, String action, String note, UnaryOperator<T> change, With<T> with) {
        for (int attempt = 0; attempt < 8; attempt++) {
            Optional<T> current = find(flowId);
            if (current.isEmpty()) {
                return Optional.empty();
            }
            T next = change.apply(current.get());
            if (next == current.get()) {
                return current;
            }
            UnitOfWork uow = new UnitOfWork(table, actor).change(records, current.get(), next, action, note);
            with.add(current.get(), next, uow);
            if (uow.commitIfCurrent()) {
                return Optional.of(next);
            }
        }
        throw new RetryableStepException(type + " flow " + flowId + " keeps changing", null);
    }

    /**
     * The contract's flows that {@code fromOwnerId} still owns follow the contract to its new owner, in the contract's
     * own unit of work: whoever has the contract can track its flows (their scope is the owner's), and a crash moves
     * both or neither.
     */
    public void followContract(String contractId, String fromOwnerId, String toOwnerId, String toDepartmentId, String note,
                               UnitOfWork uow) {
        String at = java.time.Instant.now().toString();
        String cursor = null;
        do {
            var page = ofContract(contractId, cursor, 25, f -> fromOwnerId.equals(f.ownerId()));
            for (T f : page.items()) {
                java.util.Map<String, Object> owner = java.util.Map.of("ownerId", toOwnerId, "departmentId", toDepartmentId,
                        "updatedAt", at, "version", f.version() + 1);
                uow.change(records, f, com.rackflow.core.records.Stamps.with(f, owner), "REASSIGNED", note);
            }
            cursor = page.nextCursor();
        } while (cursor != null);
    }

    /** One page of the flows of this type of one contract, newest first; {@code keep} applies the caller's scope. */
    public com.rackflow.core.persistence.Page<T> ofContract(String contractId, String cursor, int limit, java.util.function.Predicate<T> keep) {
        return stored.page(List.of(KeyQuery.on(Keys.GSI_OWNER, Keys.contractLinksPartition(contractId), type.recordType() + "#")),
                cursor, limit, keep);
    }
}
