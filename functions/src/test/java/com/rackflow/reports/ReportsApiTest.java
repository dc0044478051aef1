package com.rackflow.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.rackflow.access.Caller;
import com.rackflow.activities.ActivityType;
import com.rackflow.contracts.Contract;
import com.rackflow.core.http.ApiResponse;
import com.rackflow.core.persistence.Items;
import com.rackflow.core.persistence.Keys;
import com.rackflow.core.persistence.Table;
import com.rackflow.customers.Customer;
import com.rackflow.customers.CustomerStatus;
import com.rackflow.servicerecords.ServiceRecord;
import com.rackflow.servicerecords.ServiceStatus;
import com.rackflow.servicerecords.ServiceType;
import com.rackflow.testing.Events;
import com.rackflow.testing.FlowStaff;
import com.rackflow.testing.LocalTable;
import com.rackflow.testing.Reply;
import com.rackflow.testing.RouteCheck;
import com.rackflow.workitems.Stage;
import com.rackflow.workitems.WorkItem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.rackflow.reports.ReportData.TODAY;
import static com.rackflow.testing.Staff.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every report computed from records made through the services and handlers, with known counts: the exact numbers
 * each audience gets (east manager, south manager, admin, admin for one department), CSV, validation, 403s.
 */
class ReportsApiTest {
    static Table table;
    static ReportsHandler handler;
    static ReportData data;
    static String from = TODAY.minusDays(1).toString();
    static String to = TODAY.plusDays(1).toString();
    static Contract k1;
    static Contract k2;
    static Contract k3;
    static Contract k5;
    static ServiceRecord sr1;
    static ServiceRecord sr3;
    static ServiceRecord sr4;
    static String eastFlow;
    static String rejectedFlow;
    static String southFlow;
    static final String COMMA_NAME = "华东\"云港\",数据科技有限公司";

