package com.rackflow.pickers;

import com.rackflow.access.AccessPolicy;
import com.rackflow.access.Caller;
import com.rackflow.access.RecordKind;
import com.rackflow.access.Scope;
import com.rackflow.contracts.ContractService;
import com.rackflow.core.http.ApiException;
import com.rackflow.core.http.ApiHandler;
import com.rackflow.core.http.ApiRequest;
import com.rackflow.core.http.ApiResponse;
import com.rackflow.core.http.Route;
import com.rackflow.core.persistence.Dynamo;
import com.rackflow.core.persistence.Pager;
import com.rackflow.core.persistence.Table;
import com.rackflow.core.records.Requests;
import com.rackflow.customers.CustomerService;
import com.rackflow.customers.CustomerStatus;

import com.rackflow.core.priming.Priming;
import java.util.List;

/**
 * The customer pickers: SIGNED / IN_SERVICE customers only, limited fields only. The signed-customer picker is
 * how maintenance (and operations) find a customer without the customer module; the contract picker lists the
 * customers a contract may be made for in the caller's contract scope.
 */
public class PickersHandler extends ApiHandler {
    private static final List<CustomerStatus> SERVICEABLE = List.of(CustomerStatus.SIGNED, CustomerStatus.IN_SERVICE);

    private final CustomerService customers;
    private final ContractService contracts;
    private final RackedLocations racked;

    public PickersHandler() {
        this(Dynamo.table());
        // a picker entry reads its customer's contract links: primed on a customer no one has
        Priming.registerReads(this, List.of(Priming.Read.of("/pickers/signed-customers"),
                Priming.Read.of("/pickers/signed-customers", "q", "预热", "limit", "20"), Priming.Read.of("/pickers/contract-customers")),
                Priming.answers(com.rackflow.customers.Customer.class, c -> PickerEntry.of(c, List.of("priming"), List.of("priming"), true)));
        Priming.register("picker-links", () -> Priming.repeatIo(() ->
                racked.of(contracts.refsOf(Priming.MISSING_ID), RackedLocations.cache())));
    }

    public PickersHandler(Table table) {
        super(table);
        this.customers = new CustomerService(table);
        this.contracts = new ContractService(table);
        this.racked = new RackedLocations(table);
    }

    @Override
    protected List<Route> routes() {
        return List.of(
                Route.get("/pickers/signed-customers", r -> pick(r, RecordKind.SIGNED_CUSTOMER, "the signed-customer picker")),
                Route.get("/pickers/contract-customers", r -> pick(r, RecordKind.CONTRACT, "the contract customer picker")));
    }

    private ApiResponse pick(ApiRequest r, RecordKind kind, String what) {
        Caller caller = r.requireCaller();
        Scope scope = AccessPolicy.requireScope(caller, kind, what);
        String q = r.queryParam("q").orElse(null);
        if (q != null && q.length() > 100) {
            throw ApiException.invalid("q", "maxLength", "must be at most 100 characters");
        }
        boolean withStatus = kind == RecordKind.CONTRACT;
        var page = customers.store().inStatuses(scope, SERVICEABLE, q, Requests.cursor(r), Pager.limit(r.queryParam("limit")));
        var rackNames = RackedLocations.cache();
        return ApiResponse.ok(page.map(c -> {
            var refs = contracts.refsOf(c.customerId());
            return PickerEntry.of(c, refs.stream().map(ContractService.ContractRef::serial).toList(), racked.of(refs, rackNames), withStatus);
        }));
    }
}
