package com.rackflow.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.rackflow.access.Owned;
import com.rackflow.access.RecordKind;
import com.rackflow.access.Scope;
import com.rackflow.activities.ActivityService;
import com.rackflow.activities.ActivityType;
import com.rackflow.contracts.Contract;
import com.rackflow.contracts.ContractService;
import com.rackflow.core.history.Change;
import com.rackflow.core.history.HistoryEntry;
import com.rackflow.core.http.ApiException;
import com.rackflow.core.persistence.Items;
import com.rackflow.core.persistence.Keys;
import com.rackflow.core.persistence.Table;
import com.rackflow.customers.Customer;
import com.rackflow.customers.CustomerStatus;
import com.rackflow.directory.Department;
import com.rackflow.directory.StaffDirectory;
import com.rackflow.directory.StaffUser;
import com.rackflow.racking.RackingFlow;
import com.rackflow.reports.Report.Column;
import com.rackflow.servicerecords.ServiceRecord;
import com.rackflow.servicerecords.ServiceStatus;
import com.rackflow.servicerecords.ServiceType;
import com.rackflow.workitems.FlowType;
import com.rackflow.workitems.Stage;
import com.rackflow.workitems.WorkItem;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Computes the reports (报表). Every report reads only what its period bounds: the salespeople's owner partitions
 * over the period (call volume), the period's history day partitions (funnel, contracts signed, racking, service),
 * the ACTIVE contracts ending within the window (expiry), plus one GetItem per record those name, to count it only
 * when it is in the audience's scope.
 */
public final class ReportService {
    /** The expiry windows (days) of the contract-expiry report and its reminders. */
    public static final List<Integer> EXPIRY_WINDOWS = List.of(30, 60, 90);

    private final Table table;
    private final ActivityService activities;
    private final ContractService contracts;
    private final StaffDirectory directory;
    private final PeriodEvents events;

    public ReportService(Table table) {
        this.table = table;
        this.activities = new ActivityService(table);
        this.contracts = new ContractService(table);
        this.directory = new StaffDirectory(table);
        this.events = new PeriodEvents(table);
    }

    /** What a report is asked for: the period and grouping, or (expiry) the window and the day it counts from. */
    public record Request(Period period, Granularity granularity, int withinDays, LocalDate today) {
    }

    public Report compute(ReportKind kind, Request r, Audience a) {
        if (a.departmentId() != null && directory.department(a.departmentId()).isEmpty()) {
            throw ApiException.invalid("departmentId", "exists", "no department has this id");
        }
        Reading reading = new Reading(a);
        switch (kind) {
            case CALL_VOLUME:
                return callVolume(r, a, reading);
            case CUSTOMER_FUNNEL:
                return funnel(r, a, reading);
            case CONTRACTS_SIGNED:
                return contractsSigned(r, a, reading);
            case CONTRACT_EXPIRY:
                return expiry(r, a, reading);
            case RACKING:
                return racking(r, a, reading);
            default:
                return service(r, a, reading);
        }
    }

    // ---- call volume (电话量) ----