    @BeforeAll
    static void setUp() {
        table = LocalTable.create();
        FlowStaff.seed(table);
        handler = new ReportsHandler(table, Clock.systemUTC(), ReportJobsTest.runNow(new ReportJobs(table, Clock.systemUTC())));
        data = new ReportData(table);
        // customers (funnel): east 4 new, 8 moves; south 2 new, 3 moves
        Customer c1 = data.signed(EAST_SALES_1, COMMA_NAME);
        data.move(EAST_SALES_1, data.customer(EAST_SALES_1, null), CustomerStatus.CONTACTED);
        data.move(EAST_SALES_1, data.customer(EAST_SALES_1, null), CustomerStatus.LOST);
        Customer c4 = data.signed(EAST_SALES_2, null);
        Customer c5 = data.signed(SOUTH_SALES_1, null);
        data.customer(SOUTH_SALES_1, null);
        // contracts: east signs 3 (25800.50 a month), south 2 (4000.00); one east draft never signed
        k1 = data.active(EAST_SALES_1, c1, "12800.00", TODAY.plusDays(20));
        k2 = data.active(EAST_SALES_1, c1, "5000.50", TODAY.plusDays(45));
        k3 = data.active(EAST_SALES_2, c4, "8000.00", TODAY.plusDays(80));
        data.draft(EAST_SALES_2, c4, "9999.00", TODAY.plusDays(10));
        k5 = data.active(SOUTH_SALES_1, c5, "3000.00", TODAY.plusDays(5));
        data.active(SOUTH_SALES_1, c5, "1000.00", TODAY.plusDays(200));
        // call volume in October (fixed days, Asia/Shanghai business days)
        data.activity(EAST_SALES_1, c1, ActivityType.CALL, "2026-10-04T16:30:00Z");   // 10-05 00:30 in Shanghai
        data.activity(EAST_SALES_1, c1, ActivityType.CALL, "2026-10-05T01:00:00Z");
        data.activity(EAST_SALES_1, c1, ActivityType.CALL, "2026-10-05T08:00:00Z");
        data.activity(EAST_SALES_1, c1, ActivityType.VISIT, "2026-10-06T02:00:00Z");
        data.activity(EAST_SALES_1, c1, ActivityType.CALL, "2026-10-13T02:00:00Z");
        data.activity(EAST_SALES_1, c1, ActivityType.CALL, "2026-10-31T16:30:00Z");   // 11-01 in Shanghai: not October
        data.activity(EAST_SALES_2, c4, ActivityType.MEETING, "2026-10-07T03:00:00Z");
        data.activity(SOUTH_SALES_1, c5, ActivityType.CALL, "2026-10-05T03:00:00Z");
        data.activity(SOUTH_SALES_1, c5, ActivityType.CALL, "2026-10-05T04:00:00Z");
        // racking: east approves a review, lets allocation go overdue; rejects another review; south approves one
        eastFlow = data.startRacking(EAST_SALES_1, k1);
        data.openStage(eastFlow, Stage.OPS_REVIEW);
        data.decide(OPERATIONS, eastFlow, Stage.OPS_REVIEW, Map.of("note", "同意"));
        data.openStage(eastFlow, Stage.RESOURCE_ALLOCATION);
        data.escalate(eastFlow, Stage.RESOURCE_ALLOCATION);
        data.escalate(eastFlow, Stage.RESOURCE_ALLOCATION);
        rejectedFlow = data.startRacking(EAST_SALES_2, k3);
        String t = data.openStage(rejectedFlow, Stage.OPS_REVIEW);
        data.decide(OPERATIONS, rejectedFlow, Stage.OPS_REVIEW, Map.of("decision", "REJECT", "reason", "机柜电力不足"));
        data.compensateRejection(rejectedFlow, t);
        southFlow = data.startRacking(SOUTH_SALES_1, k5);
        data.openStage(southFlow, Stage.OPS_REVIEW);
        data.decide(OPERATIONS, southFlow, Stage.OPS_REVIEW, Map.of());
        // service: east 3 opened (2 faults resolved, 1 remote hands open), south 1 opened and resolved
        sr1 = data.serviceRecord(MAINTENANCE, c1, ServiceType.FAULT, ServiceStatus.IN_PROGRESS, ServiceStatus.RESOLVED);
        data.serviceRecord(MAINTENANCE, c1, ServiceType.REMOTE_HANDS);
        sr3 = data.serviceRecord(MAINTENANCE, c4, ServiceType.FAULT, ServiceStatus.IN_PROGRESS, ServiceStatus.RESOLVED, ServiceStatus.CLOSED);
        sr4 = data.serviceRecord(MAINTENANCE, c5, ServiceType.FAULT, ServiceStatus.IN_PROGRESS, ServiceStatus.RESOLVED);
    }

    static Events event(ReportKind kind, Caller c, String... query) {
        Events e = Events.load("reports/" + kind.path() + ".json").as(c).clearQuery();
        for (int i = 0; i + 1 < query.length; i += 2) {
            e.query(query[i], query[i + 1]);
        }
        return e;
    }

    static JsonNode ok(ReportKind kind, Caller c, String... query) {
        Reply r = Reply.of(handler, event(kind, c, query));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
        return r.body();
    }

    static JsonNode row(JsonNode report, String field, String value) {
        for (JsonNode row : report.path("rows")) {
            if (row.path(field).asText().equals(value)) {
                return row;
            }
        }
        throw new AssertionError("no row with " + field + "=" + value + " in " + report.path("rows"));
    }

    // ---- call volume ----

