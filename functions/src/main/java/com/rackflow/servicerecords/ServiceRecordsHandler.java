package com.rackflow.servicerecords;

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

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The service-record API (客户服务): parse, call the service (which applies the access policy), map the result. */
public class ServiceRecordsHandler extends ApiHandler {
    private final ServiceRecordService records;
    private final Idempotency idempotency;

    public ServiceRecordsHandler() {
        this(Dynamo.table());
        Priming.register(this, List.of(Priming.Read.of("/service-records/{id}"), Priming.Read.of("/service-records"),
                Priming.Read.of("/service-records", "customer", Priming.MISSING_ID, "status", ServiceStatus.values()[0].name()),
                Priming.Read.of("/service-records", "assignee", Priming.MISSING_ID, "limit", "20"),
                Priming.Read.of("/service-records/{id}/history")), List.of(ServiceRecord.class),
                Priming.answers(ServiceRecord.class, s -> ServiceRecordService.view(s,
                        new com.rackflow.access.Caller("snapstart-priming", com.rackflow.access.Role.MAINTENANCE, "-"))));
    }

    public ServiceRecordsHandler(Table table) {
        super(table);
        this.records = new ServiceRecordService(table);
        this.idempotency = new Idempotency(table);
    }

    @Override
    protected List<Route> routes() {
        return List.of(
                Route.post("/service-records", this::open),
                Route.get("/service-records", this::list),
                Route.get("/service-records/{id}", this::get),
                Route.patch("/service-records/{id}", this::change),
                Route.post("/service-records/{id}/transitions", this::transition),
                Route.get("/service-records/{id}/history", this::history));
    }

    private ApiResponse open(ApiRequest r) {
        Caller caller = r.requireCaller();
        return idempotency.create(r, caller, claim -> {
            Input in = Input.of(r.jsonBody(), "customerId", "type", "priority", "title", "description", "assigneeId");
            var o = new ServiceRecordService.Opening(in.requiredString("customerId", 64),
                    in.enumValue("type", ServiceType.class, true).orElse(null),
                    in.enumValue("priority", Priority.class, true).orElse(null),
                    in.requiredString("title", 200), in.requiredString("description", 4000),
                    in.optionalString("assigneeId", 64).orElse(null));
            in.validate();
            return created(records.open(caller, o, claim), caller);
        }, id -> created(records.get(caller, id), caller));
    }

    private static ApiResponse created(ServiceRecord s, Caller caller) {
        return answer(201, s, caller).withHeader("Location", "/service-records/" + s.serviceRecordId());
    }

    private ApiResponse get(ApiRequest r) {
        Caller caller = r.requireCaller();
        return answer(200, records.get(caller, r.pathParam("id")), caller);
    }

    private ApiResponse change(ApiRequest r) {
        Caller caller = r.requireCaller();
        Input in = Input.of(r.jsonBody(), "type", "priority", "title", "description", "assigneeId", "version");
        long version = Requests.expectedVersion(r, in);
        Map<String, Object> changes = new LinkedHashMap<>();
        if (in.has("type")) {
            changes.put("type", in.enumValue("type", ServiceType.class, true).orElse(null));
        }
        if (in.has("priority")) {
            changes.put("priority", in.enumValue("priority", Priority.class, true).orElse(null));
        }
        if (in.has("title")) {
            changes.put("title", in.requiredString("title", 200));
        }
        if (in.has("description")) {
            changes.put("description", in.requiredString("description", 4000));
        }
        if (in.has("assigneeId")) {
            changes.put("assigneeId", in.optionalString("assigneeId", 64).orElse(null));
        }
        if (changes.isEmpty() && !in.hasViolations()) {
            in.add("body", "empty", "send at least one of type, priority, title, description, assigneeId");
        }
        in.validate();
        return answer(200, records.change(caller, r.pathParam("id"), version, changes), caller);
    }

    private ApiResponse transition(ApiRequest r) {
        Caller caller = r.requireCaller();
        Input in = Input.of(r.jsonBody(), "to", "reason", "version");
        long version = Requests.expectedVersion(r, in);
        ServiceStatus to = in.enumValue("to", ServiceStatus.class, true).orElse(null);
        String reason = in.optionalString("reason", 2000).orElse(null);
        in.validate();
        return answer(200, records.transition(caller, r.pathParam("id"), to, reason, version), caller);
    }

    private ApiResponse list(ApiRequest r) {
        Caller caller = r.requireCaller();
        var f = new ServiceRecordService.ListFilter(Requests.idParam(r, "customer"),
                Requests.enumParam(r, "status", ServiceStatus.class).orElse(null), Requests.idParam(r, "assignee"));
        var page = records.list(caller, f, Requests.cursor(r), Pager.limit(r.queryParam("limit")));
        return ApiResponse.ok(page.map(s -> ServiceRecordService.view(s, caller)));
    }

    private ApiResponse history(ApiRequest r) {
        return ApiResponse.ok(records.history(r.requireCaller(), r.pathParam("id"), Requests.cursor(r),
                Pager.limit(r.queryParam("limit"))));
    }

    private static ApiResponse answer(int status, ServiceRecord s, Caller caller) {
        return ApiResponse.versioned(status, ServiceRecordService.view(s, caller), s.version());
    }
}
