package com.rackflow.reports;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.access.AccessPolicy;
import com.rackflow.access.Caller;
import com.rackflow.access.Module;
import com.rackflow.core.http.ApiException;
import com.rackflow.core.http.ApiHandler;
import com.rackflow.core.http.ApiRequest;
import com.rackflow.core.http.ApiResponse;
import com.rackflow.core.http.Idempotency;
import com.rackflow.core.http.Input;
import com.rackflow.core.http.Route;
import com.rackflow.core.aws.Lambdas;
import com.rackflow.core.config.Config;
import com.rackflow.core.json.Json;
import com.rackflow.core.logging.Log;
import com.rackflow.core.persistence.Dynamo;
import com.rackflow.core.persistence.Pager;
import com.rackflow.core.persistence.Table;
import com.rackflow.core.priming.Priming;
import com.rackflow.core.records.Requests;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The report API (报表): the reports for a period as JSON or CSV, the report jobs run on demand and their log,
 * and the caller's reminders. Who sees which numbers is {@link AccessPolicy#reportScope}'s decision.
 */
public class ReportsHandler extends ApiHandler {
    private static final List<String> PERIOD_PARAMS = List.of("from", "to", "departmentId", "format");

    private final ReportService reports;
    private final ReportJobs jobs;
    private final Idempotency idempotency;
    private final Table table;
    private final JobStarter starter;

    public ReportsHandler() {
        this(Dynamo.table(), Clock.systemUTC(), JobStarter.of(Lambdas.client(), Config.required("REPORT_JOB_FUNCTION")));
        // each report over a day (the expiry report: its window): the code of any period, at a month's Queries' 1/30
        // (a month each made priming take 8 s); as an admin, all departments (a manager's report checks that their
        // department exists, and the priming caller has none)
        List<Priming.Read> reads = new ArrayList<>(List.of(Priming.Read.of("/reminders"),
                Priming.Read.of("/reports/jobs", "from", "2026-01-01", "to", "2026-01-31")));
        for (ReportKind k : ReportKind.values()) {
            reads.add((k == ReportKind.CONTRACT_EXPIRY ? Priming.Read.of("/reports/" + k.path(), "within", "30")
                    : Priming.Read.of("/reports/" + k.path(), "from", "2026-01-01", "to", "2026-01-01")).as(com.rackflow.access.Role.ADMIN));
        }
        Priming.register(this, reads.toArray(Priming.Read[]::new));
    }

    public ReportsHandler(Table table, Clock clock, JobStarter starter) {
        this(table, new ReportJobs(table, clock), starter);
    }

    ReportsHandler(Table table, ReportJobs jobs, JobStarter starter) {
        super(table);
        this.table = table;
        this.starter = starter;
        this.reports = new ReportService(table);
        this.jobs = jobs;
        this.idempotency = new Idempotency(table);
    }