    @Test
    void callVolumePerSalespersonPerDayWeekAndMonthInBusinessDays() {
        JsonNode day = ok(ReportKind.CALL_VOLUME, EAST_MANAGER, "from", "2026-10-01", "to", "2026-10-31", "granularity", "day");
        assertThat(day.path("scope").asText()).isEqualTo("DEPT#east");
        List<String> rows = new ArrayList<>();
        day.path("rows").forEach(r -> rows.add(r.path("ownerId").asText() + " " + r.path("period").asText() + " "
                + r.path("total").asInt() + " " + r.path("CALL").asInt() + "/" + r.path("VISIT").asInt() + "/" + r.path("MEETING").asInt()));
        assertThat(rows).containsExactly("east.sales1 2026-10-05 3 3/0/0", "east.sales1 2026-10-06 1 0/1/0",
                "east.sales1 2026-10-13 1 1/0/0", "east.sales2 2026-10-07 1 0/0/1");
        assertThat(day.path("totals").path("activities").asInt()).isEqualTo(6);
        assertThat(day.path("totals").path("salespeople").asInt()).isEqualTo(2);

        JsonNode week = ok(ReportKind.CALL_VOLUME, EAST_MANAGER, "from", "2026-10-01", "to", "2026-10-31", "granularity", "week");
        assertThat(row(week, "period", "2026-10-05").path("total").asInt()).isEqualTo(4);
        assertThat(row(week, "period", "2026-10-12").path("total").asInt()).isEqualTo(1);
        JsonNode month = ok(ReportKind.CALL_VOLUME, EAST_MANAGER, "from", "2026-10-01", "to", "2026-10-31", "granularity", "month");
        assertThat(row(month, "ownerId", "east.sales1").path("total").asInt()).isEqualTo(5);
        assertThat(row(month, "ownerId", "east.sales1").path("period").asText()).isEqualTo("2026-10-01");

        JsonNode south = ok(ReportKind.CALL_VOLUME, SOUTH_MANAGER, "from", "2026-10-01", "to", "2026-10-31");
        assertThat(south.path("totals").path("activities").asInt()).isEqualTo(2);
        assertThat(south.toString()).doesNotContain("east.sales");
        JsonNode all = ok(ReportKind.CALL_VOLUME, ADMIN, "from", "2026-10-01", "to", "2026-10-31");
        assertThat(all.path("totals").path("activities").asInt()).isEqualTo(8);
        assertThat(all.path("totals").path("salespeople").asInt()).isEqualTo(3);
        JsonNode november = ok(ReportKind.CALL_VOLUME, EAST_MANAGER, "from", "2026-11-01", "to", "2026-11-01");
        assertThat(november.path("totals").path("activities").asInt()).isEqualTo(1);
    }

    // ---- funnel ----

    @Test
    void newCustomersAndTransitionsPerAudience() {
        JsonNode east = ok(ReportKind.CUSTOMER_FUNNEL, EAST_MANAGER, "from", from, "to", to, "granularity", "month");
        assertThat(east.path("totals").path("newCustomers").asInt()).isEqualTo(4);
        assertThat(east.path("totals").path("transitions").asInt()).isEqualTo(8);
        int contacted = 0;
        int signed = 0;
        int lost = 0;
        for (JsonNode r : east.path("rows")) {
            contacted += r.path("toCONTACTED").asInt();
            signed += r.path("toSIGNED").asInt();
            lost += r.path("toLOST").asInt();
        }
        assertThat(List.of(contacted, signed, lost)).containsExactly(3, 2, 1);
        JsonNode south = ok(ReportKind.CUSTOMER_FUNNEL, SOUTH_MANAGER, "from", from, "to", to);
        assertThat(south.path("totals").path("newCustomers").asInt()).isEqualTo(2);
        assertThat(south.path("totals").path("transitions").asInt()).isEqualTo(3);
        JsonNode all = ok(ReportKind.CUSTOMER_FUNNEL, ADMIN, "from", from, "to", to);
        assertThat(all.path("totals").path("newCustomers").asInt()).isEqualTo(6);
        assertThat(all.path("totals").path("transitions").asInt()).isEqualTo(11);
        JsonNode adminSouth = ok(ReportKind.CUSTOMER_FUNNEL, ADMIN, "from", from, "to", to, "departmentId", "south");
        assertThat(adminSouth.path("totals")).isEqualTo(south.path("totals"));
        assertThat(adminSouth.path("scope").asText()).isEqualTo("DEPT#south");
        JsonNode lastYear = ok(ReportKind.CUSTOMER_FUNNEL, ADMIN, "from", TODAY.minusYears(1).toString(), "to", TODAY.minusYears(1).toString());
        assertThat(lastYear.path("rows")).isEmpty();
        assertThat(lastYear.path("totals").path("newCustomers").asInt()).isZero();
    }

    // ---- contracts ----

