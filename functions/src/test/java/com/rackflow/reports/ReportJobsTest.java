package com.rackflow.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.access.Caller;
import com.rackflow.contracts.Contract;
import com.rackflow.core.persistence.Table;
import com.rackflow.customers.Customer;
import com.rackflow.testing.Events;
import com.rackflow.testing.LocalTable;
import com.rackflow.testing.Reply;
import com.rackflow.testing.Staff;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.rackflow.reports.ReportData.TODAY;
import static com.rackflow.testing.Staff.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The report jobs: on demand and scheduled runs, the run log (FINISHED, FAILED with the error, a crashed run read as
 * FAILED), snapshots, and contract-expiry reminders sent once per contract and window however often the job runs.
 */
class ReportJobsTest {
    Table table;
    ReportData data;
    ReportsHandler handler;
    Contract east30;
    Contract east60;
    Contract south90;

    @BeforeEach
    void setUp() {
        table = LocalTable.create();
        Staff.seed(table);
        data = new ReportData(table);
        handler = new ReportsHandler(table, Clock.systemUTC(), runNow(new ReportJobs(table, Clock.systemUTC())));
        Customer east = data.signed(EAST_SALES_1, null);
        east30 = data.active(EAST_SALES_1, east, "1000.00", TODAY.plusDays(10));
        east60 = data.active(EAST_SALES_1, east, "2000.00", TODAY.plusDays(59));
        data.active(EAST_SALES_1, east, "3000.00", TODAY.plusDays(91));
        south90 = data.active(SOUTH_SALES_1, data.signed(SOUTH_SALES_1, null), "4000.00", TODAY.plusDays(61));
    }

    /** The job function as Lambda would run it for the API's asynchronous invocation (here at once, on this thread). */
    static JobStarter runNow(ReportJobs jobs) {
        return runId -> {
            try {
                new ReportJobHandler(jobs).handle(com.rackflow.core.json.Json.object().put("runId", runId));
            } catch (ReportJobHandler.RunFailedException e) {
                // the invocation failed (Lambda's Errors metric); the run log says why
            }
        };
    }

    /** POST /reports/jobs (202, the queued run), then the run as the log shows it once the job function ran it. */
    Reply runJob(Caller c, Map<String, Object> body) {
        return runJob(handler, c, body);
    }

    Reply runJob(ReportsHandler h, Caller c, Map<String, Object> body) {
        Reply accepted = Reply.of(h, Events.load("reports/run-report-job.json").as(c).header("Idempotency-Key", null).body(body));
        if (accepted.status() != 202) {
            return accepted;
        }
        assertThat(accepted.text("status")).isEqualTo("QUEUED");
        assertThat(accepted.text("statusLabel")).isEqualTo("排队中");
        JobRun logged = new ReportJobs(table, Clock.systemUTC()).find(accepted.text("runId")).orElseThrow();
        return new Reply(200, Map.of(), com.rackflow.core.json.Json.MAPPER.valueToTree(logged));
    }

    Reply listJobs(Caller c) {
        return Reply.of(handler, Events.load("reports/list-report-jobs.json").as(c).clearQuery()
                .query("from", TODAY.minusDays(1).toString()).query("to", TODAY.toString()));
    }

    List<String> reminders(Caller c) {
        Reply r = Reply.of(handler, Events.load("reports/list-reminders.json").as(c));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        r.body().path("items").forEach(i -> out.add(i.path("subjectLabel").asText() + ":" + i.path("windowDays").asInt()));
        return out;
    }

    @Test
    void anOnDemandRunIsLoggedAndRemindsEachOwnerOncePerContractAndWindow() {
        Reply first = runJob(ADMIN, Map.of("day", TODAY.toString()));
        assertThat(first.status()).as(first.body().toString()).isEqualTo(200);
        assertThat(first.text("status")).isEqualTo("FINISHED");
        assertThat(first.text("trigger")).isEqualTo("ON_DEMAND");
        assertThat(first.text("triggeredBy")).isEqualTo("admin");
        assertThat(first.text("scope")).isEqualTo("ALL");
        assertThat(first.text("periodFrom")).isEqualTo(TODAY.toString());
        assertThat(first.body().path("rowCounts").path("contract-expiry").asInt()).isEqualTo(3);
        assertThat(first.body().path("rowCounts").path("contracts-signed").asInt()).isEqualTo(2);
        assertThat(first.body().path("remindersSent").asInt()).isEqualTo(3);

        Reply second = runJob(ADMIN, Map.of("day", TODAY.toString()));
        assertThat(second.body().path("remindersSent").asInt()).as("the same windows again: nothing new").isZero();
        assertThat(reminders(EAST_SALES_1)).containsExactlyInAnyOrder(east30.serial() + ":30", east60.serial() + ":60");
        assertThat(reminders(SOUTH_SALES_1)).containsExactly(south90.serial() + ":90");
        assertThat(reminders(EAST_SALES_2)).isEmpty();
        Reply anyRole = Reply.of(handler, Events.load("reports/list-reminders.json").as(MAINTENANCE));
        assertThat(anyRole.status()).isEqualTo(200);
        assertThat(anyRole.body().path("items")).isEmpty();

        JsonNode runs = listJobs(ADMIN).body().path("items");
        assertThat(runs).hasSize(2);
        assertThat(runs.path(0).path("runId").asText()).isEqualTo(second.text("runId"));
    }

