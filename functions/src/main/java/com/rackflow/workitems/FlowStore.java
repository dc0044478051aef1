package com.rackflow.workitems;

import com.rackflow.core.http.ApiException;
import com.rackflow.core.persistence.KeyQuery;
import com.rackflow.core.persistence.Keys;
import com.rackflow.core.persistence.Table;
import com.rackflow.core.records.RecordStore;

import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The records of one flow type (keys: docs/keys.md, "Inventory and flows"): linked to the contract (gsi1), the
 * department (gsi2) and the status (gsi3). Changes are re-applied to the current version until they stick.
 */
public final class FlowStore<T extends FlowRecord<T>> {
    private final FlowType type;
    private final Table table;
    private final RecordStore<T> records;

    public FlowStore(Table table, FlowType type, Class<T> recordClass) {
        this.type = type;
        this.table = table;
        String t = type.recordType();
        this.records = new RecordStore<>(table, t, recordClass, (f, o) -> {
            String sort = Keys.typedSortKey(t, f.createdAt(), f.flowId());
            o.put("gsi1pk", Keys.contractLinksPartition(f.contractId())).put("gsi1sk", sort);
            o.put("gsi2pk", Keys.departmentPartition(f.departmentId())).put("gsi2sk", sort);
            o.put("gsi3pk", Keys.statusPartition(t, f.status().name())).put("gsi3sk", f.createdAt() + "#" + f.flowId());
        });
    }

    /** The flow records as a unit of work writes them (a stage's effect on its flow, in the stage's transaction). */
    public com.rackflow.core.persistence.RecordType<T> records() {
        return records;
    }

    public Optional<T> find(String flowId) {
        return records.find(flowId);
    }

    public T require(String flowId) {
        return find(flowId).orElseThrow(() -> ApiException.notFound(type.name().toLowerCase() + " flow"));
    }

    public boolean insert(T flow) {
        return records.insert(flow);
    }

    /** Applies a change to the current version, retrying on concurrent changes; empty when the flow does not exist. */
    public Optional<T> update(String flowId, UnaryOperator<T> change) {
        for (int attempt = 0; attempt < 8; attempt++) {
            Optional<T> current = find(flowId);
            if (current.isEmpty()) {
                return Optional.empty();
            }
            T next = change.apply(current.get());
            if (next == current.get() || records.replace(next, current.get().version())) {
                return Optional.of(next);
            }
        }
        throw new RetryableStepException(type + " flow " + flowId + " keeps changing", null);
    }

    /** One page of the flows of this type of one contract, newest first; {@code keep} applies the caller's scope. */
    public com.rackflow.core.persistence.Page<T> ofContract(String contractId, String cursor, int limit, java.util.function.Predicate<T> keep) {
        return records.page(List.of(KeyQuery.on(Keys.GSI_OWNER, Keys.contractLinksPartition(contractId), type.recordType() + "#")),
                cursor, limit, keep);
    }
}