    @Test
    void contractsSignedCountAndMonthlyValue() {
        JsonNode east = ok(ReportKind.CONTRACTS_SIGNED, EAST_MANAGER, "from", from, "to", to, "granularity", "month");
        assertThat(east.path("totals").path("contractsSigned").asInt()).isEqualTo(3);
        assertThat(east.path("totals").path("monthlyValue").decimalValue()).isEqualByComparingTo("25800.50");
        JsonNode s1 = row(east, "ownerId", "east.sales1");
        assertThat(s1.path("contracts").asInt()).isEqualTo(2);
        assertThat(s1.path("monthlyValue").decimalValue()).isEqualByComparingTo("17800.50");
        assertThat(row(east, "ownerId", "east.sales2").path("monthlyValue").decimalValue()).isEqualByComparingTo("8000.00");
        JsonNode south = ok(ReportKind.CONTRACTS_SIGNED, SOUTH_MANAGER, "from", from, "to", to);
        assertThat(south.path("totals").path("contractsSigned").asInt()).isEqualTo(2);
        assertThat(south.path("totals").path("monthlyValue").decimalValue()).isEqualByComparingTo("4000.00");
        JsonNode all = ok(ReportKind.CONTRACTS_SIGNED, ADMIN, "from", from, "to", to);
        assertThat(all.path("totals").path("contractsSigned").asInt()).isEqualTo(5);
        assertThat(all.path("totals").path("monthlyValue").decimalValue()).isEqualByComparingTo("29800.50");
    }

    @Test
    void contractsExpiringWithin30_60_90Days() {
        JsonNode east90 = ok(ReportKind.CONTRACT_EXPIRY, EAST_MANAGER, "within", "90");
        List<String> serials = new ArrayList<>();
        east90.path("rows").forEach(r -> serials.add(r.path("serial").asText() + ":" + r.path("window").asInt() + ":" + r.path("daysLeft").asInt()));
        assertThat(serials).containsExactly(k1.serial() + ":30:20", k2.serial() + ":60:45", k3.serial() + ":90:80");
        assertThat(east90.path("totals").path("within30Days").asInt()).isEqualTo(1);
        assertThat(east90.path("totals").path("within60Days").asInt()).isEqualTo(1);
        assertThat(east90.path("totals").path("within90Days").asInt()).isEqualTo(1);
        assertThat(east90.path("from").asText()).isEqualTo(TODAY.toString());
        assertThat(ok(ReportKind.CONTRACT_EXPIRY, EAST_MANAGER, "within", "30").path("rows")).hasSize(1);
        assertThat(ok(ReportKind.CONTRACT_EXPIRY, EAST_MANAGER, "within", "60").path("rows")).hasSize(2);
        JsonNode south = ok(ReportKind.CONTRACT_EXPIRY, SOUTH_MANAGER);
        assertThat(south.path("rows")).hasSize(1);
        assertThat(south.path("rows").path(0).path("serial").asText()).isEqualTo(k5.serial());
        assertThat(ok(ReportKind.CONTRACT_EXPIRY, ADMIN, "within", "90").path("rows")).hasSize(4);
    }

    // ---- racking ----

    static Duration stageTime(String flowId, Stage stage) {
        WorkItem w = Items.toRecord(table.get(Keys.workItem("RACKING_FLOW", flowId, stage.name())).orElseThrow(), WorkItem.class);
        return Duration.between(Instant.parse(w.createdAt()), Instant.parse(w.completedAt()));
    }

    static BigDecimal seconds(long millis, int count) {
        return BigDecimal.valueOf(millis).divide(BigDecimal.valueOf(count * 1000L), 3, RoundingMode.HALF_UP);
    }

