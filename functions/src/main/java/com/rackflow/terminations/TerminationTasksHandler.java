package com.rackflow.terminations;

import com.rackflow.core.persistence.Dynamo;
import com.rackflow.core.persistence.Table;
import com.rackflow.core.stepfunctions.StepFunctions;
import com.rackflow.workitems.FlowStarter;
import com.rackflow.workitems.FlowTaskHandler;
import com.rackflow.workitems.FlowTasks;
import com.rackflow.workitems.Stage;
import com.rackflow.workitems.TaskCallbacks;
import com.rackflow.workitems.WorkItem;
import com.rackflow.workitems.WorkItemService;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * The termination state machine's task function: opens and escalates the un-racking stages' work items, then ends
 * the contract ({@code finish}: allocations RELEASED, contract TERMINATED, customer TERMINATED when nothing else is
 * ACTIVE) or records why the termination ended early.
 */
public class TerminationTasksHandler extends FlowTaskHandler {

    public TerminationTasksHandler() {
        this(Dynamo.table(), TaskCallbacks.of(StepFunctions.client()));
    }

    public TerminationTasksHandler(Table table, TaskCallbacks callbacks) {
        super(tasks(new TerminationService(table, new WorkItemService(table, callbacks, Map.of(), Clock.systemUTC()),
                FlowStarter.none(), "")), TerminationService.FLOW.id());
    }

    private static FlowTasks tasks(TerminationService terminations) {
        return new FlowTasks() {
            @Override
            public WorkItem openStage(String flowId, Stage stage, String taskToken, String executionArn, long deadlineSeconds) {
                return terminations.openStage(flowId, stage, taskToken, executionArn, deadlineSeconds);
            }

            @Override
            public Optional<WorkItem> escalate(String flowId, Stage stage) {
                return terminations.escalate(flowId, stage);
            }

            @Override
            public String finish(String flowId) {
                return terminations.finish(flowId).status().name();
            }

            @Override
            public String compensate(String flowId, String error, String cause) {
                return terminations.compensate(flowId, error, cause).status().name();
            }
        };
    }
}
