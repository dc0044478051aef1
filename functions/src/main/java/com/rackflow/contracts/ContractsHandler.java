package com.rackflow.contracts;

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
import com.rackflow.flows.ContractFlows;

import java.util.List;
import java.util.Optional;

/** The contract API (合同管理): parse, call the service (which applies the access policy), map the result. */
public class ContractsHandler extends ApiHandler {
    private final ContractService contracts;
    private final Idempotency idempotency;
    private final ContractFlows flows;

    public ContractsHandler() {
        this(Dynamo.table());
        // each filter reads another partition: a customer's contract links, a status partition, an owner's
        Priming.register(this, List.of(Priming.Read.of("/contracts/{id}"), Priming.Read.of("/contracts"),
                Priming.Read.of("/contracts", "customer", Priming.MISSING_ID, "status", ContractStatus.ACTIVE.name()),
                Priming.Read.of("/contracts", "status", ContractStatus.ACTIVE.name(), "limit", "20"),
                Priming.Read.of("/contracts", "owner", Priming.MISSING_ID), Priming.Read.of("/contracts/by-serial/{serial}").withPath("serial", "HT2026999999"),
                Priming.Read.of("/contracts/{id}/history")), List.of(Contract.class), Priming.answers(Contract.class, ContractService::view));
    }

    public ContractsHandler(Table table) {
        super(table);
        this.contracts = new ContractService(table);
        this.flows = new ContractFlows(table);
        this.idempotency = new Idempotency(table);
    }

    @Override
    protected List<Route> routes() {
        return List.of(
                Route.post("/contracts", this::create),
                Route.get("/contracts", this::list),
                Route.get("/contracts/by-serial/{serial}", this::bySerial),
                Route.get("/contracts/{id}", this::get),
                Route.patch("/contracts/{id}", this::change),
                Route.delete("/contracts/{id}", this::delete),
                Route.post("/contracts/{id}/restore", this::restore),
                Route.post("/contracts/{id}/transitions", this::transition),
                Route.get("/contracts/{id}/history", this::history));
    }

    private ApiResponse create(ApiRequest r) {
        Caller caller = r.requireCaller();
        return idempotency.create(r, caller, claim -> {
            Input in = input(r, "customerId");
            String customerId = in.requiredString("customerId", 64);
            ContractTerms terms = ContractTerms.read(in, null);
            in.validate();
            return created(contracts.create(caller, customerId, terms, claim));
        }, id -> created(contracts.get(caller, id)));
    }

    private static ApiResponse created(Contract c) {
        return answer(201, c).withHeader("Location", "/contracts/" + c.contractId());
    }

    private ApiResponse get(ApiRequest r) {
        return answer(200, contracts.get(r.requireCaller(), r.pathParam("id")));
    }

    private ApiResponse bySerial(ApiRequest r) {
        return answer(200, contracts.getBySerial(r.requireCaller(), r.pathParam("serial")));
    }

    private ApiResponse change(ApiRequest r) {
        Caller caller = r.requireCaller();
        Input in = input(r, "version", "ownerId");
        long version = Requests.expectedVersion(r, in);
        Optional<String> owner = in.optionalString("ownerId", 64);
        boolean terms = java.util.Arrays.stream(ContractTerms.FIELDS).anyMatch(in::has);
        if (!terms && owner.isEmpty()) {
            in.add("body", "empty", "send ownerId or at least one of " + String.join(", ", ContractTerms.FIELDS));
        }
        in.validate();
        // the stored terms are only known inside the service: read the patch there, against them
        Contract c = contracts.change(caller, r.pathParam("id"), version, terms ? base -> {
            ContractTerms t = ContractTerms.read(in, base);
            in.validate();
            return t;
        } : null, owner, flows);
        return answer(200, c);
    }

    private ApiResponse transition(ApiRequest r) {
        Caller caller = r.requireCaller();
        Input in = Input.of(r.jsonBody(), "to", "reason", "version");
        long version = Requests.expectedVersion(r, in);
        ContractStatus to = in.enumValue("to", ContractStatus.class, true).orElse(null);
        String reason = in.optionalString("reason", 500).orElse(null);
        in.validate();
        return answer(200, contracts.transition(caller, r.pathParam("id"), to, reason, version));
    }

    private ApiResponse delete(ApiRequest r) {
        contracts.delete(r.requireCaller(), r.pathParam("id"), Requests.ifMatch(r));
        return ApiResponse.noContent();
    }

    private ApiResponse restore(ApiRequest r) {
        return answer(200, contracts.restore(r.requireCaller(), r.pathParam("id")));
    }

    private ApiResponse list(ApiRequest r) {
        Caller caller = r.requireCaller();
        var filter = new ContractService.ListFilter(Requests.idParam(r, "customer"),
                Requests.enumParam(r, "status", ContractStatus.class).orElse(null), Requests.idParam(r, "owner"),
                Requests.flag(r, "deleted"));
        var page = contracts.list(caller, filter, Requests.cursor(r), Pager.limit(r.queryParam("limit")));
        return ApiResponse.ok(page.map(ContractService::view));
    }

    private ApiResponse history(ApiRequest r) {
        return ApiResponse.ok(contracts.history(r.requireCaller(), r.pathParam("id"), Requests.cursor(r),
                Pager.limit(r.queryParam("limit"))));
    }

    private static Input input(ApiRequest r, String... extra) {
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(ContractTerms.FIELDS), java.util.Arrays.stream(extra))
                .toArray(String[]::new);
        return Input.of(r.jsonBody(), all);
    }

    private static ApiResponse answer(int status, Contract c) {
        return ApiResponse.versioned(status, ContractService.view(c), c.version());
    }
}