    @Test
    void rackingFlowsStagesTimeSpentAndOverdueStages() {
        JsonNode east = ok(ReportKind.RACKING, EAST_MANAGER, "from", from, "to", to);
        JsonNode totals = east.path("totals");
        assertThat(List.of(totals.path("flowsStarted").asInt(), totals.path("flowsCompleted").asInt(), totals.path("flowsRejected").asInt(),
                totals.path("flowsFailed").asInt(), totals.path("overdueStages").asInt())).containsExactly(2, 0, 1, 0, 1);
        JsonNode review = row(east, "stage", "OPS_REVIEW");
        assertThat(List.of(review.path("opened").asInt(), review.path("completed").asInt(), review.path("rejected").asInt(),
                review.path("escalated").asInt(), review.path("decided").asInt())).containsExactly(2, 1, 1, 0, 2);
        long total = stageTime(eastFlow, Stage.OPS_REVIEW).toMillis() + stageTime(rejectedFlow, Stage.OPS_REVIEW).toMillis();
        long max = Math.max(stageTime(eastFlow, Stage.OPS_REVIEW).toMillis(), stageTime(rejectedFlow, Stage.OPS_REVIEW).toMillis());
        assertThat(review.path("averageSeconds").decimalValue()).isEqualByComparingTo(seconds(total, 2));
        assertThat(review.path("maxHours").decimalValue()).isEqualByComparingTo(
                BigDecimal.valueOf(max).divide(BigDecimal.valueOf(3_600_000L), 2, RoundingMode.HALF_UP));
        JsonNode allocation = row(east, "stage", "RESOURCE_ALLOCATION");
        assertThat(allocation.path("opened").asInt()).isEqualTo(1);
        assertThat(allocation.path("escalated").asInt()).as("escalated twice, one overdue stage").isEqualTo(1);
        assertThat(allocation.path("averageSeconds").asText(null)).isNull();

        JsonNode south = ok(ReportKind.RACKING, SOUTH_MANAGER, "from", from, "to", to);
        assertThat(south.path("totals").path("flowsStarted").asInt()).isEqualTo(1);
        assertThat(south.path("totals").path("overdueStages").asInt()).isZero();
        JsonNode southReview = row(south, "stage", "OPS_REVIEW");
        assertThat(southReview.path("completed").asInt()).isEqualTo(1);
        assertThat(southReview.path("averageSeconds").decimalValue())
                .isEqualByComparingTo(seconds(stageTime(southFlow, Stage.OPS_REVIEW).toMillis(), 1));
        JsonNode all = ok(ReportKind.RACKING, ADMIN, "from", from, "to", to);
        assertThat(all.path("totals").path("flowsStarted").asInt()).isEqualTo(3);
        assertThat(row(all, "stage", "OPS_REVIEW").path("opened").asInt()).isEqualTo(3);
    }

    // ---- service ----

    static long resolveMillis(ServiceRecord s) {
        ServiceRecord stored = data.service.get(ADMIN, s.serviceRecordId());
        return Duration.between(Instant.parse(stored.createdAt()), Instant.parse(stored.resolvedAt())).toMillis();
    }

    @Test
    void serviceRecordsOpenedResolvedAndTimeToResolve() {
        JsonNode east = ok(ReportKind.SERVICE, EAST_MANAGER, "from", from, "to", to);
        assertThat(east.path("totals").path("opened").asInt()).isEqualTo(3);
        assertThat(east.path("totals").path("resolved").asInt()).isEqualTo(2);
        JsonNode fault = row(east, "type", "FAULT");
        assertThat(fault.path("opened").asInt()).isEqualTo(2);
        assertThat(fault.path("resolved").asInt()).isEqualTo(2);
        assertThat(fault.path("averageSecondsToResolve").decimalValue())
                .isEqualByComparingTo(seconds(resolveMillis(sr1) + resolveMillis(sr3), 2));
        assertThat(row(east, "type", "REMOTE_HANDS").path("opened").asInt()).isEqualTo(1);
        assertThat(row(east, "type", "REMOTE_HANDS").path("resolved").asInt()).isZero();
        JsonNode south = ok(ReportKind.SERVICE, SOUTH_MANAGER, "from", from, "to", to);
        assertThat(south.path("totals").path("opened").asInt()).isEqualTo(1);
        assertThat(row(south, "type", "FAULT").path("averageSecondsToResolve").decimalValue())
                .isEqualByComparingTo(seconds(resolveMillis(sr4), 1));
        JsonNode all = ok(ReportKind.SERVICE, ADMIN, "from", from, "to", to);
        assertThat(all.path("totals").path("opened").asInt()).isEqualTo(4);
        assertThat(all.path("totals").path("resolved").asInt()).isEqualTo(3);
    }

