package com.rackflow.racking;

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
 * The racking state machine's task function: opens and escalates the stages' work items, then puts the customer in
 * service ({@code finish}: allocations OCCUPIED, customer IN_SERVICE) or compensates (reservations released).
 */
public class RackingTasksHandler extends FlowTaskHandler {

    public RackingTasksHandler() {
        this(Dynamo.table(), TaskCallbacks.of(StepFunctions.client()));
    }

    public RackingTasksHandler(Table table, TaskCallbacks callbacks) {
        super(tasks(new RackingService(table, new WorkItemService(table, callbacks, Map.of(), Clock.systemUTC()),
                FlowStarter.none(), "")), RackingService.FLOW.id());
    }

    private static FlowTasks tasks(RackingService racking) {
        return new FlowTasks() {
            @Override
            public WorkItem openStage(String flowId, Stage stage, String taskToken, String executionArn, long deadlineSeconds) {
                return racking.openStage(flowId, stage, taskToken, executionArn, deadlineSeconds);
            }

            @Override
            public Optional<WorkItem> escalate(String flowId, Stage stage) {
                return racking.escalate(flowId, stage);
            }

            @Override
            public String finish(String flowId) {
                return racking.finish(flowId).status().name();
            }

            @Override
            public String compensate(String flowId, String error, String cause) {
                return racking.compensate(flowId, error, cause).status().name();
            }
        };
    }
}
