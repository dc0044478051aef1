package com.rackflow.racking;

import com.rackflow.access.Caller;
import com.rackflow.core.config.Config;
import com.rackflow.core.http.ApiHandler;
import com.rackflow.core.http.ApiRequest;
import com.rackflow.core.http.ApiResponse;
import com.rackflow.core.http.Idempotency;
import com.rackflow.core.http.Input;
import com.rackflow.core.http.Route;
import com.rackflow.core.persistence.Dynamo;
import com.rackflow.core.persistence.Pager;
import com.rackflow.core.persistence.Table;
import com.rackflow.core.priming.Priming;
import com.rackflow.core.stepfunctions.StepFunctions;
import com.rackflow.workitems.FlowStarter;
import com.rackflow.workitems.TaskCallbacks;
import com.rackflow.workitems.WorkItemService;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The racking flow API (上架流程): start with a contract serial, follow a flow, a contract's flows. */
public class RackingHandler extends ApiHandler {
    private final RackingService racking;
    private final Idempotency idempotency;

    public RackingHandler() {
        this(Dynamo.table(), FlowStarter.of(StepFunctions.client()), TaskCallbacks.of(StepFunctions.client()),
                Config.optional("RACKING_STATE_MACHINE_ARN").orElse(""));
        Priming.register(this, List.of(Priming.Read.of("/racking-flows/{id}"), Priming.Read.of("/contracts/{id}/racking-flows")),
                List.of(RackingFlow.class), Priming.answers(RackingFlow.class, racking::view));
    }

    public RackingHandler(Table table, FlowStarter starter, TaskCallbacks callbacks, String stateMachineArn) {
        super(table);
        this.racking = new RackingService(table, WorkItemService.forTasks(table, callbacks),
                starter, stateMachineArn);
        this.idempotency = new Idempotency(table);
    }

    @Override
    protected List<Route> routes() {
        return List.of(
                Route.post("/racking-flows", this::start),
                Route.get("/racking-flows/{id}", r -> ApiResponse.ok(racking.tracking(r.requireCaller(), r.pathParam("id")))),
                Route.get("/contracts/{id}/racking-flows", r -> ApiResponse.ok(racking.ofContract(r.requireCaller(), r.pathParam("id"),
                        r.queryParam("cursor").orElse(null), Pager.limit(r.queryParam("limit"))).map(racking::view))));
    }

    private ApiResponse start(ApiRequest r) {
        Caller caller = r.requireCaller();
        return idempotency.create(r, caller, claim -> {
            Input in = Input.of(r.jsonBody(), "contractSerial", "plannedDate", "devices", "note");
            String serial = SerialRule.read(in, "contractSerial");
            LocalDate planned = in.date("plannedDate", false).orElse(null);
            List<Device> devices = in.objects("devices", 0, 50, Set.of("model", "serial", "uHeight"), d -> new Device(
                    d.requiredString("model", 100), d.optionalString("serial", 64).orElse(null),
                    d.integer("uHeight", 1, 10, false).map(Long::intValue).orElse(1), null)).orElse(List.of());
            String note = in.optionalString("note", 500).orElse(null);
            in.validate();
            return started(racking.start(caller, new RackingService.StartRequest(serial, planned, devices, note), claim));
        }, id -> started(racking.replayed(caller, id)));
    }

    private ApiResponse started(RackingFlow f) {
        return ApiResponse.versioned(201, racking.view(f), f.version()).withHeader("Location", "/racking-flows/" + f.flowId());
    }
}
