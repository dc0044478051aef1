package com.rackflow.workitems;

import com.rackflow.core.json.Json;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The steps of a flow with human stages (racking, termination); each is idempotent. */
public interface FlowTasks<T extends FlowRecord<T>> extends FlowSteps {
    /** A stage's callback task: opens the stage's work item with the task token. */
    WorkItem openStage(String flowId, Stage stage, String taskToken, String executionArn, long deadlineSeconds);

    /** The stage's deadline passed. */
    default Optional<WorkItem> escalate(String flowId, Stage stage) {
        return runs().escalate(flowId, stage);
    }

    /** Escalating failed after its retries: recorded, and the stage keeps waiting (a notification never ends a flow). */
    default void escalationFailed(String flowId, Stage stage, String error, String cause) {
        runs().escalationFailed(flowId, stage, error, cause);
    }

    /** The final automatic step. */
    T finish(String flowId);

    /** A stage was rejected (error Rejected) or a step failed; also an execution that ended abnormally. */
    T compensate(String flowId, String error, String cause);

    /** What every flow type does the same way (its records, stages, end). */
    FlowRuns<T> runs();

    default FlowStore<T> store() {
        return runs().store();
    }

    @Override
    default boolean exists(String flowId) {
        return store().find(flowId).isPresent();
    }

    @Override
    default String endEarly(String flowId, String error, String cause) {
        return compensate(flowId, error, cause).status().name();
    }

    @Override
    default Map<String, Step> steps() {
        Map<String, Step> steps = new LinkedHashMap<>();
        steps.put("openStage", (flowId, e, out) -> {
            Stage stage = Stage.valueOf(e.path("stage").asText());
            WorkItem w = openStage(flowId, stage, e.path("taskToken").asText(), e.path("executionArn").asText(null),
                    e.path("deadlineSeconds").asLong(stage.defaultDeadlineSeconds()));
            out.put("workItemId", w.workItemId());
        });
        steps.put("escalate", (flowId, e, out) -> escalate(flowId, Stage.valueOf(e.path("stage").asText()))
                .ifPresent(w -> out.put("workItemId", w.workItemId()).put("escalatedTo", w.escalatedTo())));
        steps.put("escalationFailed", (flowId, e, out) -> escalationFailed(flowId, Stage.valueOf(e.path("stage").asText()),
                FlowTaskHandler.error(e), FlowTaskHandler.cause(e)));
        steps.put("finish", (flowId, e, out) -> out.put("status", finish(flowId).status().name()));
        // the outcome a Choice reads: a REJECTED flow ends in a Succeed state, only a FAILED one in a Fail state
        steps.put("compensate", (flowId, e, out) -> {
            T f = compensate(flowId, FlowTaskHandler.error(e), FlowTaskHandler.cause(e));
            out.put("status", f.status().name());
            out.set("rejection", Json.tree(f.rejection()));
        });
        return steps;
    }
}
