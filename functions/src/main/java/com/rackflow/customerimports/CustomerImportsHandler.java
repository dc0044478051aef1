package com.rackflow.customerimports;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.access.Caller;
import com.rackflow.core.http.ApiException;
import com.rackflow.core.http.ApiHandler;
import com.rackflow.core.http.ApiRequest;
import com.rackflow.core.http.ApiResponse;
import com.rackflow.core.http.Idempotency;
import com.rackflow.core.http.Input;
import com.rackflow.core.http.Route;
import com.rackflow.core.json.Json;
import com.rackflow.core.persistence.Dynamo;
import com.rackflow.core.persistence.Table;
import com.rackflow.core.priming.Priming;
import com.rackflow.core.spreadsheet.SpreadsheetFile;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The customer import API (客户导入): a dry run (preview, nothing written), a commit (the import runs in the request
 * for up to {@link #BUDGET}, then goes on with {@code POST /customer-imports/{id}/continue}), the import's state and
 * its result file (the input plus the result of each row).
 */
public class CustomerImportsHandler extends ApiHandler {
    /** How long one request commits rows: well inside API Gateway's 29 seconds. */
    static final Duration BUDGET = Duration.ofSeconds(20);

    private final ImportService imports;
    private final Idempotency idempotency;

    public CustomerImportsHandler() {
        this(Dynamo.table());
        Priming.register(this, "/customer-imports/{id}");
    }

    public CustomerImportsHandler(Table table) {
        super(table);
        this.imports = new ImportService(table);
        this.idempotency = new Idempotency(table);
    }

    @Override
    protected List<Route> routes() {
        return List.of(
                Route.post("/customer-imports", this::start),
                Route.get("/customer-imports/{id}", this::get),
                Route.post("/customer-imports/{id}/continue", this::proceed),
                Route.get("/customer-imports/{id}/result", this::result));
    }

    private ApiResponse start(ApiRequest r) {
        Caller caller = r.requireCaller();
        Input in = Input.of(r.jsonBody(), "fileName", "content", "defaultOwnerId", "dryRun");
        String fileName = in.requiredString("fileName", 200);
        String content = in.requiredString("content", 14_000_000);
        Optional<String> defaultOwner = in.optionalString("defaultOwnerId", 64);
        boolean dryRun = in.bool("dryRun").orElse(true);
        in.validate();
        byte[] file;
        try {
            file = Base64.getMimeDecoder().decode(content);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("content", "base64", "must be the file's bytes encoded as Base64");
        }
        if (dryRun) {
            return ApiResponse.ok(preview(fileName, imports.preview(caller, file, defaultOwner)));
        }
        return idempotency.once(r, caller, () -> {
            CustomerImport i = imports.run(imports.open(caller, fileName, file, defaultOwner).importId(), BUDGET);
            return ApiResponse.json(i.status() == CustomerImport.ImportStatus.COMPLETED ? 201 : 202, view(i))
                    .withHeader("Location", "/customer-imports/" + i.importId());
        });
    }

    private ApiResponse get(ApiRequest r) {
        return ApiResponse.ok(view(imports.get(r.requireCaller(), r.pathParam("id"))));
    }

    private ApiResponse proceed(ApiRequest r) {
        CustomerImport i = imports.get(r.requireCaller(), r.pathParam("id"));
        return ApiResponse.ok(view(imports.run(i.importId(), BUDGET)));
    }

    private ApiResponse result(ApiRequest r) {
        SpreadsheetFile format = SpreadsheetFile.of(r.queryParam("format"));
        ResultFile file = imports.resultFile(r.requireCaller(), r.pathParam("id"));
        return format.response("导入结果-" + file.importId(), "导入结果", file.headings(), file.rows());
    }

    static ObjectNode view(CustomerImport i) {
        ObjectNode o = Json.object();
        o.put("importId", i.importId());
        o.put("status", i.status().name());
        o.put("statusLabel", i.status().labelZh());
        o.put("fileName", i.fileName());
        o.put("format", i.format());
        o.put("encoding", i.encoding());
        o.put("importedBy", i.importedBy());
        o.put("departmentId", i.departmentId());
        o.put("defaultOwnerId", i.defaultOwnerId());
        o.put("rows", i.rows());
        o.put("emptyRows", i.emptyRows());
        o.put("batches", i.batches());
        o.put("batchesDone", i.batchesDone());
        ObjectNode counts = o.putObject("counts");
        counts.put("created", i.created());
        counts.put("refused", i.refused());
        counts.put("duplicate", i.duplicate());
        o.put("createdAt", i.createdAt());
        o.put("completedAt", i.completedAt());
        return o;
    }

    static ObjectNode preview(String fileName, ImportService.Preview p) {
        ObjectNode o = Json.object();
        o.put("fileName", fileName);
        o.put("format", p.file().format());
        o.put("encoding", p.file().encoding());
        o.put("rows", p.file().rows().size());
        o.put("emptyRows", p.file().emptyRows());
        ObjectNode counts = o.putObject("counts");
        p.counts().forEach((v, n) -> counts.put(v.name().toLowerCase(java.util.Locale.ROOT), n));
        ArrayNode results = o.putArray("results");
        for (RowCheck c : p.rows()) {
            ObjectNode r = results.addObject();
            r.put("row", c.row());
            r.put("status", c.verdict().name());
            if (!c.violations().isEmpty()) {
                r.set("violations", Json.tree(c.violations()));
            }
            if (c.duplicate() != null) {
                r.set("duplicate", Json.tree(c.duplicate()));
            }
        }
        return o;
    }
}
