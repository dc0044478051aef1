package com.rackflow.terminations;

import com.rackflow.core.persistence.Dynamo;
import com.rackflow.core.persistence.Table;
import com.rackflow.core.stepfunctions.StepFunctions;
import com.rackflow.workitems.FlowStarter;
import com.rackflow.workitems.FlowTaskHandler;
import com.rackflow.workitems.TaskCallbacks;
import com.rackflow.workitems.WorkItemService;

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
        super(flow(table, callbacks), TerminationService.FLOW.id());
    }

    public static TerminationService flow(Table table, TaskCallbacks callbacks) {
        return new TerminationService(table, WorkItemService.forTasks(table, callbacks), FlowStarter.none(), "");
    }
}
