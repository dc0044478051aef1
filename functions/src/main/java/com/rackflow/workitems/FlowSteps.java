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

    /**
     * {@link #endEarly(String, String, String)} because attempt {@code redriveCount} of the execution named ended (an
     * execution status change): a flow that knows its executions' attempts leaves itself alone when a later attempt (a
     * redrive) or another execution runs it by now.
     */
    default String endEarly(String flowId, String executionName, int redriveCount, String error, String cause) {
        return endEarly(flowId, error, cause);
    }

    boolean exists(String flowId);

    /**
     * Whether the execution of this name runs the flow now (a flow run again under its id, as a staff departure is
     * retried, has one execution per run; only the current one may end it).
     */
    default boolean isCurrentExecution(String flowId, String executionName) {
        return true;
    }

    /** The same for attempt {@code redriveCount} of the execution ({@code $$.Execution.RedriveCount}: 0, then one per redrive). */
    default boolean isCurrentExecution(String flowId, String executionName, int redriveCount) {
        return isCurrentExecution(flowId, executionName);
    }
}