    private Report callVolume(Request r, Audience a, Reading reading) {
        List<StaffUser> people = new ArrayList<>();
        List<String> departments = a.departmentId() != null ? List.of(a.departmentId())
                : directory.departments().stream().map(Department::departmentId).toList();
        departments.forEach(d -> people.addAll(directory.members(d)));
        List<Column> cols = new ArrayList<>(List.of(new Column("ownerId", "业务员账号"), new Column("ownerName", "业务员"),
                new Column("departmentId", "部门"), new Column("period", periodHeading(r.granularity())),
                new Column("total", "活动合计")));
        for (ActivityType t : ActivityType.values()) {
            cols.add(new Column(t.name(), t.labelZh()));
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        int total = 0;
        int active = 0;
        for (StaffUser u : people) {
            Map<LocalDate, Map<ActivityType, Integer>> buckets = new TreeMap<>();
            for (ActivityService.DailyVolume v : activities.dailyVolume(u.userId(), r.period().from(), r.period().to())) {
                Map<ActivityType, Integer> b = buckets.computeIfAbsent(r.granularity().bucket(v.day()), d -> new EnumMap<>(ActivityType.class));
                v.byType().forEach((t, n) -> b.merge(t, n, Integer::sum));
            }
            if (!buckets.isEmpty()) {
                active++;
            }
            for (var e : buckets.entrySet()) {
                Map<String, Object> row = Report.row();
                row.put("ownerId", u.userId());
                row.put("ownerName", u.displayName());
                row.put("departmentId", u.departmentId());
                row.put("period", e.getKey().toString());
                int sum = e.getValue().values().stream().mapToInt(Integer::intValue).sum();
                row.put("total", sum);
                for (ActivityType t : ActivityType.values()) {
                    row.put(t.name(), e.getValue().getOrDefault(t, 0));
                }
                total += sum;
                rows.add(row);
            }
        }
        return report(ReportKind.CALL_VOLUME, r.period(), a, cols, rows, totals("activities", total, "salespeople", active));
    }

    // ---- customers: new and status transitions (客户漏斗) ----

    private Report funnel(Request r, Audience a, Reading reading) {
        Map<LocalDate, int[]> buckets = new TreeMap<>();
        CustomerStatus[] statuses = CustomerStatus.values();
        int created = 0;
        int moved = 0;
        for (HistoryEntry e : events.of(r.period(), "CUSTOMER", List.of("CREATED", "STATUS_CHANGED"))) {
            if (reading.inScope("CUSTOMER", e.recordId(), Customer.class, RecordKind.CUSTOMER).isEmpty()) {
                continue;
            }
            int[] counts = buckets.computeIfAbsent(bucket(r, e), d -> new int[statuses.length + 1]);
            if (e.action().equals("CREATED")) {
                counts[0]++;
                created++;
            } else {
                Optional<String> to = after(e, "status");
                if (to.isPresent()) {
                    counts[1 + CustomerStatus.valueOf(to.get()).ordinal()]++;
                    moved++;
                }
            }
        }
        List<Column> cols = new ArrayList<>(List.of(new Column("period", periodHeading(r.granularity())),
                new Column("newCustomers", "新增客户")));
        for (CustomerStatus s : statuses) {
            cols.add(new Column("to" + s.name(), "转为" + s.labelZh()));
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        buckets.forEach((day, counts) -> {
            Map<String, Object> row = Report.row();
            row.put("period", day.toString());
            row.put("newCustomers", counts[0]);
            for (CustomerStatus s : statuses) {
                row.put("to" + s.name(), counts[1 + s.ordinal()]);
            }
            rows.add(row);
        });
        return report(ReportKind.CUSTOMER_FUNNEL, r.period(), a, cols, rows, totals("newCustomers", created, "transitions", moved));
    }

    // ---- contracts signed (合同签约): moved to ACTIVE in the period ----

    private Report contractsSigned(Request r, Audience a, Reading reading) {
        Map<String, Map<String, Object>> byBucketAndOwner = new TreeMap<>();
        Set<String> counted = new LinkedHashSet<>();
        BigDecimal value = BigDecimal.ZERO.setScale(2);
        for (HistoryEntry e : events.of(r.period(), "CONTRACT", List.of("STATUS_CHANGED"))) {
            if (!after(e, "status").map("ACTIVE"::equals).orElse(false) || !counted.add(e.recordId())) {
                continue;
            }
            Optional<Contract> c = reading.inScope("CONTRACT", e.recordId(), Contract.class, RecordKind.CONTRACT);
            if (c.isEmpty()) {
                counted.remove(e.recordId());
                continue;
            }
            String period = bucket(r, e).toString();
            Map<String, Object> row = byBucketAndOwner.computeIfAbsent(period + "#" + c.get().ownerId(), k -> {
                Map<String, Object> x = Report.row();
                x.put("period", period);
                x.put("ownerId", c.get().ownerId());
                x.put("ownerName", reading.name(c.get().ownerId()));
                x.put("departmentId", c.get().departmentId());
                x.put("contracts", 0);
                x.put("monthlyValue", BigDecimal.ZERO.setScale(2));
                return x;
            });
            row.put("contracts", (Integer) row.get("contracts") + 1);
            row.put("monthlyValue", ((BigDecimal) row.get("monthlyValue")).add(c.get().monthlyFee()).setScale(2, RoundingMode.HALF_UP));
            value = value.add(c.get().monthlyFee());
        }
        List<Column> cols = List.of(new Column("period", periodHeading(r.granularity())), new Column("ownerId", "业务员账号"),
                new Column("ownerName", "业务员"), new Column("departmentId", "部门"), new Column("contracts", "签约合同数"),
                new Column("monthlyValue", "月费合计（元）"));
        return report(ReportKind.CONTRACTS_SIGNED, r.period(), a, cols, new ArrayList<>(byBucketAndOwner.values()),
                totals("contractsSigned", counted.size(), "monthlyValue", value.setScale(2, RoundingMode.HALF_UP)));
    }

    // ---- contracts expiring within 30/60/90 days (合同到期) ----

    /** ACTIVE contracts in scope ending from {@code today} to {@code today + withinDays}, soonest first. */
    public List<Contract> expiring(LocalDate today, int withinDays, Scope scope) {
        return contracts.activeEndingBetween(today, today.plusDays(withinDays)).stream().filter(scope::includes).toList();
    }

    /** The smallest window (30, 60, 90) a contract ending on {@code endDate} is in, counted from {@code today}. */
    public static int window(LocalDate today, LocalDate endDate) {
        long left = ChronoUnit.DAYS.between(today, endDate);
        return EXPIRY_WINDOWS.stream().filter(w -> left <= w).findFirst().orElse(Integer.MAX_VALUE);
    }

    private Report expiry(Request r, Audience a, Reading reading) {
        List<Map<String, Object>> rows = new ArrayList<>();
        Map<Integer, Integer> perWindow = new TreeMap<>();
        EXPIRY_WINDOWS.forEach(w -> perWindow.put(w, 0));
        for (Contract c : expiring(r.today(), r.withinDays(), a.scope(RecordKind.CONTRACT))) {
            Map<String, Object> row = Report.row();
            int w = window(r.today(), c.endDate());
            row.put("serial", c.serial());
            row.put("customerCode", c.customerCode());
            row.put("customerName", c.customerName());
            row.put("ownerId", c.ownerId());
            row.put("ownerName", reading.name(c.ownerId()));
            row.put("departmentId", c.departmentId());
            row.put("endDate", c.endDate().toString());
            row.put("daysLeft", ChronoUnit.DAYS.between(r.today(), c.endDate()));
            row.put("window", w);
            row.put("monthlyFee", c.monthlyFee().setScale(2, RoundingMode.HALF_UP));
            perWindow.merge(w, 1, Integer::sum);
            rows.add(row);
        }
        List<Column> cols = List.of(new Column("serial", "合同编号"), new Column("customerCode", "客户编号"),
                new Column("customerName", "客户名称"), new Column("ownerId", "业务员账号"), new Column("ownerName", "业务员"),
                new Column("departmentId", "部门"), new Column("endDate", "到期日"), new Column("daysLeft", "剩余天数"),
                new Column("window", "到期提醒档（天）"), new Column("monthlyFee", "月费（元）"));
        Map<String, Object> totals = totals("contractsExpiring", rows.size(), "within30Days", perWindow.get(30),
                "within60Days", perWindow.get(60), "within90Days", perWindow.get(90));
        return new Report(ReportKind.CONTRACT_EXPIRY, r.today().toString(), r.today().plusDays(r.withinDays()).toString(), a.key(),
                cols, rows, totals);
    }

    // ---- racking flows (上架流程): started / completed / rejected, time per stage, overdue stages ----

    private static final List<String> FLOW_ACTIONS = List.of("STARTED", "COMPLETED", "REJECTED", "FAILED",
            "STAGE_OPENED", "STAGE_COMPLETED", "STAGE_REJECTED", "STAGE_ESCALATED");

    private Report racking(Request r, Audience a, Reading reading) {
        String type = FlowType.RACKING.recordType();
        Map<String, Integer> flows = new LinkedHashMap<>();
        List.of("STARTED", "COMPLETED", "REJECTED", "FAILED").forEach(s -> flows.put(s, 0));
        Map<Stage, StageCounts> stages = new EnumMap<>(Stage.class);
        for (Stage s : Stage.values()) {
            if (s.flow() == FlowType.RACKING) {
                stages.put(s, new StageCounts());
            }
        }
        Set<String> decided = new LinkedHashSet<>();
        Set<String> escalated = new LinkedHashSet<>();
        for (HistoryEntry e : events.of(r.period(), type, FLOW_ACTIONS)) {
            if (reading.inScope(type, e.recordId(), RackingFlow.class, RecordKind.RACKING_FLOW).isEmpty()) {
                continue;
            }
            if (flows.containsKey(e.action())) {
                flows.merge(e.action(), 1, Integer::sum);
                continue;
            }
            Stage stage = stageOf(e);
            StageCounts c = stage == null ? null : stages.get(stage);
            if (c == null) {
                continue;
            }
            String itemId = WorkItem.id(e.recordId(), stage);
            switch (e.action()) {
                case "STAGE_OPENED":
                    c.opened++;
                    break;
                case "STAGE_ESCALATED":
                    if (escalated.add(itemId)) {
                        c.escalated++;
                    }
                    break;
                default:
                    if (!decided.add(itemId)) {
                        break;
                    }
                    if (e.action().equals("STAGE_COMPLETED")) {
                        c.completed++;
                    } else {
                        c.rejected++;
                    }
                    reading.workItem(type, e.recordId(), stage)
                            .filter(w -> w.completedAt() != null)
                            .ifPresent(w -> c.add(Duration.between(Instant.parse(w.createdAt()), Instant.parse(w.completedAt()))));
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        stages.forEach((stage, c) -> {
            Map<String, Object> row = Report.row();
            row.put("stage", stage.name());
            row.put("stageLabel", stage.labelZh());
            row.put("opened", c.opened);
            row.put("completed", c.completed);
            row.put("rejected", c.rejected);
            row.put("escalated", c.escalated);
            c.put(row, "");
            rows.add(row);
        });
        List<Column> cols = List.of(new Column("stage", "环节代码"), new Column("stageLabel", "环节"), new Column("opened", "开启"),
                new Column("completed", "完成"), new Column("rejected", "驳回"), new Column("escalated", "超期升级"),
                new Column("decided", "已处理（计时）"), new Column("averageHours", "平均耗时（小时）"),
                new Column("maxHours", "最长耗时（小时）"), new Column("averageSeconds", "平均耗时（秒）"));
        return report(ReportKind.RACKING, r.period(), a, cols, rows, totals("flowsStarted", flows.get("STARTED"),
                "flowsCompleted", flows.get("COMPLETED"), "flowsRejected", flows.get("REJECTED"), "flowsFailed", flows.get("FAILED"),
                "overdueStages", escalated.size()));
    }

    /** Stage events note their stage first: {@code OPS_REVIEW：…} (WorkItemService). */
    private static Stage stageOf(HistoryEntry e) {
        if (e.note() == null) {
            return null;
        }
        int sep = e.note().indexOf('：');
        String name = sep < 0 ? e.note() : e.note().substring(0, sep);
        try {
            return Stage.valueOf(name.trim());
        } catch (IllegalArgumentException ex) {
            return null;
        }
    }

    // ---- service records (客户服务): opened, resolved, time to resolve ----

    private Report service(Request r, Audience a, Reading reading) {
        Map<ServiceType, StageCounts> byType = new EnumMap<>(ServiceType.class);
        for (ServiceType t : ServiceType.values()) {
            byType.put(t, new StageCounts());
        }
        Set<String> resolved = new LinkedHashSet<>();
        StageCounts all = new StageCounts();
        for (HistoryEntry e : events.of(r.period(), "SERVICE_RECORD", List.of("CREATED", "STATUS_CHANGED"))) {
            Optional<ServiceRecord> s = reading.inScope("SERVICE_RECORD", e.recordId(), ServiceRecord.class, RecordKind.SERVICE_RECORD);
            if (s.isEmpty()) {
                continue;
            }
            StageCounts c = byType.get(s.get().type());
            if (e.action().equals("CREATED")) {
                c.opened++;
                all.opened++;
            } else if (after(e, "status").map(ServiceStatus.RESOLVED.name()::equals).orElse(false)
                    && s.get().resolvedAt() != null && r.period().contains(Instant.parse(s.get().resolvedAt()))
                    && resolved.add(e.recordId())) {
                // the latest resolution counts, in the period it falls in; a reopened record counts when resolved again
                Duration d = Duration.between(Instant.parse(s.get().createdAt()), Instant.parse(s.get().resolvedAt()));
                c.completed++;
                c.add(d);
                all.completed++;
                all.add(d);
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        byType.forEach((t, c) -> {
            Map<String, Object> row = Report.row();
            row.put("type", t.name());
            row.put("typeLabel", t.labelZh());
            row.put("opened", c.opened);
            row.put("resolved", c.completed);
            c.put(row, "ToResolve");
            row.remove("decidedToResolve");
            rows.add(row);
        });
        List<Column> cols = List.of(new Column("type", "类型代码"), new Column("typeLabel", "服务类型"), new Column("opened", "新建"),
                new Column("resolved", "已解决"), new Column("averageHoursToResolve", "平均解决时长（小时）"),
                new Column("maxHoursToResolve", "最长解决时长（小时）"), new Column("averageSecondsToResolve", "平均解决时长（秒）"));
        return report(ReportKind.SERVICE, r.period(), a, cols, rows, totals("opened", all.opened, "resolved", all.completed,
                "averageHoursToResolve", all.averageHours()));
    }

    // ---- shared ----

    /** Counts and durations of one stage (or one service type). */
    private static final class StageCounts {
        int opened;
        int completed;
        int rejected;
        int escalated;
        int timed;
        long totalMillis;
        long maxMillis;

        void add(Duration d) {
            timed++;
            totalMillis += d.toMillis();
            maxMillis = Math.max(maxMillis, d.toMillis());
        }

        BigDecimal averageHours() {
            return timed == 0 ? null : BigDecimal.valueOf(totalMillis).divide(BigDecimal.valueOf(timed * 3_600_000L), 2, RoundingMode.HALF_UP);
        }

        void put(Map<String, Object> row, String suffix) {
            row.put("decided" + suffix, timed);
            row.put("averageHours" + suffix, averageHours());
            row.put("maxHours" + suffix, timed == 0 ? null
                    : BigDecimal.valueOf(maxMillis).divide(BigDecimal.valueOf(3_600_000L), 2, RoundingMode.HALF_UP));
            row.put("averageSeconds" + suffix, timed == 0 ? null
                    : BigDecimal.valueOf(totalMillis).divide(BigDecimal.valueOf(timed * 1000L), 3, RoundingMode.HALF_UP));
        }
    }

    /** The records the period's events name, each read once, kept only when in the audience's scope. */
    private final class Reading {
        private final Audience audience;
        private final Map<String, Optional<?>> records = new HashMap<>();
        private final Map<String, String> names = new HashMap<>();

        Reading(Audience audience) {
            this.audience = audience;
        }

        @SuppressWarnings("unchecked")
        <T extends Owned> Optional<T> inScope(String type, String id, Class<T> cls, RecordKind kind) {
            return (Optional<T>) records.computeIfAbsent(type + "#" + id, k -> table.get(Keys.record(type, id))
                    .map(i -> Items.toRecord(i, cls)).filter(x -> audience.scope(kind).includes(x)));
        }

        Optional<WorkItem> workItem(String flowType, String flowId, Stage stage) {
            return table.get(Keys.workItem(flowType, flowId, stage.name())).map(i -> Items.toRecord(i, WorkItem.class));
        }

        String name(String userId) {
            return names.computeIfAbsent(userId, directory::displayName);
        }
    }

    private static Optional<String> after(HistoryEntry e, String field) {
        if (e.changes() == null) {
            return Optional.empty();
        }
        for (Change c : e.changes()) {
            JsonNode v = c.after();
            if (field.equals(c.field()) && v != null && v.isTextual()) {
                return Optional.of(v.asText());
            }
        }
        return Optional.empty();
    }

    private static LocalDate bucket(Request r, HistoryEntry e) {
        return r.granularity().bucket(r.period().businessDay(Instant.parse(e.at())));
    }

    private static String periodHeading(Granularity g) {
        return "统计周期（" + g.labelZh() + "，起始日）";
    }

    private static Report report(ReportKind kind, Period p, Audience a, List<Column> cols, List<Map<String, Object>> rows,
                                 Map<String, Object> totals) {
        return new Report(kind, p.from().toString(), p.to().toString(), a.key(), cols, rows, totals);
    }

    private static Map<String, Object> totals(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