    @Test
    void aContractMovingIntoANarrowerWindowIsRemindedAgainOnce() {
        ReportJobs jobs = new ReportJobs(table, Clock.systemUTC());
        assertThat(jobs.remind(TODAY, new com.rackflow.access.Scope.All(), "r1")).isEqualTo(3);
        // 40 days later: east60 (19 days left) and south90 (21) enter the 30-day window, the 91-day one (51) the 60-day
        // window; east30 has ended
        assertThat(jobs.remind(TODAY.plusDays(40), new com.rackflow.access.Scope.All(), "r2")).isEqualTo(3);
        assertThat(jobs.remind(TODAY.plusDays(40), new com.rackflow.access.Scope.All(), "r3")).isZero();
        assertThat(reminders(SOUTH_SALES_1)).containsExactlyInAnyOrder(south90.serial() + ":90", south90.serial() + ":30");
    }

    @Test
    void aManagersRunCoversTheirDepartmentOnly() {
        Reply run = runJob(EAST_MANAGER, Map.of());
        assertThat(run.status()).as(run.body().toString()).isEqualTo(200);
        assertThat(run.text("scope")).isEqualTo("DEPT#east");
        assertThat(run.text("periodFrom")).isEqualTo(TODAY.minusDays(1).toString());
        assertThat(run.body().path("remindersSent").asInt()).isEqualTo(2);
        assertThat(reminders(SOUTH_SALES_1)).isEmpty();
        assertThat(runJob(ADMIN, Map.of()).body().path("remindersSent").asInt()).as("only south's was left").isEqualTo(1);
        assertThat(runJob(EAST_MANAGER, Map.of("departmentId", "south")).status()).isEqualTo(403);
        assertThat(runJob(SOUTH_MANAGER, Map.of()).body().path("remindersSent").asInt()).isZero();

        JsonNode southSees = listJobs(SOUTH_MANAGER).body().path("items");
        List<String> scopes = new ArrayList<>();
        southSees.forEach(j -> scopes.add(j.path("scope").asText()));
        assertThat(scopes).containsExactlyInAnyOrder("ALL", "DEPT#south");
        southSees.forEach(j -> {
            if (j.path("scope").asText().equals("ALL")) {
                assertThat(j.has("rowCounts")).as("company-wide counts are not a manager's").isFalse();
            }
        });
        assertThat(listJobs(ADMIN).body().path("items")).hasSize(3);
    }

    @Test
    void jobsAreForManagersAndAdminsAndCheckTheirInput() {
        for (Caller c : List.of(EAST_SALES_1, MAINTENANCE, OPERATIONS)) {
            assertThat(runJob(c, Map.of()).status()).isEqualTo(403);
            assertThat(listJobs(c).status()).isEqualTo(403);
        }
        assertThat(runJob(ADMIN, Map.of("day", TODAY.plusDays(1).toString())).violations()).containsExactly("day:notFuture");
        assertThat(runJob(ADMIN, Map.of("job", "WEEKLY", "day", "26.11.2026", "colour", "red")).violations())
                .containsExactlyInAnyOrder("job:enum", "day:date", "colour:unknown");
        Reply noPeriod = Reply.of(handler, Events.load("reports/list-report-jobs.json").as(ADMIN).clearQuery());
        assertThat(noPeriod.violations()).containsExactlyInAnyOrder("from:required", "to:required");
    }

