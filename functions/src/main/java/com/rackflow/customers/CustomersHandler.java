package com.rackflow.customers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.access.Caller;
import com.rackflow.core.http.ApiException;
import com.rackflow.core.http.ApiHandler;
import com.rackflow.core.http.ApiRequest;
import com.rackflow.core.http.ApiResponse;
import com.rackflow.core.http.Idempotency;
import com.rackflow.core.http.Input;
import com.rackflow.core.http.Route;
import com.rackflow.core.logging.Metrics;
import com.rackflow.core.persistence.Dynamo;
import com.rackflow.core.persistence.Pager;
import com.rackflow.core.persistence.Table;
import com.rackflow.core.priming.Priming;
import com.rackflow.core.spreadsheet.SpreadsheetFile;

import java.util.List;
import java.util.Optional;

/** The customer API (客户信息): parse, call the service (which applies the access policy), map the result. */
public class CustomersHandler extends ApiHandler {
    private final CustomerService customers;
    private final Idempotency idempotency;
    private final CustomerExport export;

    public CustomersHandler() {
        this(Dynamo.table());
        // each list filter reads another partition or index (status, owner, the name search)
        Priming.register(this, List.of(Priming.Read.of("/customers/{id}"), Priming.Read.of("/customers"),
                Priming.Read.of("/customers", "status", CustomerStatus.ENTERED.name(), "q", "预热"),
                Priming.Read.of("/customers", "owner", Priming.MISSING_ID, "limit", "20"), Priming.Read.of("/customers/{id}/history")),
                List.of(Customer.class), CustomersHandler::primeInMemory);
        // a create's transaction (a full customer item and its history entry), cancelled by a check bound to fail
        Priming.register("create-bound-to-fail", () -> {
            Customer sample = Priming.sample(Customer.class);
            Priming.repeatIo(() -> Priming.createBoundToFail(Dynamo.table(), customers.store().records(), sample));
        });
    }

    /**
     * SnapStart priming: a full create body read and validated with its 查重 keys (name normalisation, phones), and the
     * view of a full customer record, as POST and GET answer them.
     */
    public static void primeInMemory() {
        ObjectNode body = com.rackflow.core.json.Json.object();
        body.put("companyName", "南京预热云计算（集团）有限公司");
        body.put("region", "east");
        body.put("source", "REFERRAL");
        body.put("notes", "priming");
        body.putArray("contacts").addObject().put("name", "预热").put("phone", "13900000000")
                .put("email", "priming@example.cn").put("serviceContact", true);
        Input in = CustomerDetails.input(body, "ownerId");
        CustomerDetails d = CustomerDetails.read(in, null);
        in.optionalString("ownerId", 64);
        in.validate();
        CustomerService.claims(d);
        Customer c = new Customer("priming", "C2026-000000", d.companyName(), d.creditCode(), d.contacts(), d.region(),
                d.source(), d.notes(), CustomerStatus.ENTERED, null, "snapstart-priming", "east", "snapstart-priming", "east",
                "2026-01-01T00:00:00Z", "snapstart-priming", "east", "2026-01-01T00:00:00Z", null, null, 1);
        com.rackflow.core.json.Json.write(CustomerService.view(
                com.rackflow.core.persistence.Items.toRecord(com.rackflow.core.persistence.Items.fromRecord(c), Customer.class)));
    }

    public CustomersHandler(Table table) {
        super(table);
        this.customers = new CustomerService(table);
        this.idempotency = new Idempotency(table);
        this.export = new CustomerExport(customers, new com.rackflow.directory.StaffDirectory(table));
    }

    @Override
    protected List<Route> routes() {
        return List.of(
                Route.post("/customers", this::create),
                Route.get("/customers", this::list),
                Route.get("/customers/export", this::export),
                Route.get("/customers/{id}", this::get),
                Route.patch("/customers/{id}", this::change),
                Route.delete("/customers/{id}", this::delete),
                Route.post("/customers/{id}/restore", this::restore),
                Route.post("/customers/{id}/transitions", this::transition),
                Route.get("/customers/{id}/history", this::history));
    }

