package com.rackflow.racking;

import com.rackflow.core.persistence.Dynamo;
import com.rackflow.core.persistence.Table;
import com.rackflow.core.stepfunctions.StepFunctions;
import com.rackflow.workitems.FlowStarter;
import com.rackflow.workitems.FlowTaskHandler;
import com.rackflow.workitems.TaskCallbacks;
import com.rackflow.workitems.WorkItemService;

/**
 * The racking state machine's task function: opens and escalates the stages' work items, then puts the customer in
 * service ({@code finish}: allocations OCCUPIED, customer IN_SERVICE) or compensates (reservations released).
 */
public class RackingTasksHandler extends FlowTaskHandler {

    public RackingTasksHandler() {
        this(Dynamo.table(), TaskCallbacks.of(StepFunctions.client()));
    }

    public RackingTasksHandler(Table table, TaskCallbacks callbacks) {
        super(flow(table, callbacks), RackingService.FLOW.id());
    }

    public static RackingService flow(Table table, TaskCallbacks callbacks) {
        return new RackingService(table, WorkItemService.forTasks(table, callbacks), FlowStarter.none(), "");
    }
}