    // ---- CSV ----

    @Test
    void csvHasBomZhHeadingsAndEscapesCommasAndQuotes() {
        ApiResponse r = handler.handle(event(ReportKind.CONTRACT_EXPIRY, EAST_MANAGER, "within", "90", "format", "csv").json());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers()).containsEntry("Content-Type", "text/csv; charset=utf-8");
        assertThat(r.headers().get("Content-Disposition")).contains("contract-expiry_" + TODAY + "_" + TODAY.plusDays(90) + ".csv");
        String body = r.body();
        assertThat(body).startsWith("\uFEFF合同编号,客户编号,客户名称,业务员账号,业务员,部门,到期日,剩余天数,到期提醒档（天）,月费（元）\r\n");
        assertThat(body).contains(k1.serial() + "," + k1.customerCode() + ",\"华东\"\"云港\"\",数据科技有限公司\",east.sales1,Name of east.sales1,east,"
                + TODAY.plusDays(20) + ",20,30,12800.00\r\n");
        assertThat(body).contains("合计项,数值\r\n即将到期合同数,3\r\n");
        ApiResponse volume = handler.handle(event(ReportKind.CALL_VOLUME, ADMIN, "from", "2026-10-01", "to", "2026-10-31", "format", "csv").json());
        assertThat(volume.body().split("\r\n")[0]).isEqualTo("\uFEFF业务员账号,业务员,部门,统计周期（日，起始日）,活动合计,电话,拜访,会议,微信,邮件,其他");
        assertThat(volume.body()).contains("east.sales1,Name of east.sales1,east,2026-10-05,3,3,0,0,0,0,0\r\n");
    }

    @Test
    void csvSampleEventsAnswerCsv() {
        for (String name : List.of("contract-expiry-csv", "contracts-signed-csv")) {
            ApiResponse r = handler.handle(Events.load("reports/csv/" + name + ".json").json());
            assertThat(r.status()).as(name + ": " + r.body()).isEqualTo(200);
            assertThat(r.headers().get("Content-Type")).isEqualTo(Csv.CONTENT_TYPE);
            assertThat(r.body()).startsWith(com.rackflow.core.spreadsheet.Csv.BOM);
        }
    }

    @Test
    void csvCellsNeverRunAsFormulas() {
        assertThat(com.rackflow.core.spreadsheet.Csv.cell("=HYPERLINK(\"x\")")).isEqualTo("\"'=HYPERLINK(\"\"x\"\")\"");
        assertThat(com.rackflow.core.spreadsheet.Csv.cell("+86 138")).isEqualTo("'+86 138");
        assertThat(com.rackflow.core.spreadsheet.Csv.cell(new BigDecimal("-1.50"))).isEqualTo("-1.50");
        assertThat(com.rackflow.core.spreadsheet.Csv.cell("两行\n文字")).isEqualTo("\"两行\n文字\"");
    }

    // ---- bad input ----

    static List<String> violations(ReportKind kind, Caller c, String... query) {
        Reply r = Reply.of(handler, event(kind, c, query));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(400);
        assertThat(r.errorCode()).isEqualTo("VALIDATION_FAILED");
        return r.violations();
    }

    @Test
    void everyParameterIsValidated() {
        assertThat(violations(ReportKind.RACKING, EAST_MANAGER)).containsExactlyInAnyOrder("from:required", "to:required");
        assertThat(violations(ReportKind.SERVICE, EAST_MANAGER, "from", "2026-13-01", "to", "yesterday"))
                .containsExactlyInAnyOrder("from:date", "to:date");
        assertThat(violations(ReportKind.SERVICE, EAST_MANAGER, "from", "2026-11-02", "to", "2026-11-01")).containsExactly("to:notBeforeFrom");
        assertThat(violations(ReportKind.CUSTOMER_FUNNEL, ADMIN, "from", "2025-01-01", "to", "2026-01-02")).containsExactly("to:maxPeriod");
        assertThat(Reply.of(handler, event(ReportKind.CUSTOMER_FUNNEL, ADMIN, "from", "2025-01-01", "to", "2026-01-01")).status())
                .as("366 days").isEqualTo(200);
        assertThat(violations(ReportKind.CALL_VOLUME, EAST_MANAGER, "from", from, "to", to, "granularity", "year")).containsExactly("granularity:enum");
        assertThat(violations(ReportKind.CONTRACT_EXPIRY, EAST_MANAGER, "within", "45")).containsExactly("within:enum");
        assertThat(violations(ReportKind.CONTRACT_EXPIRY, EAST_MANAGER, "from", from)).containsExactly("from:unknown");
        assertThat(violations(ReportKind.RACKING, EAST_MANAGER, "from", from, "to", to, "granularity", "day")).containsExactly("granularity:unknown");
        assertThat(violations(ReportKind.SERVICE, EAST_MANAGER, "from", from, "to", to, "format", "xlsx", "owner", "x"))
                .containsExactlyInAnyOrder("format:enum", "owner:unknown");
        assertThat(violations(ReportKind.SERVICE, ADMIN, "from", from, "to", to, "departmentId", "no such"))
                .containsExactly("departmentId:format");
        assertThat(violations(ReportKind.SERVICE, ADMIN, "from", from, "to", to, "departmentId", "nowhere"))
                .containsExactly("departmentId:exists");
    }

    // ---- who may see which numbers ----

    @ParameterizedTest
    @EnumSource(ReportKind.class)
    void onlyManagersAndAdminsOpenReports(ReportKind kind) {
        for (Caller c : List.of(EAST_SALES_1, SOUTH_SALES_1, MAINTENANCE, OPERATIONS)) {
            Reply r = Reply.of(handler, event(kind, c, "from", from, "to", to));
            assertThat(r.status()).as(c.userId() + " " + kind).isEqualTo(403);
        }
        Reply other = Reply.of(handler, event(kind, EAST_MANAGER, kind == ReportKind.CONTRACT_EXPIRY
                ? new String[]{"departmentId", "south"} : new String[]{"from", from, "to", to, "departmentId", "south"}));
        assertThat(other.status()).as("a manager asking for another department").isEqualTo(403);
        Reply own = Reply.of(handler, event(kind, EAST_MANAGER, kind == ReportKind.CONTRACT_EXPIRY
                ? new String[]{"departmentId", "east"} : new String[]{"from", from, "to", to, "departmentId", "east"}));
        assertThat(own.status()).isEqualTo(200);
    }

    @Test
    void remindersAreInTheInboxModuleEveryRoleOpens() {
        assertThat(com.rackflow.access.Module.ofPath("/reminders")).contains(com.rackflow.access.Module.WORK_ITEMS);
        for (com.rackflow.access.Role role : com.rackflow.access.Role.values()) {
            assertThat(com.rackflow.access.AccessPolicy.mayOpen(role, com.rackflow.access.Module.WORK_ITEMS)).isTrue();
        }
    }

    @Test
    void aManagerNeverSeesAnotherDepartmentsRecords() {
        for (ReportKind kind : ReportKind.values()) {
            String[] q = kind == ReportKind.CONTRACT_EXPIRY ? new String[0]
                    : kind == ReportKind.CALL_VOLUME ? new String[]{"from", "2026-10-01", "to", "2026-10-31"} : new String[]{"from", from, "to", to};
            String east = ok(kind, EAST_MANAGER, q).toString();
            String south = ok(kind, SOUTH_MANAGER, q).toString();
            assertThat(east).as(kind + " for east").doesNotContain("south.sales1", k5.serial(), "\"south\"");
            assertThat(south).as(kind + " for south").doesNotContain("east.sales", k1.serial(), "\"east\"");
        }
    }

    @Test
    void routesTemplateAndSampleEventsAgree() {
        RouteCheck.verify(t -> new ReportsHandler(t, Clock.systemUTC(), ReportJobsTest.runNow(new ReportJobs(t, Clock.systemUTC()))),
                "ReportsFunction", "reports");
    }
}
