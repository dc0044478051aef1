package com.rackflow.reports;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.access.RecordKind;
import com.rackflow.access.Scope;
import com.rackflow.contracts.Contract;
import com.rackflow.core.config.Config;
import com.rackflow.core.json.Json;
import com.rackflow.core.logging.Log;
import com.rackflow.core.logging.Metrics;
import com.rackflow.core.persistence.Items;
import com.rackflow.core.persistence.Key;
import com.rackflow.core.persistence.KeyQuery;
import com.rackflow.core.persistence.Keys;
import com.rackflow.core.persistence.Page;
import com.rackflow.core.persistence.Pager;
import com.rackflow.core.persistence.Table;
import com.rackflow.core.records.Requests;
import com.rackflow.directory.Department;
import com.rackflow.directory.StaffDirectory;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The daily report job (每日报表任务): yesterday's reports stored as snapshots, for the company and each department
 * (or for one department when its manager runs it), and contract-expiry reminders to the owners. Every run is
 * logged as an item: STARTED before any work, FINISHED or FAILED (with the error) after, so a failed scheduled
 * report shows in {@code GET /reports/jobs} instead of vanishing.
 */
public final class ReportJobs {
    public static final String DAILY = "DAILY_REPORTS";
    static final String REMINDER_KIND = "CONTRACT_EXPIRY";
    private static final int REMINDER_HORIZON = 90;

    /** Computes one report (the service; tests put a failing one in). */
    public interface Calculator {
        Report compute(ReportKind kind, ReportService.Request request, Audience audience);
    }

    private final Table table;
    private final ReportService reports;
    private final Calculator calculator;
    private final StaffDirectory directory;
    private final Clock clock;
    private final Duration timeout;

    public ReportJobs(Table table, Clock clock) {
        this(table, clock, null);
    }

    ReportJobs(Table table, Clock clock, Calculator calculator) {
        this.table = table;
        this.reports = new ReportService(table);
        this.calculator = calculator != null ? calculator : reports::compute;
        this.directory = new StaffDirectory(table);
        this.clock = clock;
        this.timeout = Duration.ofSeconds(Long.parseLong(Config.optional("REPORT_JOB_TIMEOUT_SECONDS").orElse("300")));
    }

    public LocalDate today() {
        return LocalDate.now(clock.withZone(Requests.BUSINESS_ZONE));
    }

    /**
     * Runs the daily job for one business day. A run id already logged (EventBridge delivering the same event
     * twice) is not run again: the logged run is returned. Report failures end the run as FAILED, never thrown.
     */
    public JobRun run(String runId, JobTrigger trigger, String by, LocalDate day, Audience audience) {
        JobRun started = new JobRun(runId, DAILY, trigger, by, audience.key(), day.toString(), day.toString(),
                JobStatus.STARTED, clock.instant().toString(), null, Map.of(), null, null);
        if (!table.putIfAbsent(item(started))) {
            return find(runId).orElseThrow();
        }
        return execute(started, audience);
    }

    /** Logs a run the job function is to run ({@link #runQueued}); it shows in the run log at once. */
    public JobRun queue(String runId, JobTrigger trigger, String by, LocalDate day, Audience audience) {
        JobRun queued = new JobRun(runId, DAILY, trigger, by, audience.key(), day.toString(), day.toString(),
                JobStatus.QUEUED, clock.instant().toString(), null, Map.of(), null, null);
        table.put(item(queued));
        return queued;
    }

    /** Ends a queued run that could not be handed to the job function. */
    public JobRun failQueued(JobRun queued, String why) {
        JobRun failed = queued.failed(why, Map.of(), clock.instant());
        table.putIfAttributeEquals(item(failed), "status", JobStatus.QUEUED.name());
        return find(queued.runId()).orElse(failed);
    }

