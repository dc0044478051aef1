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
 * The report job function. EventBridge's "Scheduled Event" (daily, 01:00 China Standard Time) runs the daily job for
 * the business day before the event's time; the event id is the run id, so a delivery EventBridge repeats is
 * answered with the run already logged, not run twice. {@code {"runId": ...}} (the API's asynchronous invocation)
 * runs a queued on-demand run once. A run that ends FAILED fails the invocation too, so Lambda's Errors metric and
 * the alarm on it see it; the run log says why.
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

    /** The run this event asked for, FINISHED (or as logged); throws {@link RunFailedException} when it FAILED. */
    public JobRun handle(JsonNode event) {
        boolean onDemand = event.hasNonNull("runId");
        String id = onDemand ? event.path("runId").asText() : event.path("id").asText("");
        Log.begin(id, "system:report-job", onDemand ? "on-demand" : "schedule");
        try {
            JobRun run;
            if (onDemand) {
                run = jobs.runQueued(id).orElseThrow(() -> new IllegalArgumentException("no report job run " + id + " was queued"));
            } else {
                LocalDate day = scheduledDay(event);
                run = jobs.run("SCHEDULE-" + (id.isBlank() ? java.util.UUID.randomUUID().toString() : id),
                        JobTrigger.SCHEDULE, "system:schedule", day, Audience.company());
            }
            Log.info("report job", "runId", run.runId(), "status", run.status().name());
            if (run.status() == JobStatus.FAILED) {
                throw new RunFailedException(run);
            }
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

    /** The invocation's error: Lambda reports its type and message; the run log has the details. */
    public static final class RunFailedException extends RuntimeException {
        private final transient JobRun run;

        RunFailedException(JobRun run) {
            super("report job run " + run.runId() + " FAILED: " + run.error(), null, false, false);
            this.run = run;
        }

        public JobRun run() {
            return run;
        }
    }
}