    @Test
    void aFailingReportEndsTheRunAsFailedWithTheErrorVisibleInTheLog() {
        ReportService real = new ReportService(table);
        ReportJobs failing = new ReportJobs(table, Clock.systemUTC(), (kind, request, audience) -> {
            if (kind == ReportKind.RACKING) {
                throw new IllegalStateException("racking report broke");
            }
            return real.compute(kind, request, audience);
        });
        ReportsHandler h = new ReportsHandler(table, failing, runNow(failing));
        Reply run = runJob(h, ADMIN, Map.of());
        assertThat(run.text("status")).isEqualTo("FAILED");
        assertThat(run.text("error")).isEqualTo("IllegalStateException: racking report broke");
        assertThat(run.body().path("rowCounts").has("contracts-signed")).as("what was done before").isTrue();
        assertThat(run.body().path("rowCounts").has("racking")).isFalse();
        assertThat(run.text("finishedAt")).isNotNull();
        JsonNode logged = listJobs(EAST_MANAGER).body().path("items");
        assertThat(logged).hasSize(1);
        assertThat(logged.path(0).path("status").asText()).isEqualTo("FAILED");
        assertThat(logged.path(0).path("error").asText()).contains("racking report broke");
        assertThat(reminders(EAST_SALES_1)).as("no reminders from a failed run").isEmpty();
    }

    @Test
    void aRunThatCrashedMidwayReadsAsFailedOnceTheTimeoutHasPassed() {
        ReportJobs crashing = new ReportJobs(table, Clock.systemUTC(), (kind, request, audience) -> {
            throw new OutOfMemoryError("simulated crash");
        });
        String runId = "SCHEDULE-" + UUID.randomUUID();
        assertThatThrownBy(() -> crashing.run(runId, JobTrigger.SCHEDULE, "system:schedule", TODAY.minusDays(1), Audience.company()))
                .isInstanceOf(OutOfMemoryError.class);
        ReportJobs now = new ReportJobs(table, Clock.systemUTC());
        assertThat(now.find(runId).orElseThrow().status()).as("still within the timeout").isEqualTo(JobStatus.STARTED);
        ReportJobs later = new ReportJobs(table, Clock.offset(Clock.systemUTC(), Duration.ofSeconds(301)));
        JobRun seen = later.find(runId).orElseThrow();
        assertThat(seen.status()).isEqualTo(JobStatus.FAILED);
        assertThat(seen.error()).contains("did not finish within the function timeout (300 s)");
        assertThat(later.list(new Period(TODAY.minusDays(1), TODAY.plusDays(1)), Audience.company(), null, 100).items())
                .extracting(JobRun::status).containsExactly(JobStatus.FAILED);
    }

    @Test
    void theScheduledEventRunsYesterdaysReportsOnceAndStoresSnapshots() throws Exception {
        ObjectNode event = (ObjectNode) Events.load("reports/scheduled/daily-report-job.json").json();
        String id = UUID.randomUUID().toString();
        Instant at = TODAY.atStartOfDay(ZoneOffset.ofHours(8)).toInstant().plus(Duration.ofHours(1));
        event.put("id", id).put("time", at.toString());
        ReportJobHandler scheduled = new ReportJobHandler(table, Clock.systemUTC());
        JobRun run = scheduled.handle(event);
        assertThat(run.runId()).isEqualTo("SCHEDULE-" + id);
        assertThat(run.trigger()).isEqualTo(JobTrigger.SCHEDULE);
        assertThat(run.status()).isEqualTo(JobStatus.FINISHED);
        assertThat(run.periodFrom()).isEqualTo(TODAY.minusDays(1).toString());
        assertThat(run.remindersSent()).isEqualTo(3);
        JobRun again = scheduled.handle(event);
        assertThat(again.startedAt()).as("a repeated delivery is not run twice").isEqualTo(run.startedAt());
        assertThat(listJobs(ADMIN).body().path("items")).hasSize(1);

        var out = new java.io.ByteArrayOutputStream();
        scheduled.handleRequest(new java.io.ByteArrayInputStream(com.rackflow.core.json.Json.write(event).getBytes()), out, null);
        assertThat(out.toString()).contains("\"runId\":\"SCHEDULE-" + id + "\"");

        ReportJobs jobs = new ReportJobs(table, Clock.systemUTC());
        for (ReportKind kind : ReportKind.values()) {
            assertThat(jobs.snapshot(TODAY.minusDays(1), kind, Audience.company())).as(kind + " ALL").isPresent();
            assertThat(jobs.snapshot(TODAY.minusDays(1), kind, Audience.department("east"))).as(kind + " east").isPresent();
        }
        JsonNode expiry = jobs.snapshot(TODAY.minusDays(1), ReportKind.CONTRACT_EXPIRY, Audience.department("east")).orElseThrow();
        assertThat(expiry.path("rows")).hasSize(2);
        assertThat(expiry.path("scope").asText()).isEqualTo("DEPT#east");
    }

