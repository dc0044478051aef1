package com.rackflow.workitems;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.core.json.Json;
import com.rackflow.core.persistence.Keys;
import com.rackflow.core.persistence.Table;
import com.rackflow.core.persistence.UniqueValues;
import com.rackflow.core.persistence.UniqueValues.Claim;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What every flow type does the same way: one open flow per contract (a guard naming the flow), flow ids
 * {@code <RF|TF>-<serial>-<n>} that are also the execution names, the execution input, and why a flow ended.
 */
public final class FlowSupport {
    private final Table table;
    private final FlowType type;
    private final String guardKind;
    private final UniqueValues unique;

    public FlowSupport(Table table, FlowType type) {
        this.table = table;
        this.type = type;
        this.guardKind = type.name() + "_OPEN";
        this.unique = new UniqueValues(table);
    }

    /** The flow of this type still open for the contract, if any. */
    public Optional<String> openFlow(String contractId, Predicate<String> isOpen) {
        return unique.holder(new Claim(guardKind, contractId)).filter(isOpen);
    }

    /** A claimed new flow id, or the id of the open flow that holds the contract. */
    public record Claimed(String flowId, String heldBy) {
    }

    public Claimed claim(String contractId, String serial, Predicate<String> isOpen) {
        long n = table.increment(Keys.counter(guardKind + "#" + contractId));
        String flowId = type.idPrefix() + "-" + serial + "-" + n;
        Optional<UniqueValues.Taken> taken = unique.claimAll(flowId, List.of(new Claim(guardKind, contractId)), isOpen);
        return taken.map(t -> new Claimed(null, t.holderId())).orElse(new Claimed(flowId, null));
    }

    /** The contract is free for the next flow of this type (the guard is dropped if this flow still holds it). */
    public void release(String flowId, String contractId) {
        unique.releaseAll(flowId, List.of(new Claim(guardKind, contractId)));
    }

    /** The execution input: the flow and contract, and the stage deadlines the TimeoutSecondsPath fields read. */
    public ObjectNode input(String flowId, String contractId, String serial) {
        ObjectNode input = Json.object();
        input.put("flowId", flowId).put("contractId", contractId).put("contractSerial", serial);
        input.set("deadlines", Deadlines.forFlow(type));
        return input;
    }

    /** Why a flow ended: the rejecting stage and reason (error Rejected), or the failure. */
    public static Rejection why(String error, String cause, String systemActor) {
        if (WorkItemService.REJECTED_ERROR.equals(error)) {
            try {
                JsonNode c = Json.read(cause == null ? "{}" : cause);
                return new Rejection(c.path("stage").asText(null), c.path("reason").asText(null),
                        c.path("rejectedBy").asText(null), c.path("rejectedAt").asText(Instant.now().toString()));
            } catch (IOException e) {
                return new Rejection(null, cause, null, Instant.now().toString());
            }
        }
        return new Rejection(null, error + (cause == null ? "" : ": " + cause), systemActor, Instant.now().toString());
    }

    /** The Step Functions console page of an execution. */
    public static String consoleUrl(String executionArn) {
        String region = executionArn.split(":")[3];
        return "https://" + region + ".console.aws.amazon.com/states/home?region=" + region + "#/v2/executions/details/" + executionArn;
    }
}
