package com.rackflow.customerexports;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.access.Caller;
import com.rackflow.core.aws.Lambdas;
import com.rackflow.core.aws.S3Files;
import com.rackflow.core.config.Config;
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
import com.rackflow.customers.CustomerStatus;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;

import java.util.List;
import java.util.function.Consumer;

/**
 * Exports of many customers (客户导出任务): {@code POST /customer-exports} queues the export (202) and hands it to the
 * export job function asynchronously (Lambda InvocationType Event); {@code GET /customer-exports/{id}} shows it and,
 * once DONE, a presigned GET of the file (15 minutes). Same scope and filters as {@code GET /customers}.
 */
public class CustomerExportsHandler extends ApiHandler {
    private final ExportJobs jobs;
    private final Consumer<String> starter;
    private final Idempotency idempotency;

    public CustomerExportsHandler() {
        this(Dynamo.table(), S3Files.bucket(), start(Lambdas.client(), Config.optional("CUSTOMER_EXPORT_JOB_FUNCTION").orElse("")));
        Priming.register(this, "/customer-exports/{id}");
    }

    public CustomerExportsHandler(Table table, S3Files files, Consumer<String> starter) {
        super(table);
        this.jobs = new ExportJobs(table, files);
        this.starter = starter;
        this.idempotency = new Idempotency(table);
    }

    /** Lambda's asynchronous invocation of the job function with {@code {"exportId": …}}. */
    public static Consumer<String> start(LambdaClient lambda, String function) {
        return id -> lambda.invoke(b -> b.functionName(function).invocationType(InvocationType.EVENT)
                .payload(SdkBytes.fromUtf8String(Json.write(Json.object().put("exportId", id)))));
    }

    @Override
    protected List<Route> routes() {
        return List.of(
                Route.post("/customer-exports", this::queue),
                Route.get("/customer-exports/{id}", r -> ApiResponse.ok(view(jobs.get(r.requireCaller(), r.pathParam("id"))))));
    }

    private ApiResponse queue(ApiRequest r) {
        Caller caller = r.requireCaller();
        return idempotency.once(r, caller, () -> {
            Input in = Input.of(r.jsonBody(), "format", "status", "owner", "q", "deleted");
            String format = in.optionalString("format", 8).orElse("xlsx");
            if (!format.equals("xlsx") && !format.equals("csv")) {
                in.add("format", "enum", "must be one of [csv, xlsx]");
            }
            CustomerStatus status = in.enumValue("status", CustomerStatus.class, false).orElse(null);
            String owner = in.optionalString("owner", 128).orElse(null);
            String q = in.optionalString("q", 100).orElse(null);
            boolean deleted = in.bool("deleted").orElse(false);
            in.validate();
            CustomerExportJob job = jobs.queue(caller, format, status, owner, q, deleted);
            starter.accept(job.exportId());
            return ApiResponse.json(202, view(job)).withHeader("Location", "/customer-exports/" + job.exportId());
        });
    }

    private ObjectNode view(CustomerExportJob j) {
        ObjectNode o = Json.object();
        o.put("exportId", j.exportId());
        o.put("status", j.status().name());
        o.put("statusLabel", j.status().labelZh());
        o.put("format", j.format());
        ObjectNode f = o.putObject("filters");
        f.put("status", j.statusFilter());
        f.put("owner", j.owner());
        f.put("q", j.q());
        f.put("deleted", j.deleted());
        o.put("fileName", j.fileName());
        if (j.rows() == null) {
            o.putNull("rows");
        } else {
            o.put("rows", j.rows());
        }
        o.put("error", j.error());
        o.put("createdAt", j.createdAt());
        o.put("completedAt", j.completedAt());
        if (j.status() == CustomerExportJob.Status.DONE) {
            o.put("downloadUrl", jobs.downloadUrl(j));
        } else {
            o.putNull("downloadUrl");
        }
        return o;
    }
}
