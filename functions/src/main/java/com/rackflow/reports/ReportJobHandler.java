package com.rackflow.reports;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.rackflow.core.json.Json;
import com.rackflow.core.logging.Log;
import com.rackflow.core.persistence.Dynamo;
import com.rackflow.core.persistence.Table;
import com.rackflow.core.records.Requests;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * The scheduled report job: EventBridge's "Scheduled Event" (daily, 01:00 China Standard Time) runs the daily job for
 * the business day before the event's time. The event id is the run id, so a delivery EventBridge repeats is
 * answered with the run already logged, not run twice. The outcome is in the run log either way; the answer is the run.
 */
public class ReportJobHandler implements RequestStreamHandler {
    private final ReportJobs jobs;

    public ReportJobHandler() {
        this(Dynamo.table(), Clock.systemUTC());
    }

    public ReportJobHandler(Table table, Clock clock) {
        this.jobs = new ReportJobs(table, clock);
    }

    ReportJobHandler(ReportJobs jobs) {
        this.jobs = jobs;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JobRun run = handle(Json.MAPPER.readTree(input));
        output.write(Json.write(run).getBytes(StandardCharsets.UTF_8));
    }

    public JobRun handle(JsonNode event) {
        String id = event.path("id").asText("");
        Log.begin(id, "system:report-job", "schedule");
        try {
            LocalDate day = scheduledDay(event);
            JobRun run = jobs.run("SCHEDULE-" + (id.isBlank() ? java.util.UUID.randomUUID().toString() : id),
                    JobTrigger.SCHEDULE, "system:schedule", day, Audience.company());
            Log.info("scheduled report job", "runId", run.runId(), "status", run.status().name());
            return run;
        } finally {
            Log.end();
        }
    }

    /** The business day before the event's time (EventBridge's {@code time}; now when absent or unreadable). */
    LocalDate scheduledDay(JsonNode event) {
        Instant at;
        try {
            at = Instant.parse(event.path("time").asText(""));
        } catch (DateTimeParseException e) {
            return jobs.today().minusDays(1);
        }
        return at.atZone(Requests.BUSINESS_ZONE).toLocalDate().minusDays(1);
    }
}
