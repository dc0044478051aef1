package com.rackflow.workitems;

import com.rackflow.core.http.ApiException;
import com.rackflow.core.http.ApiHandler;
import com.rackflow.core.http.ApiRequest;
import com.rackflow.core.http.ApiResponse;
import com.rackflow.core.http.Route;
import com.rackflow.core.persistence.Dynamo;
import com.rackflow.core.persistence.Pager;
import com.rackflow.core.persistence.Table;
import com.rackflow.core.priming.Priming;
import com.rackflow.core.stepfunctions.StepFunctions;

import java.time.Clock;
import java.util.List;

/** The inbox API (待办): the caller's work items, one item, completing a stage (which moves its flow). */
public class WorkItemsHandler extends ApiHandler {
    private final WorkItemService items;

    public WorkItemsHandler() {
        this(Dynamo.table(), TaskCallbacks.of(StepFunctions.client()));
        Priming.register(this, List.of(Priming.Read.of("/work-items/{id}"), Priming.Read.of("/work-items"),
                Priming.Read.of("/work-items", "status", "done", "limit", "20")),
                List.of(WorkItem.class), Priming.answers(WorkItem.class, WorkItemService::view));
    }

    public WorkItemsHandler(Table table, TaskCallbacks callbacks) {
        this(table, callbacks, Clock.systemUTC());
    }

    public WorkItemsHandler(Table table, TaskCallbacks callbacks, Clock clock) {
        super(table);
        this.items = new WorkItemService(table, callbacks, FlowStages.completions(table), clock);
    }

    @Override
    protected List<Route> routes() {
        return List.of(
                Route.get("/work-items", this::inbox),
                Route.get("/work-items/{id}", r -> {
                    WorkItem w = items.get(r.requireCaller(), r.pathParam("id"));
                    return ApiResponse.versioned(200, WorkItemService.view(w), w.version());
                }),
                Route.post("/work-items/{id}/complete", r -> {
                    WorkItem w = items.complete(r.requireCaller(), r.pathParam("id"), r.jsonBodyOrEmpty(), r.ifMatchVersion());
                    return ApiResponse.versioned(200, WorkItemService.view(w), w.version());
                }));
    }

    private ApiResponse inbox(ApiRequest r) {
        String status = r.queryParam("status").orElse("open");
        WorkItemStatus bucket;
        if (status.equals("open")) {
            bucket = WorkItemStatus.OPEN;
        } else if (status.equals("done")) {
            bucket = WorkItemStatus.COMPLETED;
        } else {
            throw ApiException.invalid("status", "enum", "must be open or done");
        }
        var page = items.inbox(r.requireCaller(), bucket, r.queryParam("cursor").orElse(null), Pager.limit(r.queryParam("limit")));
        return ApiResponse.ok(page.map(WorkItemService::view));
    }
}