    @Test
    void theSampleScheduledEventNamesTheDayBeforeItsTime() {
        JobRun run = new ReportJobHandler(table, Clock.systemUTC()).handle(Events.load("reports/scheduled/daily-report-job.json").json());
        assertThat(run.periodFrom()).as("17:00 UTC on 11-26 is 01:00 on 11-27 in Shanghai").isEqualTo("2026-11-26");
    }

    @Test
    void aFailedScheduledRunFailsTheInvocationWhileTheLogSaysWhy() {
        ReportJobs failing = new ReportJobs(table, Clock.systemUTC(), (kind, request, audience) -> {
            throw new IllegalStateException("snapshot store unavailable");
        });
        ObjectNode event = (ObjectNode) Events.load("reports/scheduled/daily-report-job.json").json();
        event.put("id", UUID.randomUUID().toString());
        byte[] payload = com.rackflow.core.json.Json.write(event).getBytes();
        assertThatThrownBy(() -> new ReportJobHandler(failing).handleRequest(new java.io.ByteArrayInputStream(payload),
                new java.io.ByteArrayOutputStream(), null))
                .isInstanceOf(ReportJobHandler.RunFailedException.class)
                .hasMessageContaining("SCHEDULE-" + event.path("id").asText())
                .hasMessageContaining("IllegalStateException: snapshot store unavailable");
        JobRun logged = new ReportJobs(table, Clock.systemUTC()).find("SCHEDULE-" + event.path("id").asText()).orElseThrow();
        assertThat(logged.status()).isEqualTo(JobStatus.FAILED);
        assertThat(logged.error()).isEqualTo("IllegalStateException: snapshot store unavailable");
        assertThatThrownBy(() -> new ReportJobHandler(failing).handle(event)).as("a repeated delivery fails again, nothing rerun")
                .isInstanceOf(ReportJobHandler.RunFailedException.class);
    }

    @Test
    void theApiQueuesTheRunAnswers202AndTheJobFunctionRunsItOnce() {
        List<String> invoked = new ArrayList<>();
        ReportsHandler api = new ReportsHandler(table, Clock.systemUTC(), invoked::add);
        Reply accepted = Reply.of(api, Events.load("reports/run-report-job.json").as(EAST_MANAGER).body(Map.of()));
        assertThat(accepted.status()).as(accepted.body().toString()).isEqualTo(202);
        String runId = accepted.text("runId");
        assertThat(runId).startsWith("ON_DEMAND-");
        assertThat(accepted.text("status")).isEqualTo("QUEUED");
        assertThat(invoked).containsExactly(runId);
        JsonNode listed = listJobs(EAST_MANAGER).body().path("items");
        assertThat(listed.path(0).path("runId").asText()).isEqualTo(runId);
        assertThat(listed.path(0).path("status").asText()).isEqualTo("QUEUED");

        ObjectNode event = (ObjectNode) Events.load("reports/on-demand/queued-report-job.json").json();
        event.put("runId", runId);
        ReportJobHandler function = new ReportJobHandler(table, Clock.systemUTC());
        JobRun run = function.handle(event);
        assertThat(run.status()).isEqualTo(JobStatus.FINISHED);
        assertThat(run.scope()).isEqualTo("DEPT#east");
        assertThat(run.remindersSent()).isEqualTo(2);
        JobRun again = function.handle(event);
        assertThat(again.finishedAt()).as("Lambda delivering the event twice runs it once").isEqualTo(run.finishedAt());
        assertThat(reminders(EAST_SALES_1)).hasSize(2);
        assertThat(listJobs(EAST_MANAGER).body().path("items").path(0).path("status").asText()).isEqualTo("FINISHED");

        Reply replay = Reply.of(api, Events.load("reports/run-report-job.json").as(EAST_MANAGER).body(Map.of()));
        assertThat(replay.text("runId")).as("the same Idempotency-Key answers the same run").isEqualTo(runId);
        assertThat(invoked).hasSize(1);
        ObjectNode unknown = (ObjectNode) Events.load("reports/on-demand/queued-report-job.json").json();
        assertThatThrownBy(() -> function.handle(unknown)).hasMessageContaining("was queued");
    }

