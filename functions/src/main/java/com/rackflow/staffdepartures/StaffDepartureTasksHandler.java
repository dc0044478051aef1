package com.rackflow.staffdepartures;

import com.rackflow.core.persistence.Dynamo;
import com.rackflow.core.persistence.Table;
import com.rackflow.core.stepfunctions.StepFunctions;
import com.rackflow.workitems.FlowTaskHandler;
import com.rackflow.workitems.TaskCallbacks;

/**
 * The staff departure state machine's task function: moves one bounded batch of records, finishes the departure, or
 * records why it failed (see {@link DepartureMoves#steps()}).
 */
public class StaffDepartureTasksHandler extends FlowTaskHandler {

    public StaffDepartureTasksHandler() {
        this(Dynamo.table(), TaskCallbacks.of(StepFunctions.client()));
    }

    public StaffDepartureTasksHandler(Table table, TaskCallbacks callbacks) {
        this(flow(table, callbacks));
    }

    /** The departure's steps; {@code callbacks} as every flow kind has them (a departure waits for no person's task). */
    public static DepartureMoves flow(Table table, TaskCallbacks callbacks) {
        return new DepartureMoves(table);
    }

    StaffDepartureTasksHandler(DepartureMoves moves) {
        super(moves, DepartureMoves.SYSTEM);
    }
}
