package com.rackflow.customerexports;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.rackflow.core.aws.S3Files;
import com.rackflow.core.json.Json;
import com.rackflow.core.logging.Log;
import com.rackflow.core.persistence.Dynamo;
import com.rackflow.core.persistence.Table;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** The export job function: {@code {"exportId": …}} from the API's asynchronous invocation; runs the job once. */
public class CustomerExportJobHandler implements RequestStreamHandler {
    private final ExportJobs jobs;

    public CustomerExportJobHandler() {
        this(Dynamo.table(), S3Files.bucket());
    }

    public CustomerExportJobHandler(Table table, S3Files files) {
        this.jobs = new ExportJobs(table, files);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode result = handle(Json.MAPPER.readTree(input));
        output.write(Json.write(result).getBytes(StandardCharsets.UTF_8));
    }

    public JsonNode handle(JsonNode event) {
        String id = event.path("exportId").asText("");
        Log.begin(id, "system:customer-export", "export job");
        try {
            CustomerExportJob j = jobs.run(id);
            Log.info("customer export", "exportId", id, "status", j.status().name(), "rows", j.rows());
            return Json.object().put("exportId", id).put("status", j.status().name());
        } finally {
            Log.end();
        }
    }
}
