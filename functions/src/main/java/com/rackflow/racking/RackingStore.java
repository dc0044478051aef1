package com.rackflow.racking;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.core.json.Json;
import com.rackflow.core.persistence.Items;
import com.rackflow.core.persistence.Key;
import com.rackflow.core.persistence.KeyQuery;
import com.rackflow.core.persistence.Keys;
import com.rackflow.core.persistence.Table;
import com.rackflow.core.http.ApiException;
import com.rackflow.workitems.FlowType;
import com.rackflow.workitems.RetryableStepException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** Racking flow records (keys: docs/keys.md, "Inventory and flows"). */
public final class RackingStore {
    static final String TYPE = FlowType.RACKING.recordType();

    private final Table table;

    public RackingStore(Table table) {
        this.table = table;
    }

    public Optional<RackingFlow> find(String flowId) {
        return table.get(Keys.record(TYPE, flowId)).map(i -> Items.toRecord(i, RackingFlow.class));
    }

    public boolean insert(RackingFlow f) {
        return table.putIfAbsent(item(f));
    }

    /** Applies a change to the current version, retrying on concurrent changes; empty when the flow does not exist. */
    public Optional<RackingFlow> update(String flowId, UnaryOperator<RackingFlow> change) {
        for (int attempt = 0; attempt < 8; attempt++) {
            Optional<RackingFlow> current = find(flowId);
            if (current.isEmpty()) {
                return Optional.empty();
            }
            RackingFlow next = change.apply(current.get());
            if (next == current.get() || table.putIfVersion(item(next), current.get().version())) {
                return Optional.of(next);
            }
        }
        throw new RetryableStepException("racking flow " + flowId + " keeps changing", null);
    }

    public RackingFlow require(String flowId) {
        return find(flowId).orElseThrow(() -> ApiException.notFound("racking flow"));
    }

    /** The racking flows of a contract, newest first. */
    public List<RackingFlow> ofContract(String contractId) {
        return table.queryAll(KeyQuery.on(Keys.GSI_OWNER, Keys.contractLinksPartition(contractId), TYPE + "#"))
                .stream().map(i -> Items.toRecord(i, RackingFlow.class)).toList();
    }

    static Map<String, AttributeValue> item(RackingFlow f) {
        ObjectNode o = (ObjectNode) Json.tree(f);
        Key key = Keys.record(TYPE, f.flowId());
        String sort = Keys.typedSortKey(TYPE, f.createdAt(), f.flowId());
        o.put("pk", key.pk()).put("sk", key.sk());
        o.put("gsi1pk", Keys.contractLinksPartition(f.contractId())).put("gsi1sk", sort);
        o.put("gsi2pk", Keys.departmentPartition(f.departmentId())).put("gsi2sk", sort);
        o.put("gsi3pk", Keys.statusPartition(TYPE, f.status().name())).put("gsi3sk", f.createdAt() + "#" + f.flowId());
        return Items.fromObject(o);
    }
}
