package com.rackflow.staffdepartures;

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
import com.rackflow.core.records.Requests;
import com.rackflow.core.stepfunctions.StepFunctions;
import com.rackflow.staffdepartures.StaffDeparture.Assignment;
import com.rackflow.workitems.FlowStarter;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The staff departure API (离职交接, managers and admins): start one, follow one, list them, run a failed one again. */
public class StaffDeparturesHandler extends ApiHandler {
    private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,127}");
    private static final String USER_ID_RULE = "must be a user id (1 to 128 letters, digits or . _ @ -)";
    static final int MAX_RECEIVERS = 20;
    static final int MAX_ASSIGNMENTS = 500;

    private final StaffDepartureService departures;
    private final Idempotency idempotency;

    public StaffDeparturesHandler() {
        this(Dynamo.table(), FlowStarter.of(StepFunctions.client()), ExecutionStatus.of(StepFunctions.client()),
                Config.optional("STAFF_DEPARTURE_STATE_MACHINE_ARN").orElse(""));
        Priming.register(this, List.of(Priming.Read.of("/staff-departures/{id}"), Priming.Read.of("/staff-departures", "limit", "20")),
                List.of(StaffDeparture.class), Priming.answers(StaffDeparture.class, StaffDepartureService::view));
    }

    public StaffDeparturesHandler(Table table, FlowStarter starter, ExecutionStatus executions, String stateMachineArn) {
        super(table);
        this.departures = new StaffDepartureService(table, starter, executions, stateMachineArn);
        this.idempotency = new Idempotency(table);
    }

    @Override
    protected List<Route> routes() {
        return List.of(
                Route.post("/staff-departures", this::start),
                Route.get("/staff-departures", r -> ApiResponse.ok(departures.list(r.requireCaller(), Requests.cursor(r),
                        Pager.limit(r.queryParam("limit"))).map(StaffDepartureService::view))),
                Route.post("/staff-departures/{id}/retry", r -> idempotency.once(r, r.requireCaller(), () -> {
                    StaffDeparture d = departures.retry(r.requireCaller(), r.pathParam("id"));
                    return ApiResponse.versioned(200, StaffDepartureService.view(d), d.version());
                })),
                Route.get("/staff-departures/{id}", r -> {
                    StaffDeparture d = departures.get(r.requireCaller(), r.pathParam("id"));
                    return ApiResponse.versioned(200, StaffDepartureService.view(d), d.version());
                }));
    }

    private ApiResponse start(ApiRequest r) {
        Caller caller = r.requireCaller();
        return idempotency.once(r, caller, () -> {
            var body = r.jsonBody();
            Input in = Input.of(body, "departingUserId", "receivers", "split", "assignments", "defaultReceiverId", "note");
            String departing = in.formatted("departingUserId", USER_ID, "format", USER_ID_RULE, true).orElse(null);
            List<String> receivers = in.strings("receivers", MAX_RECEIVERS, USER_ID, "format", USER_ID_RULE).orElse(null);
            if (body.path("receivers").isMissingNode() || body.path("receivers").isNull()) {
                in.add("receivers", "required", "name the colleagues who receive the records");
            } else if (receivers != null && receivers.isEmpty()) {
                in.add("receivers", "size", "name at least one colleague (at most " + MAX_RECEIVERS + ")");
            }
            SplitRule split = in.enumValue("split", SplitRule.class, false).orElse(SplitRule.ROUND_ROBIN);
            List<Assignment> assignments = in.objects("assignments", 0, MAX_ASSIGNMENTS, Set.of("customerId", "receiverId"),
                    a -> new Assignment(a.requiredString("customerId", 128), a.requiredString("receiverId", 128))).orElse(List.of());
            String defaultReceiver = in.formatted("defaultReceiverId", USER_ID, "format", USER_ID_RULE, false).orElse(null);
            String note = in.optionalString("note", 500).orElse(null);
            in.validate();
            StaffDeparture d = departures.start(caller, new StaffDepartureService.StartRequest(departing, receivers, split,
                    assignments, defaultReceiver, note));
            return ApiResponse.versioned(201, StaffDepartureService.view(d), d.version())
                    .withHeader("Location", "/staff-departures/" + d.departureId());
        });
    }
}
