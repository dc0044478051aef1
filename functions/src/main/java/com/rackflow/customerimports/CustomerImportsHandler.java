package com.rackflow.customerimports;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.access.Caller;
import com.rackflow.core.aws.S3Files;
import com.rackflow.core.config.Config;
import com.rackflow.core.http.ApiException;
import com.rackflow.core.http.ApiHandler;
import com.rackflow.core.http.ApiRequest;
import com.rackflow.core.http.ApiResponse;
import com.rackflow.core.http.Idempotency;
import com.rackflow.core.http.Input;
import com.rackflow.core.http.Route;
import com.rackflow.core.json.Json;
import com.rackflow.core.persistence.Dynamo;
import com.rackflow.core.persistence.Page;
import com.rackflow.core.persistence.Table;
import com.rackflow.core.priming.Priming;
import com.rackflow.core.records.Requests;
import com.rackflow.core.spreadsheet.SpreadsheetFile;
import com.rackflow.core.stepfunctions.StepFunctions;
import com.rackflow.workitems.FlowStarter;

import java.util.List;
import java.util.Optional;

/**
 * The customer import API (客户导入). {@code POST /customer-imports} opens an import and answers a presigned PUT for its
 * file; the browser uploads the file to S3; {@code POST …/preview} starts the dry run and {@code POST …/commit} the
 * commit, both in the import state machine (202); {@code GET …/{id}} shows status, counts and the dry run's per-row
 * verdicts a page at a time; {@code GET …/result} the input with each row's result.
 */
public class CustomerImportsHandler extends ApiHandler {
    private final ImportService imports;
    private final Idempotency idempotency;

    public CustomerImportsHandler() {
        this(Dynamo.table(), S3Files.bucket(), FlowStarter.of(StepFunctions.client()),
                Config.optional("CUSTOMER_IMPORT_STATE_MACHINE_ARN").orElse(""));
        Priming.register(this, "/customer-imports/{id}");
    }

    public CustomerImportsHandler(Table table, S3Files files, FlowStarter starter, String stateMachineArn) {
        super(table);
        this.imports = new ImportService(table, files, starter, stateMachineArn);
        this.idempotency = new Idempotency(table);
    }

    @Override
    protected List<Route> routes() {
        return List.of(
                Route.post("/customer-imports", this::create),
                Route.get("/customer-imports/{id}", this::get),
                Route.post("/customer-imports/{id}/preview", r -> idempotency.once(r, r.requireCaller(), () ->
                        accepted(imports.requestPreview(r.requireCaller(), r.pathParam("id"))))),
                Route.post("/customer-imports/{id}/commit", r -> idempotency.once(r, r.requireCaller(), () ->
                        accepted(imports.requestCommit(r.requireCaller(), r.pathParam("id"))))),
                Route.get("/customer-imports/{id}/result", this::result));
    }

    private ApiResponse create(ApiRequest r) {
        Caller caller = r.requireCaller();
        return idempotency.once(r, caller, () -> {
            Input in = Input.of(r.jsonBody(), "fileName", "size", "defaultOwnerId");
            String fileName = in.requiredString("fileName", 200);
            Optional<Long> size = in.integer("size", 1, ImportService.MAX_BYTES, true);
            Optional<String> defaultOwner = in.optionalString("defaultOwnerId", 64);
            in.validate();
            ImportService.Created c = imports.create(caller, fileName, size.get(), defaultOwner);
            ObjectNode o = view(c.customerImport(), imports.progress(c.customerImport()));
            ObjectNode upload = o.putObject("upload");
            upload.put("method", "PUT");
            upload.put("url", c.upload().url());
            upload.set("headers", Json.tree(c.upload().headers()));
            upload.put("expiresAt", c.upload().expiresAt().toString());
            upload.put("maxBytes", ImportService.MAX_BYTES);
            return ApiResponse.json(201, o).withHeader("Location", "/customer-imports/" + c.customerImport().importId());
        });
    }

    private ApiResponse accepted(CustomerImport i) {
        return ApiResponse.json(202, view(i, imports.progress(i))).withHeader("Location", "/customer-imports/" + i.importId());
    }

    private ApiResponse get(ApiRequest r) {
        CustomerImport i = imports.get(r.requireCaller(), r.pathParam("id"));
        ObjectNode o = view(i, imports.progress(i));
        if (i.preview() != null) {
            Page<List<ImportStore.PreviewRow>> page = imports.previewRows(i, Requests.cursor(r));
            ObjectNode results = o.putObject("results");
            ArrayNode items = results.putArray("items");
            page.items().forEach(batch -> batch.forEach(row -> items.add(previewRow(row))));
            results.put("nextCursor", page.nextCursor());
        }
        return ApiResponse.ok(o);
    }

    private ApiResponse result(ApiRequest r) {
        SpreadsheetFile format = SpreadsheetFile.of(r.queryParam("format"));
        ResultFile file = imports.resultFile(r.requireCaller(), r.pathParam("id"));
        return format.response("导入结果-" + file.importId(), "导入结果", file.headings(), file.rows());
    }

    static ObjectNode view(CustomerImport i, ImportStore.BatchDone progress) {
        ObjectNode o = Json.object();
        o.put("importId", i.importId());
        o.put("status", i.status().name());
        o.put("statusLabel", i.status().labelZh());
        o.put("fileName", i.fileName());
        o.put("size", i.size());
        o.put("format", i.format());
        o.put("encoding", i.encoding());
        o.put("importedBy", i.importedBy());
        o.put("departmentId", i.departmentId());
        o.put("defaultOwnerId", i.defaultOwnerId());
        o.put("rows", i.rows());
        o.put("emptyRows", i.emptyRows());
        o.put("batches", i.batches());
        if (i.preview() == null) {
            o.putNull("preview");
        } else {
            o.putObject("preview").put("ok", i.preview().ok()).put("invalid", i.preview().invalid())
                    .put("duplicate", i.preview().duplicate());
        }
        o.put("batchesDone", progress.batch());
        ObjectNode counts = o.putObject("counts");
        counts.put("created", progress.created());
        counts.put("refused", progress.refused());
        counts.put("duplicate", progress.duplicate());
        if (i.problem() == null) {
            o.putNull("problem");
        } else {
            ObjectNode p = o.putObject("problem");
            p.put("code", i.problem().code());
            p.put("message", i.problem().message());
            p.set("violations", Json.tree(i.problem().violations() == null ? List.of() : i.problem().violations()));
        }
        o.put("createdAt", i.createdAt());
        o.put("previewedAt", i.previewedAt());
        o.put("committedAt", i.committedAt());
        o.put("completedAt", i.completedAt());
        return o;
    }

    static ObjectNode previewRow(ImportStore.PreviewRow c) {
        ObjectNode r = Json.object();
        r.put("row", c.row());
        r.put("status", c.status().name());
        if (c.violations() != null && !c.violations().isEmpty()) {
            r.set("violations", Json.tree(c.violations()));
        }
        if (c.duplicate() != null) {
            r.set("duplicate", Json.tree(c.duplicate()));
        }
        return r;
    }
}