    @Test
    void aRunLambdaDidNotTakeIsA503AndLoggedAsFailedAndOneNeverPickedUpReadsAsFailed() {
        ReportsHandler api = new ReportsHandler(table, Clock.systemUTC(), runId -> {
            throw new IllegalStateException("TooManyRequestsException");
        });
        Reply refused = runJob(api, ADMIN, Map.of());
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.errorCode()).isEqualTo("JOB_NOT_STARTED");
        JsonNode logged = listJobs(ADMIN).body().path("items");
        assertThat(logged.path(0).path("status").asText()).isEqualTo("FAILED");
        assertThat(logged.path(0).path("error").asText()).contains("could not be invoked");

        Reply queued = runJob(new ReportsHandler(table, Clock.systemUTC(), runId -> { }), ADMIN, Map.of());
        String runId = queued.text("runId");
        assertThat(queued.text("status")).isEqualTo("QUEUED");
        JobRun later = new ReportJobs(table, Clock.offset(Clock.systemUTC(), Duration.ofSeconds(301))).find(runId).orElseThrow();
        assertThat(later.status()).isEqualTo(JobStatus.FAILED);
        assertThat(later.error()).contains("did not pick the run up");
    }

    Reply snapshots(Caller c, String... query) {
        Events e = Events.load("reports/list-report-snapshots.json").as(c).clearQuery();
        for (int i = 0; i < query.length; i += 2) {
            e.query(query[i], query[i + 1]);
        }
        return Reply.of(handler, e);
    }

    @Test
    void storedSnapshotsAreReadInTheReportScopeOnePageAtATime() {
        ObjectNode event = (ObjectNode) Events.load("reports/scheduled/daily-report-job.json").json();
        Instant at = TODAY.atStartOfDay(ZoneOffset.ofHours(8)).toInstant().plus(Duration.ofHours(1));
        event.put("id", UUID.randomUUID().toString()).put("time", at.toString());
        JobRun run = new ReportJobHandler(table, Clock.systemUTC()).handle(event);
        String day = TODAY.minusDays(1).toString();

        Reply east = snapshots(EAST_MANAGER, "day", day);
        assertThat(east.status()).as(east.body().toString()).isEqualTo(200);
        List<String> eastSeen = new ArrayList<>();
        east.body().path("items").forEach(i -> eastSeen.add(i.path("kind").asText() + "/" + i.path("scope").asText()));
        assertThat(eastSeen).hasSize(ReportKind.values().length).allMatch(s -> s.endsWith("/DEPT#east"));
        JsonNode expiry = snapshots(EAST_MANAGER, "day", day, "kind", "contract-expiry").body().path("items");
        assertThat(expiry).hasSize(1);
        assertThat(expiry.path(0).path("runId").asText()).isEqualTo(run.runId());
        assertThat(expiry.path(0).path("kindLabel").asText()).isEqualTo("合同到期提醒");
        assertThat(expiry.path(0).path("report").path("rows")).hasSize(2);

        List<String> adminSeen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Reply page = cursor == null ? snapshots(ADMIN, "day", day, "limit", "4") : snapshots(ADMIN, "day", day, "limit", "4", "cursor", cursor);
            assertThat(page.body().path("items").size()).isLessThanOrEqualTo(4);
            page.body().path("items").forEach(i -> adminSeen.add(i.path("kind").asText() + "/" + i.path("scope").asText()));
            cursor = page.text("nextCursor");
            pages++;
        } while (cursor != null);
        assertThat(pages).isGreaterThan(1);
        assertThat(adminSeen).doesNotHaveDuplicates().contains("racking/ALL", "racking/DEPT#east", "racking/DEPT#south")
                .hasSize(ReportKind.values().length * 6);
        assertThat(snapshots(ADMIN, "day", day, "departmentId", "south").body().path("items"))
                .allMatch(i -> i.path("scope").asText().equals("DEPT#south")).hasSize(ReportKind.values().length);

        assertThat(snapshots(SOUTH_MANAGER, "day", day, "departmentId", "east").status()).isEqualTo(403);
        assertThat(snapshots(EAST_SALES_1, "day", day).status()).isEqualTo(403);
        assertThat(snapshots(EAST_MANAGER, "day", TODAY.minusDays(30).toString()).body().path("items")).isEmpty();
        assertThat(snapshots(EAST_MANAGER).violations()).containsExactly("day:required");
        assertThat(snapshots(EAST_MANAGER, "day", "yesterday", "kind", "weekly", "colour", "red").violations())
                .containsExactlyInAnyOrder("day:date", "kind:enum", "colour:unknown");
    }
}