    private ApiResponse create(ApiRequest r) {
        Caller caller = r.requireCaller();
        return idempotency.create(r, caller, claim -> {
            Input in = CustomerDetails.input(r.jsonBody(), "ownerId");
            CustomerDetails d = CustomerDetails.read(in, null);
            Optional<String> owner = in.optionalString("ownerId", 64);
            in.validate();
            Customer c = customers.create(caller, d, owner, claim);
            Metrics.count("CustomersCreated");
            return created(c);
        }, id -> created(customers.get(caller, id)));
    }

    private static ApiResponse created(Customer c) {
        return ApiResponse.versioned(201, CustomerService.view(c), c.version())
                .withHeader("Location", "/customers/" + c.customerId());
    }

    private ApiResponse get(ApiRequest r) {
        Customer c = customers.get(r.requireCaller(), r.pathParam("id"));
        return ApiResponse.versioned(200, CustomerService.view(c), c.version());
    }

    private ApiResponse change(ApiRequest r) {
        Caller caller = r.requireCaller();
        ObjectNode body = r.jsonBody();
        Input in = CustomerDetails.input(body, "ownerId", "version");
        long version = expectedVersion(r, in);
        Optional<String> owner = in.optionalString("ownerId", 64);
        CustomerDetails.Patch patch = CustomerDetails.readPatch(in);
        in.validate();
        Customer c = customers.change(caller, r.pathParam("id"), version, patch::applyTo, owner);
        return ApiResponse.versioned(200, CustomerService.view(c), c.version());
    }

    private ApiResponse transition(ApiRequest r) {
        Caller caller = r.requireCaller();
        Input in = Input.of(r.jsonBody(), "to", "reason", "version");
        long version = expectedVersion(r, in);
        CustomerStatus to = in.enumValue("to", CustomerStatus.class, true).orElse(null);
        String reason = in.optionalString("reason", 500).orElse(null);
        in.validate();
        Customer c = customers.transition(caller, r.pathParam("id"), to, reason, version);
        return ApiResponse.versioned(200, CustomerService.view(c), c.version());
    }

    private ApiResponse delete(ApiRequest r) {
        Caller caller = r.requireCaller();
        long version = r.ifMatchVersion().orElseThrow(() ->
                ApiException.invalid("If-Match", "required", "send the record's version (its ETag) to delete it"));
        customers.delete(caller, r.pathParam("id"), version);
        return ApiResponse.noContent();
    }

    private ApiResponse restore(ApiRequest r) {
        Customer c = customers.restore(r.requireCaller(), r.pathParam("id"));
        return ApiResponse.versioned(200, CustomerService.view(c), c.version());
    }

    private ApiResponse list(ApiRequest r) {
        Caller caller = r.requireCaller();
        var page = customers.list(caller, filter(r), r.queryParam("cursor").orElse(null), Pager.limit(r.queryParam("limit")));
        return ApiResponse.ok(page.map(CustomerService::view));
    }

    /** The list's scope and filters as a spreadsheet: {@code format=csv} (UTF-8 with BOM) or {@code xlsx}. */
    private ApiResponse export(ApiRequest r) {
        Caller caller = r.requireCaller();
        SpreadsheetFile format = SpreadsheetFile.of(r.queryParam("format"));
        var rows = export.rows(caller, filter(r));
        return format.response("客户导出-" + java.time.LocalDate.now(CustomerService.BUSINESS_ZONE), "客户",
                CustomerExport.HEADINGS, rows);
    }

    private static CustomerStore.ListFilter filter(ApiRequest r) {
        CustomerStatus status = r.queryParam("status").map(s -> parseStatus(s)).orElse(null);
        boolean deleted = r.queryParam("deleted").map(Boolean::parseBoolean).orElse(false);
        return new CustomerStore.ListFilter(status, r.queryParam("owner").orElse(null), r.queryParam("q").orElse(null), deleted);
    }

    private ApiResponse history(ApiRequest r) {
        var page = customers.history(r.requireCaller(), r.pathParam("id"), r.queryParam("cursor").orElse(null),
                Pager.limit(r.queryParam("limit")));
        return ApiResponse.ok(page);
    }

    private static CustomerStatus parseStatus(String s) {
        try {
            return CustomerStatus.valueOf(s);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("status", "enum", "must be one of " + java.util.Arrays.toString(CustomerStatus.values()));
        }
    }

    /** The version a change is based on: If-Match header or "version" in the body; required. */
    static long expectedVersion(ApiRequest r, Input in) {
        return com.rackflow.core.records.Requests.expectedVersion(r, in);
    }
}
