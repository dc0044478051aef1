package com.rackflow.activities;

import com.rackflow.access.Caller;
import com.rackflow.core.persistence.Table;
import com.rackflow.customers.Customer;
import com.rackflow.testing.CrmFixture;
import com.rackflow.testing.Events;
import com.rackflow.testing.LocalTable;
import com.rackflow.testing.Reply;
import com.rackflow.testing.Staff;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.rackflow.testing.Staff.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The activity API through its handler, with the sample events, against dynalite. */
class ActivitiesApiTest {
    static Table table;
    static ActivitiesHandler handler;
    static CrmFixture fixture;

    @BeforeAll
    static void setUp() {
        table = LocalTable.create();
        Staff.seed(table);
        handler = new ActivitiesHandler(table);
        fixture = new CrmFixture(table);
    }

    static Map<String, Object> body(String occurredAt) {
        Map<String, Object> b = new HashMap<>();
        b.put("type", "CALL");
        b.put("occurredAt", occurredAt);
        b.put("durationMinutes", 15);
        b.put("summary", "电话沟通机柜需求");
        b.put("outcome", "约定参观");
        return b;
    }

    static Reply log(Caller c, String customerId, Object body) {
        return Reply.of(handler, Events.load("activities/log-activity.json").as(c).id(customerId).header("Idempotency-Key", null).body(body));
    }


    static List<String> ids(Reply r) {
        List<String> out = new ArrayList<>();
        r.body().path("items").forEach(i -> out.add(i.path("activityId").asText()));
        return out;
    }