    @Override
    protected List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        for (ReportKind k : ReportKind.values()) {
            routes.add(Route.get("/reports/" + k.path(), r -> report(r, k)));
        }
        routes.add(Route.get("/reports/snapshots", this::snapshots));
        routes.add(Route.post("/reports/jobs", this::runJob));
        routes.add(Route.get("/reports/jobs", this::listJobs));
        routes.add(Route.get("/reminders", this::reminders));
        return routes;
    }

    private ApiResponse report(ApiRequest r, ReportKind kind) {
        Caller caller = r.requireCaller();
        List<String> allowed = new ArrayList<>(PERIOD_PARAMS);
        switch (kind) {
            case CONTRACT_EXPIRY:
                allowed.removeAll(List.of("from", "to"));
                allowed.add("within");
                break;
            case CALL_VOLUME:
            case CUSTOMER_FUNNEL:
            case CONTRACTS_SIGNED:
                allowed.add("granularity");
                break;
            default:
                break;
        }
        Input in = query(r, allowed);
        Period period = null;
        int within = 90;
        if (kind == ReportKind.CONTRACT_EXPIRY) {
            within = in.optionalString("within", 8).map(w -> {
                if (!List.of("30", "60", "90").contains(w)) {
                    in.add("within", "enum", "must be 30, 60 or 90 (days)");
                    return 90;
                }
                return Integer.parseInt(w);
            }).orElse(90);
        } else {
            period = period(in);
        }
        Granularity g = oneOf(in, "granularity", Granularity.values(), Granularity::paramValue).orElse(Granularity.DAY);
        boolean csv = format(in);
        String department = departmentId(in);
        in.validate();
        if (period != null) {
            period = Period.of(period.from(), period.to());
        }
        Audience audience = Audience.of(caller, department);
        Report report = reports.compute(kind, new ReportService.Request(period, g, within, jobs.today()), audience);
        if (csv) {
            return new ApiResponse(200, Map.of("Content-Type", Csv.CONTENT_TYPE,
                    "Content-Disposition", "attachment; filename=\"" + report.fileName() + "\""), Csv.of(report));
        }
        return ApiResponse.ok(report.toJson());
    }

    private ApiResponse runJob(ApiRequest r) {
        Caller caller = r.requireCaller();
        return idempotency.once(r, caller, () -> {
            Input in = Input.of(r.jsonBodyOrEmpty(), "job", "day", "departmentId");
            in.optionalString("job", 64).filter(j -> !j.equals(ReportJobs.DAILY))
                    .ifPresent(j -> in.add("job", "enum", "must be " + ReportJobs.DAILY));
            LocalDate yesterday = jobs.today().minusDays(1);
            LocalDate day = in.date("day", false).orElse(yesterday);
            if (day.isAfter(jobs.today())) {
                in.add("day", "notFuture", "must not be after today (" + jobs.today() + ")");
            }
            String department = departmentId(in);
            in.validate();
            Audience audience = Audience.of(caller, department);
            JobRun run = jobs.queue("ON_DEMAND-" + UUID.randomUUID(), JobTrigger.ON_DEMAND, caller.userId(), day, audience);
            try {
                starter.start(run.runId());
            } catch (RuntimeException e) {
                Log.error("report job could not be started", e, "runId", run.runId());
                jobs.failQueued(run, "the job function could not be invoked: " + e.getClass().getSimpleName());
                throw new ApiException(503, "JOB_NOT_STARTED", "the report job could not be started; run " + run.runId()
                        + " is logged as FAILED, try again", "报表任务未能启动，请重试", null, null);
            }
            return ApiResponse.json(202, view(run));
        });
    }

    /**
     * The snapshots the daily job stored for a business day, in the caller's report scope: a manager their
     * department's, an admin the company's and every department's (or one department's with {@code departmentId}).
     */
    private ApiResponse snapshots(ApiRequest r) {
        Caller caller = r.requireCaller();
        Input in = query(r, List.of("day", "kind", "departmentId", "limit", "cursor"));
        Optional<LocalDate> day = in.date("day", true);
        Optional<ReportKind> kind = oneOf(in, "kind", ReportKind.values(), ReportKind::path);
        String department = departmentId(in);
        in.validate();
        Audience audience = Audience.of(caller, department);
        boolean everyScope = caller.role() == com.rackflow.access.Role.ADMIN && department == null;
        var page = jobs.snapshots(day.orElseThrow(), kind, everyScope ? null : audience.key(), Requests.cursor(r),
                Pager.limit(r.queryParam("limit")));
        return ApiResponse.ok(page);
    }

    private ApiResponse listJobs(ApiRequest r) {
        Caller caller = r.requireCaller();
        Input in = query(r, List.of("from", "to", "departmentId", "cursor", "limit"));
        Period period = period(in);
        String department = departmentId(in);
        in.validate();
        period = Period.of(period.from(), period.to());
        Audience audience = Audience.of(caller, department);
        ObjectNode o = Json.object();
        o.put("from", period.from().toString());
        o.put("to", period.to().toString());
        var page = jobs.list(period, audience, Requests.cursor(r), Pager.limit(r.queryParam("limit")));
        var items = o.putArray("items");
        page.items().forEach(j -> items.add(view(j)));
        o.put("nextCursor", page.nextCursor());
        return ApiResponse.ok(o);
    }

    /** The caller's own reminders, newest first (a salesperson's contracts about to expire). */
    private ApiResponse reminders(ApiRequest r) {
        Caller caller = r.requireCaller();
        AccessPolicy.requireModule(caller, Module.WORK_ITEMS);
        var page = Pager.page(table, List.of(Reminders.query(caller.userId())), Requests.cursor(r),
                Pager.limit(r.queryParam("limit")), Reminders::reminder, x -> true);
        return ApiResponse.ok(page);
    }

    private static ObjectNode view(JobRun run) {
        ObjectNode o = com.rackflow.core.json.View.of(run, "runId", "job", "trigger", "triggeredBy", "scope", "periodFrom",
                "periodTo", "status", "startedAt", "finishedAt", "rowCounts", "remindersSent", "error");
        o.put("statusLabel", run.status().labelZh());
        o.put("triggerLabel", run.trigger().labelZh());
        return o;
    }

    // ---- query parameters, checked as strictly as bodies ----

    private static Input query(ApiRequest r, List<String> allowed) {
        ObjectNode q = Json.object();
        r.query().forEach(q::put);
        return Input.of(q, allowed.toArray(String[]::new));
    }

    private static Period period(Input in) {
        Optional<LocalDate> from = in.date("from", true);
        Optional<LocalDate> to = in.date("to", true);
        return from.isPresent() && to.isPresent() ? new Period(from.get(), to.get()) : null;
    }

    private static boolean format(Input in) {
        return oneOf(in, "format", new String[]{"json", "csv"}, s -> s).map("csv"::equals).orElse(false);
    }

    private static String departmentId(Input in) {
        Optional<String> d = in.optionalString("departmentId", 128);
        if (d.isPresent() && !d.get().matches("[A-Za-z0-9][A-Za-z0-9._@-]*")) {
            in.add("departmentId", "format", "must be a department id (letters, digits, . _ @ -)");
            return null;
        }
        return d.orElse(null);
    }

    private static <T> Optional<T> oneOf(Input in, String field, T[] values, java.util.function.Function<T, String> name) {
        Optional<String> s = in.optionalString(field, 16);
        if (s.isEmpty()) {
            return Optional.empty();
        }
        for (T v : values) {
            if (name.apply(v).equals(s.get())) {
                return Optional.of(v);
            }
        }
        in.add(field, "enum", "must be one of " + Arrays.stream(values).map(name).toList());
        return Optional.empty();
    }

}