    /**
     * Runs a queued run once: it moves QUEUED → STARTED with a conditional write, so a repeated asynchronous delivery
     * finds it taken and returns it as logged. Empty when no such run was queued.
     */
    public Optional<JobRun> runQueued(String runId) {
        Optional<JobRun> logged = table.get(Keys.reportJob(runId)).map(i -> Items.toRecord(i, JobRun.class));
        if (logged.isEmpty() || logged.get().status() != JobStatus.QUEUED) {
            return logged.map(r -> r.asSeenAt(clock.instant(), timeout));
        }
        JobRun queued = logged.get();
        JobRun started = queued.started(clock.instant());
        if (!table.putIfAttributeEquals(item(started), "status", JobStatus.QUEUED.name())) {
            return find(runId);
        }
        String scope = queued.scope();
        Audience audience = scope.startsWith("DEPT#") ? Audience.department(scope.substring("DEPT#".length())) : Audience.company();
        return Optional.of(execute(started, audience));
    }

    private JobRun execute(JobRun started, Audience audience) {
        String runId = started.runId();
        LocalDate day = LocalDate.parse(started.periodFrom());
        Map<String, Integer> counts = new LinkedHashMap<>();
        try {
            LocalDate today = today();
            List<Audience> audiences = new ArrayList<>(List.of(audience));
            if (audience.departmentId() == null) {
                directory.departments().stream().map(Department::departmentId).map(Audience::department).forEach(audiences::add);
            }
            ReportService.Request request = new ReportService.Request(Period.day(day), Granularity.DAY, REMINDER_HORIZON, today);
            for (ReportKind kind : ReportKind.values()) {
                for (Audience a : audiences) {
                    Report r = calculator.compute(kind, request, a);
                    storeSnapshot(day, r, runId);
                    if (a == audience) {
                        counts.put(kind.path(), r.rows().size());
                    }
                }
            }
            int reminders = remind(today, audience.scope(RecordKind.CONTRACT), runId);
            JobRun done = started.finished(counts, reminders, clock.instant());
            table.put(item(done));
            Log.info("report job finished", "runId", runId, "reminders", reminders);
            Metrics.count("ReportJobsFinished", "Trigger", started.trigger().name());
            return done;
        } catch (RuntimeException e) {
            Log.error("report job failed", e, "runId", runId);
            JobRun failed = started.failed(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()),
                    counts, clock.instant());
            table.put(item(failed));
            return failed;
        }
    }

    /**
     * One reminder per contract and window (30, 60 or 90 days left) to the contract's owner: the contract enters the
     * 90-day window, then the 60, then the 30; one already sent is not sent again (conditional write).
     */
    int remind(LocalDate today, Scope scope, String runId) {
        int sent = 0;
        for (Contract c : reports.expiring(today, REMINDER_HORIZON, scope)) {
            int window = ReportService.window(today, c.endDate());
            Key key = Keys.reminder(REMINDER_KIND, c.contractId(), window);
            String at = clock.instant().toString();
            Reminder r = new Reminder(key.pk().substring("REMINDER#".length()), REMINDER_KIND, c.ownerId(), c.departmentId(),
                    c.contractId(), c.serial(), window, c.endDate().toString(),
                    "contract " + c.serial() + " (" + c.customerName() + ") expires on " + c.endDate() + ", within " + window + " days",
                    "合同 " + c.serial() + "（" + c.customerName() + "）将于 " + c.endDate() + " 到期（" + window + " 天内），请及时跟进续约",
                    at, runId, at, 1);
            if (table.putIfAbsent(Reminders.item(r))) {
                sent++;
            }
        }
        return sent;
    }

    private void storeSnapshot(LocalDate day, Report r, String runId) {
        Key key = Keys.reportSnapshot(day.toString(), r.kind().name(), r.scope());
        ObjectNode o = Json.object();
        o.put("pk", key.pk());
        o.put("sk", key.sk());
        o.put("report", Json.write(r.toJson()));
        o.put("runId", runId);
        o.put("computedAt", clock.instant().toString());
        table.put(Items.fromObject(o));
    }

    /** A stored report of a day, as its JSON answer. */
    public Optional<ObjectNode> snapshot(LocalDate day, ReportKind kind, Audience audience) {
        return table.get(Keys.reportSnapshot(day.toString(), kind.name(), audience.key()))
                .map(i -> {
                    try {
                        return (ObjectNode) Json.read(i.get("report").s());
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
    }

    /**
     * A day's stored snapshots, kind by kind ({@code kind} empty: every kind) in the one pagination style; {@code scope}
     * {@code ALL} or {@code DEPT#<d>} keeps that audience's only, null keeps every audience (an admin's view).
     */
    public Page<ObjectNode> snapshots(LocalDate day, Optional<ReportKind> kind, String scope, String cursor, int limit) {
        String partition = Keys.reportSnapshotPartition(day.toString());
        List<KeyQuery> kinds = (kind.isPresent() ? List.of(kind.get()) : List.of(ReportKind.values())).stream()
                .map(k -> KeyQuery.on(null, partition, k.name() + "#" + (scope == null ? "" : scope)).oldestFirst()).toList();
        return Pager.page(table, kinds, cursor, limit, ReportJobs::snapshotView, s -> scope == null || s.path("scope").asText().equals(scope));
    }

    private static ObjectNode snapshotView(Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item) {
        String sk = item.get("sk").s();
        int cut = sk.indexOf('#');
        ReportKind kind = ReportKind.valueOf(sk.substring(0, cut));
        ObjectNode o = Json.object();
        o.put("day", item.get("pk").s().substring("REPORT_SNAPSHOT#".length()));
        o.put("kind", kind.path());
        o.put("kindLabel", kind.labelZh());
        o.put("scope", sk.substring(cut + 1));
        o.put("runId", item.get("runId").s());
        o.put("computedAt", item.get("computedAt").s());
        try {
            o.set("report", Json.read(item.get("report").s()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return o;
    }

    public Optional<JobRun> find(String runId) {
        return table.get(Keys.reportJob(runId)).map(i -> Items.toRecord(i, JobRun.class).asSeenAt(clock.instant(), timeout));
    }

    /**
     * Runs started in the period, newest first. A department's audience sees its own runs and the company-wide ones
     * (whether the scheduled report ran), without the company-wide row counts.
     */
    /** One page of the runs started in the period, newest first; a department sees its own and the company-wide ones (counts hidden). */
    public com.rackflow.core.persistence.Page<JobRun> list(Period period, Audience audience, String cursor, int limit) {
        String[] range = period.timestampRange();
        KeyQuery runs = KeyQuery.between(Keys.GSI_KIND, Keys.REPORT_JOBS_PARTITION, range[0], range[1]);
        return com.rackflow.core.persistence.Pager.page(table, List.of(runs), cursor, limit,
                i -> Items.toRecord(i, JobRun.class).asSeenAt(clock.instant(), timeout),
                run -> audience.departmentId() == null || run.scope().equals(audience.key()) || run.scope().equals("ALL"))
                .map(run -> audience.departmentId() == null || run.scope().equals(audience.key()) ? run
                        : new JobRun(run.runId(), run.job(), run.trigger(), run.triggeredBy(), run.scope(), run.periodFrom(),
                        run.periodTo(), run.status(), run.startedAt(), run.finishedAt(), null, null, run.error()));
    }

    private static Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item(JobRun run) {
        ObjectNode o = (ObjectNode) Json.tree(run);
        Key key = Keys.reportJob(run.runId());
        o.put("pk", key.pk());
        o.put("sk", key.sk());
        o.put("gsi3pk", Keys.REPORT_JOBS_PARTITION);
        o.put("gsi3sk", run.startedAt() + "#" + run.runId());
        return Items.fromObject(o);
    }
}