    @Test
    void sampleEventLogsAnActivityOwnedByTheCaller() {
        Customer c = fixture.customer(EAST_SALES_1);
        Reply r = Reply.of(handler, Events.load("activities/log-activity.json").as(EAST_SALES_1).id(c.customerId())
                .header("Idempotency-Key", "a-" + CrmFixture.next()));
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.text("ownerId")).isEqualTo("east.sales1");
        assertThat(r.text("departmentId")).isEqualTo("east");
        assertThat(r.text("customerCode")).isEqualTo(c.code());
        assertThat(r.text("typeLabel")).isEqualTo("电话");
        assertThat(r.text("occurredAt")).isEqualTo("2026-11-27T02:30:00Z");
        assertThat(r.text("nextFollowUpDate")).isEqualTo("2026-12-02");
        assertThat(r.headers()).containsEntry("ETag", "\"1\"");
    }

    @Test
    void ownerAndDepartmentCannotComeFromTheBody() {
        Customer c = fixture.customer(EAST_SALES_1);
        Map<String, Object> b = body("2026-11-20T01:00:00Z");
        b.put("ownerId", "east.sales2");
        b.put("departmentId", "south");
        Reply r = log(EAST_SALES_1, c.customerId(), b);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.violations()).contains("ownerId:unknown", "departmentId:unknown");
    }

    @Test
    void validationNamesEveryFieldAndRule() {
        Customer c = fixture.customer(EAST_SALES_1);
        Map<String, Object> b = new HashMap<>();
        b.put("type", "FAX");
        b.put("occurredAt", "yesterday");
        b.put("durationMinutes", 5000);
        b.put("summary", " ");
        b.put("outcome", "x".repeat(501));
        b.put("nextFollowUpDate", "2026-02-30");
        Reply r = log(EAST_SALES_1, c.customerId(), b);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.violations()).contains("type:enum", "occurredAt:timestamp", "durationMinutes:range", "summary:required",
                "outcome:maxLength", "nextFollowUpDate:date");
        Map<String, Object> future = body(Instant.now().plus(2, ChronoUnit.DAYS).toString());
        assertThat((log(EAST_SALES_1, c.customerId(), future)).violations()).containsExactly("occurredAt:notFuture");
        Map<String, Object> early = body("2026-11-20T01:00:00Z");
        early.put("nextFollowUpDate", "2026-11-19");
        assertThat((log(EAST_SALES_1, c.customerId(), early)).violations()).containsExactly("nextFollowUpDate:afterOccurred");
        assertThat(log(EAST_SALES_1, c.customerId(), Map.of()).violations()).contains("type:required", "occurredAt:required", "summary:required");
    }

    @Test
    void onlyForCustomersTheCallerMaySee() {
        Customer south = fixture.customer(SOUTH_SALES_1);
        assertThat(log(EAST_SALES_1, south.customerId(), body("2026-11-20T01:00:00Z")).status()).isEqualTo(404);
        assertThat(log(EAST_SALES_1, "no-such-customer", body("2026-11-20T01:00:00Z")).status()).isEqualTo(404);
        assertThat(log(MAINTENANCE, south.customerId(), body("2026-11-20T01:00:00Z")).status()).isEqualTo(403);
    }

    @Test
    void oversizedIdsAreNotServerErrors() {
        String huge = "x".repeat(3000);
        assertThat(log(EAST_SALES_1, huge, body("2026-11-20T01:00:00Z")).status()).isEqualTo(404);
        assertThat(Reply.of(handler, Events.load("activities/customer-activities.json").as(EAST_SALES_1).id(huge)).status()).isEqualTo(404);
        assertThat(Reply.of(handler, Events.load("activities/get-activity.json").as(EAST_SALES_1).id(huge)).status()).isEqualTo(404);
        assertThat(Reply.of(handler, Events.load("activities/list-activities.json").as(ADMIN).clearQuery().query("owner", huge))
                .firstViolationRule()).isEqualTo("maxLength");
    }

    @Test
    void idempotentRetryLogsOnce() {
        Customer c = fixture.customer(EAST_SALES_1);
        Events e = Events.load("activities/log-activity.json").as(EAST_SALES_1).id(c.customerId())
                .header("Idempotency-Key", "a-" + CrmFixture.next()).body(body("2026-11-20T01:00:00Z"));
        Reply first = Reply.of(handler, e);
        Reply retry = Reply.of(handler, e);
        assertThat(retry.text("activityId")).isEqualTo(first.text("activityId"));
        assertThat(retry.headers()).containsEntry("Idempotent-Replayed", "true");
        Reply list = Reply.of(handler, Events.load("activities/customer-activities.json").as(EAST_SALES_1).id(c.customerId()));
        assertThat(list.body().path("items")).hasSize(1);
    }

    @Test
    void customerActivitiesAreNewestFirstAndPaginated() {
        Customer c = fixture.customer(EAST_SALES_1);
        String a = log(EAST_SALES_1, c.customerId(), body("2026-11-20T01:00:00Z")).text("activityId");
        String b = log(EAST_SALES_1, c.customerId(), body("2026-11-22T01:00:00Z")).text("activityId");
        String m = log(EAST_MANAGER, c.customerId(), body("2026-11-21T01:00:00Z")).text("activityId");
        Reply all = Reply.of(handler, Events.load("activities/customer-activities.json").as(EAST_MANAGER).id(c.customerId()).clearQuery());
        assertThat(ids(all)).containsExactly(b, m, a);
        Reply own = Reply.of(handler, Events.load("activities/customer-activities.json").as(EAST_SALES_1).id(c.customerId()).clearQuery());
        assertThat(ids(own)).containsExactly(b, a);
        Reply page1 = Reply.of(handler, Events.load("activities/customer-activities.json").as(EAST_MANAGER).id(c.customerId())
                .clearQuery().query("limit", "2"));
        assertThat(ids(page1)).containsExactly(b, m);
        Reply page2 = Reply.of(handler, Events.load("activities/customer-activities.json").as(EAST_MANAGER).id(c.customerId())
                .clearQuery().query("limit", "2").query("cursor", page1.text("nextCursor")));
        assertThat(ids(page2)).containsExactly(a);
    }

    @Test
    void callVolumePerPersonPerDayIsARangeQueryOnTheOwnerPartition() {
        Customer c = fixture.customer(EAST_SALES_2);
        // business days are China Standard Time: 2026-11-10T16:30Z is already the 11th in Shanghai
        String d10 = log(EAST_SALES_2, c.customerId(), body("2026-11-10T09:00:00Z")).text("activityId");
        String d11a = log(EAST_SALES_2, c.customerId(), body("2026-11-10T16:30:00Z")).text("activityId");
        String d11b = log(EAST_SALES_2, c.customerId(), body("2026-11-11T15:59:59Z")).text("activityId");
        String d12 = log(EAST_SALES_2, c.customerId(), body("2026-11-11T16:00:00Z")).text("activityId");
        Reply day11 = Reply.of(handler, Events.load("activities/list-activities.json").as(EAST_SALES_2).clearQuery()
                .query("from", "2026-11-11").query("to", "2026-11-11"));
        assertThat(day11.status()).isEqualTo(200);
        assertThat(ids(day11)).containsExactly(d11b, d11a);
        Reply managerView = Reply.of(handler, Events.load("activities/list-activities.json").as(EAST_MANAGER).clearQuery()
                .query("owner", "east.sales2").query("from", "2026-11-10").query("to", "2026-11-12"));
        assertThat(ids(managerView)).containsExactly(d12, d11b, d11a, d10);
        Reply department = Reply.of(handler, Events.load("activities/list-activities.json").as(EAST_MANAGER).clearQuery()
                .query("from", "2026-11-12").query("to", "2026-11-12"));
        assertThat(ids(department)).contains(d12).doesNotContain(d11b);
        Reply otherSales = Reply.of(handler, Events.load("activities/list-activities.json").as(EAST_SALES_1).clearQuery()
                .query("owner", "east.sales2"));
        assertThat(otherSales.body().path("items")).isEmpty();
        Reply otherManager = Reply.of(handler, Events.load("activities/list-activities.json").as(SOUTH_MANAGER).clearQuery()
                .query("owner", "east.sales2"));
        assertThat(otherManager.body().path("items")).isEmpty();
        Reply instants = Reply.of(handler, Events.load("activities/list-activities.json").as(ADMIN).clearQuery()
                .query("owner", "east.sales2").query("from", "2026-11-10T16:30:00Z").query("to", "2026-11-11T15:59:59Z"));
        assertThat(ids(instants)).containsExactly(d11b, d11a);
        Reply adminNoOwner = Reply.of(handler, Events.load("activities/list-activities.json").as(ADMIN).clearQuery());
        assertThat(adminNoOwner.firstViolationField()).isEqualTo("owner");
        Reply badDate = Reply.of(handler, Events.load("activities/list-activities.json").as(EAST_SALES_2).clearQuery().query("from", "11/11/2026"));
        assertThat(badDate.firstViolationField()).isEqualTo("from");
        assertThat(badDate.firstViolationRule()).isEqualTo("date");
        Reply reversed = Reply.of(handler, Events.load("activities/list-activities.json").as(EAST_SALES_2).clearQuery()
                .query("from", "2026-11-12").query("to", "2026-11-10"));
        assertThat(reversed.firstViolationField()).isEqualTo("to");
    }

    @Test
    void dailyCallVolumeForReports() {
        Customer c = fixture.customer(EAST_MANAGER);
        log(EAST_MANAGER, c.customerId(), body("2026-10-01T01:00:00Z"));
        log(EAST_MANAGER, c.customerId(), body("2026-10-01T02:00:00Z"));
        Map<String, Object> visit = body("2026-10-01T15:59:00Z");
        visit.put("type", "VISIT");
        log(EAST_MANAGER, c.customerId(), visit);
        log(EAST_MANAGER, c.customerId(), body("2026-10-02T16:00:00Z"));
        var volume = new ActivityService(table).dailyVolume("east.manager", java.time.LocalDate.parse("2026-10-01"),
                java.time.LocalDate.parse("2026-10-02"));
        assertThat(volume).hasSize(1);
        assertThat(volume.get(0).day()).hasToString("2026-10-01");
        assertThat(volume.get(0).total()).isEqualTo(3);
        assertThat(volume.get(0).byType()).containsEntry(ActivityType.CALL, 2).containsEntry(ActivityType.VISIT, 1);
    }

    static Reply change(Caller c, String id, long version, Map<String, Object> body) {
        return Reply.of(handler, Events.load("activities/change-activity.json").as(c).id(id)
                .header("If-Match", "\"" + version + "\"").body(body));
    }

    static List<String> onDay(Caller c, String day) {
        return ids(Reply.of(handler, Events.load("activities/list-activities.json").as(c).clearQuery().query("from", day).query("to", day)));
    }

    @Test
    void theManagerReassignsAnActivityAndItCountsForItsNewOwner() {
        Customer c = fixture.customer(EAST_SALES_1);
        String id = log(EAST_SALES_1, c.customerId(), body("2026-11-12T02:00:00Z")).text("activityId");

        assertThat(change(EAST_SALES_1, id, 1, Map.of("ownerId", EAST_SALES_2.userId())).status()).isEqualTo(403);
        Reply outside = change(EAST_MANAGER, id, 1, Map.of("ownerId", SOUTH_SALES_1.userId()));
        assertThat(outside.status()).isEqualTo(400);
        assertThat(outside.firstViolationField()).isEqualTo("ownerId");
        assertThat(outside.firstViolationRule()).isEqualTo("assignable");
        assertThat(change(SOUTH_MANAGER, id, 1, Map.of("ownerId", SOUTH_SALES_1.userId())).status()).as("not in their scope").isEqualTo(404);
        assertThat(onDay(EAST_SALES_1, "2026-11-12")).contains(id);

        Reply moved = change(EAST_MANAGER, id, 1, Map.of("ownerId", EAST_SALES_2.userId()));
        assertThat(moved.status()).as(moved.body().toString()).isEqualTo(200);
        assertThat(moved.text("ownerId")).isEqualTo(EAST_SALES_2.userId());
        assertThat(moved.version()).isEqualTo(2);
        // the owner's partition moved with it: the day's call volume is the new owner's
        assertThat(onDay(EAST_SALES_2, "2026-11-12")).contains(id);
        assertThat(onDay(EAST_SALES_1, "2026-11-12")).doesNotContain(id);
        Reply history = Reply.of(handler, Events.load("activities/activity-history.json").as(EAST_MANAGER).id(id));
        assertThat(history.body().path("items").path(0).path("action").asText()).isEqualTo("REASSIGNED");
        assertThat(history.body().path("items").path(0).path("changes").toString()).contains("ownerId", EAST_SALES_1.userId());
        // the same owner again writes nothing
        assertThat(change(EAST_MANAGER, id, 2, Map.of("ownerId", EAST_SALES_2.userId())).version()).isEqualTo(2);
    }

    @Test
    void changesAreVersionedAndMoveTheActivityInTime() {
        Customer c = fixture.customer(EAST_SALES_1);
        String id = log(EAST_SALES_1, c.customerId(), body("2026-11-05T01:00:00Z")).text("activityId");
        Reply changed = Reply.of(handler, Events.load("activities/change-activity.json").as(EAST_SALES_1).id(id)
                .header("If-Match", "\"1\"").body(Map.of("occurredAt", "2026-11-06T01:00:00Z", "type", "VISIT")));
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.text("typeLabel")).isEqualTo("拜访");
        assertThat(changed.version()).isEqualTo(2);
        Reply stale = Reply.of(handler, Events.load("activities/change-activity.json").as(EAST_MANAGER).id(id)
                .header("If-Match", "\"1\"").body(Map.of("outcome", "stale")));
        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.errorCode()).isEqualTo("VERSION_CONFLICT");
        Reply bad = Reply.of(handler, Events.load("activities/change-activity.json").as(EAST_SALES_1).id(id)
                .header("If-Match", "\"2\"").body(Map.of("nextFollowUpDate", "2026-11-01")));
        assertThat(bad.firstViolationRule()).isEqualTo("afterOccurred");
        Reply empty = Reply.of(handler, Events.load("activities/change-activity.json").as(EAST_SALES_1).id(id)
                .header("If-Match", "\"2\"").body(Map.of()));
        assertThat(empty.firstViolationRule()).isEqualTo("empty");
        Reply day6 = Reply.of(handler, Events.load("activities/list-activities.json").as(EAST_SALES_1).clearQuery()
                .query("from", "2026-11-06").query("to", "2026-11-06"));
        assertThat(ids(day6)).contains(id);
        Reply day5 = Reply.of(handler, Events.load("activities/list-activities.json").as(EAST_SALES_1).clearQuery()
                .query("from", "2026-11-05").query("to", "2026-11-05"));
        assertThat(ids(day5)).doesNotContain(id);
        Reply history = Reply.of(handler, Events.load("activities/activity-history.json").as(EAST_SALES_1).id(id));
        assertThat(history.body().path("items").path(0).path("action").asText()).isEqualTo("CHANGED");
        assertThat(history.body().path("items").path(0).path("changes").toString()).contains("occurredAt", "2026-11-05T01:00:00Z");
    }

    @Test
    void softDeleteAndManagerRestore() {
        Customer c = fixture.customer(EAST_SALES_1);
        String id = log(EAST_SALES_1, c.customerId(), body("2026-11-05T01:00:00Z")).text("activityId");
        assertThat(Reply.of(handler, Events.load("activities/delete-activity.json").as(EAST_SALES_1).id(id).header("If-Match", "\"2\""))
                .status()).isEqualTo(409);
        assertThat(Reply.of(handler, Events.load("activities/delete-activity.json").as(EAST_SALES_1).id(id).header("If-Match", "\"1\""))
                .status()).isEqualTo(204);
        assertThat(Reply.of(handler, Events.load("activities/get-activity.json").as(EAST_SALES_1).id(id)).status()).isEqualTo(404);
        Reply list = Reply.of(handler, Events.load("activities/customer-activities.json").as(EAST_SALES_1).id(c.customerId()));
        assertThat(ids(list)).doesNotContain(id);
        Reply deletedList = Reply.of(handler, Events.load("activities/customer-activities.json").as(EAST_MANAGER).id(c.customerId())
                .clearQuery().query("deleted", "true"));
        assertThat(ids(deletedList)).containsExactly(id);
        assertThat(Reply.of(handler, Events.load("activities/customer-activities.json").as(EAST_SALES_1).id(c.customerId())
                .clearQuery().query("deleted", "true")).status()).isEqualTo(403);
        Reply deletedOfDay = Reply.of(handler, Events.load("activities/list-activities.json").as(EAST_MANAGER).clearQuery()
                .query("owner", "east.sales1").query("from", "2026-11-05").query("to", "2026-11-05").query("deleted", "true"));
        assertThat(ids(deletedOfDay)).containsExactly(id);
        assertThat(Reply.of(handler, Events.load("activities/restore-activity.json").as(EAST_SALES_1).id(id)).status()).isEqualTo(403);
        Reply restored = Reply.of(handler, Events.load("activities/restore-activity.json").as(EAST_MANAGER).id(id));
        assertThat(restored.status()).isEqualTo(200);
        assertThat(Reply.of(handler, Events.load("activities/get-activity.json").as(EAST_SALES_1).id(id)).status()).isEqualTo(200);
        Reply history = Reply.of(handler, Events.load("activities/activity-history.json").as(EAST_SALES_1).id(id));
        List<String> actions = new ArrayList<>();
        history.body().path("items").forEach(e -> actions.add(e.path("action").asText()));
        assertThat(actions).containsExactly("RESTORED", "DELETED", "CREATED");
    }

    @Test
    void routesTemplateAndSampleEventsAgree() {
        com.rackflow.testing.RouteCheck.verify(ActivitiesHandler::new, "ActivitiesFunction", "activities");
    }
}
