package com.rackflow.terminations;

import com.rackflow.access.Caller;
import com.rackflow.contracts.ContractSerial;
import com.rackflow.core.config.Config;
import com.rackflow.core.http.ApiHandler;
import com.rackflow.core.http.ApiRequest;
import com.rackflow.core.http.ApiResponse;
import com.rackflow.core.http.Idempotency;
import com.rackflow.core.http.Input;
import com.rackflow.core.http.Route;
import com.rackflow.core.persistence.Dynamo;
import com.rackflow.core.persistence.Table;
import com.rackflow.core.priming.Priming;
import com.rackflow.core.stepfunctions.StepFunctions;
import com.rackflow.workitems.FlowStarter;
import com.rackflow.workitems.TaskCallbacks;
import com.rackflow.workitems.WorkItemService;

import java.time.LocalDate;
import java.util.List;

/** The termination API (解约, managers and admins): start for an ACTIVE contract, follow a termination. */
public class TerminationsHandler extends ApiHandler {
    private final TerminationService terminations;
    private final Idempotency idempotency;

    public TerminationsHandler() {
        this(Dynamo.table(), FlowStarter.of(StepFunctions.client()), TaskCallbacks.of(StepFunctions.client()),
                Config.optional("TERMINATION_STATE_MACHINE_ARN").orElse(""));
        Priming.register(this, List.of(Priming.Read.of("/terminations/{id}")), List.of(Termination.class),
                Priming.answers(Termination.class, terminations::view));
    }

    public TerminationsHandler(Table table, FlowStarter starter, TaskCallbacks callbacks, String stateMachineArn) {
        super(table);
        this.terminations = new TerminationService(table, WorkItemService.forTasks(table, callbacks),
                starter, stateMachineArn);
        this.idempotency = new Idempotency(table);
    }

    @Override
    protected List<Route> routes() {
        return List.of(
                Route.post("/terminations", this::start),
                Route.get("/terminations/{id}", r -> ApiResponse.ok(terminations.tracking(r.requireCaller(), r.pathParam("id")))));
    }

    private ApiResponse start(ApiRequest r) {
        Caller caller = r.requireCaller();
        return idempotency.create(r, caller, claim -> {
            Input in = Input.of(r.jsonBody(), "contractSerial", "reason", "plannedDate");
            String serial = in.formatted("contractSerial", ContractSerial.FORMAT, "format", ContractSerial.DESCRIPTION, true).orElse(null);
            String reason = in.requiredString("reason", 500);
            LocalDate planned = in.date("plannedDate", false).orElse(null);
            in.validate();
            return started(terminations.start(caller, new TerminationService.StartRequest(serial, reason, planned), claim));
        }, id -> started(terminations.replayed(caller, id)));
    }

    private ApiResponse started(Termination t) {
        return ApiResponse.versioned(201, terminations.view(t), t.version()).withHeader("Location", "/terminations/" + t.flowId());
    }
}
