package com.rackflow.workitems;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * One kind of flow as the platform runs it (racking, termination, staff departure): the steps its state machine
 * invokes on its task function ({@link FlowTaskHandler}), and how the flow ends early — a rejection, a step failing
 * for good, or its execution ending abnormally (stopped, timed out, failed; see {@code flows.ExecutionEndsHandler}).
 */
public interface FlowSteps {

    /** One step: reads the payload, writes its answer's fields into {@code out}. */
    @FunctionalInterface
    interface Step {
        void run(String flowId, JsonNode event, ObjectNode out);
    }

    /** The steps by the payload's {@code action}. */
    Map<String, Step> steps();

    /**
     * Ends the flow early once: releases what it holds, cancels its open work, records why in its history; a flow
     * already ended is left as it is. Returns the flow's status afterwards.
     */
    String endEarly(String flowId, String error, String cause);

    boolean exists(String flowId);

    /**
     * Whether the execution of this name runs the flow now (a flow run again under its id, as a staff departure is
     * retried, has one execution per run; only the current one may end it).
     */
    default boolean isCurrentExecution(String flowId, String executionName) {
        return true;
    }
}
