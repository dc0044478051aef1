package com.rackflow.activities;

import com.rackflow.access.Caller;
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

import java.util.List;
import java.util.Map;

/** The activity API (客户活动 / 电话量): parse, call the service (which applies the access policy), map the result. */
public class ActivitiesHandler extends ApiHandler {
    private final ActivityService activities;
    private final Idempotency idempotency;

    public ActivitiesHandler() {
        this(Dynamo.table());
        // a period of an owner's or a department's activities, a customer's, the follow-ups
        Priming.register(this, List.of(Priming.Read.of("/activities/{id}"),
                Priming.Read.of("/activities", "owner", Priming.MISSING_ID, "from", "2026-01-01", "to", "2026-01-31"),
                Priming.Read.of("/activities", "department", Priming.MISSING_ID, "from", "2026-01-01T00:00:00Z"),
                Priming.Read.of("/customers/{id}/activities"), Priming.Read.of("/follow-ups", "owner", Priming.MISSING_ID),
                Priming.Read.of("/activities/{id}/history")), List.of(Activity.class), Priming.answers(Activity.class, ActivityService::view));
    }

    public ActivitiesHandler(Table table) {
        super(table);
        this.activities = new ActivityService(table);
        this.idempotency = new Idempotency(table);
    }

    @Override
    protected List<Route> routes() {
        return List.of(
                Route.post("/customers/{id}/activities", this::log),
                Route.get("/customers/{id}/activities", this::ofCustomer),
                Route.get("/activities", this::inPeriod),
                Route.get("/activities/{id}", this::get),
                Route.patch("/activities/{id}", this::change),
                Route.delete("/activities/{id}", this::delete),
                Route.post("/activities/{id}/restore", this::restore),
                Route.get("/activities/{id}/history", this::history),
                Route.get("/follow-ups", this::followUps));
    }

    private ApiResponse log(ApiRequest r) {
        Caller caller = r.requireCaller();
        return idempotency.create(r, caller, claim -> {
            Input in = Input.of(r.jsonBody(), ActivityDetails.FIELDS);
            Map<String, Object> d = ActivityDetails.read(in, null);
            in.validate();
            return created(activities.log(caller, r.pathParam("id"), d, claim));
        }, id -> created(activities.get(caller, id)));
    }

    private static ApiResponse created(Activity a) {
        return answer(201, a).withHeader("Location", "/activities/" + a.activityId());
    }

    private ApiResponse ofCustomer(ApiRequest r) {
        var page = activities.ofCustomer(r.requireCaller(), r.pathParam("id"), Requests.flag(r, "deleted"), Requests.cursor(r),
                Pager.limit(r.queryParam("limit")));
        return ApiResponse.ok(page.map(ActivityService::view));
    }

    private ApiResponse inPeriod(ApiRequest r) {
        var p = new ActivityService.Period(Requests.idParam(r, "owner"), Requests.idParam(r, "department"),
                Requests.periodBound(r, "from", false).orElse(null), Requests.periodBound(r, "to", true).orElse(null),
                Requests.flag(r, "deleted"));
        var page = activities.inPeriod(r.requireCaller(), p, Requests.cursor(r), Pager.limit(r.queryParam("limit")));
        return ApiResponse.ok(page.map(ActivityService::view));
    }

    private ApiResponse followUps(ApiRequest r) {
        FollowUpDue due = FollowUpDue.parse(r.queryParam("due").orElse(null));
        var page = activities.followUps(r.requireCaller(), due, Requests.idParam(r, "owner"), Requests.idParam(r, "department"),
                java.time.LocalDate.now(Requests.BUSINESS_ZONE), Requests.cursor(r), Pager.limit(r.queryParam("limit")));
        return ApiResponse.ok(page);
    }

    private ApiResponse get(ApiRequest r) {
        return answer(200, activities.get(r.requireCaller(), r.pathParam("id")));
    }

    private ApiResponse change(ApiRequest r) {
        Caller caller = r.requireCaller();
        String[] fields = java.util.Arrays.copyOf(ActivityDetails.FIELDS, ActivityDetails.FIELDS.length + 2);
        fields[fields.length - 2] = "version";
        fields[fields.length - 1] = "ownerId";
        Input in = Input.of(r.jsonBody(), fields);
        long version = Requests.expectedVersion(r, in);
        java.util.Optional<String> owner = in.optionalString("ownerId", 64);
        Activity current = activities.changeable(caller, r.pathParam("id"), version);
        Map<String, Object> changes = ActivityDetails.read(in, current);
        if (changes.isEmpty() && owner.isEmpty() && !in.hasViolations()) {
            in.add("body", "empty", "send ownerId or at least one of " + String.join(", ", ActivityDetails.FIELDS));
        }
        in.validate();
        return answer(200, activities.change(caller, current, changes, owner));
    }

    private ApiResponse delete(ApiRequest r) {
        activities.delete(r.requireCaller(), r.pathParam("id"), Requests.ifMatch(r));
        return ApiResponse.noContent();
    }

    private ApiResponse restore(ApiRequest r) {
        return answer(200, activities.restore(r.requireCaller(), r.pathParam("id")));
    }

    private ApiResponse history(ApiRequest r) {
        return ApiResponse.ok(activities.history(r.requireCaller(), r.pathParam("id"), Requests.cursor(r),
                Pager.limit(r.queryParam("limit"))));
    }

    private static ApiResponse answer(int status, Activity a) {
        return ApiResponse.versioned(status, ActivityService.view(a), a.version());
    }
}
