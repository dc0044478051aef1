package com.rackflow.activities;

import com.fasterxml.jackson.databind.JsonNode;
import com.rackflow.access.Caller;
import com.rackflow.core.persistence.Keys;
import com.rackflow.core.persistence.Table;
import com.rackflow.core.records.Requests;
import com.rackflow.customers.Customer;
import com.rackflow.customers.CustomersHandler;
import com.rackflow.customers.FollowUps;
import com.rackflow.testing.CrmFixture;
import com.rackflow.testing.Events;
import com.rackflow.testing.LocalTable;
import com.rackflow.testing.Reply;
import com.rackflow.testing.Staff;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static com.rackflow.testing.Staff.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * GET /follow-ups from the follow-up index: set by the contact that names a next date, fulfilled by a later contact,
 * moved with the customer when a manager reassigns it, scoped as customers are; dates in Asia/Shanghai.
 */
class FollowUpsTest {
    static Table table;
    static ActivitiesHandler handler;
    static CustomersHandler customersHandler;
    static CrmFixture fixture;
    static FollowUps index;
    static final LocalDate TODAY = LocalDate.now(Requests.BUSINESS_ZONE);

    @BeforeAll
    static void setUp() {
        table = LocalTable.create();
        Staff.seed(table);
        handler = new ActivitiesHandler(table);
        customersHandler = new CustomersHandler(table);
        fixture = new CrmFixture(table);
        index = new FollowUps(table);
    }

    /** A contact {@code daysAgo} days before now (Shanghai noon), naming {@code next} as the next follow-up (may be null). */
    static Reply contact(Caller c, String customerId, int daysAgo, LocalDate next) {
        Map<String, Object> b = new HashMap<>();
        b.put("type", "CALL");
        b.put("occurredAt", TODAY.minusDays(daysAgo).atStartOfDay(Requests.BUSINESS_ZONE).plusMinutes(1).toInstant().toString());
        b.put("summary", "跟进 " + daysAgo);
        if (next != null) {
            b.put("nextFollowUpDate", next.toString());
        }
        Reply r = Reply.of(handler, Events.load("activities/log-activity.json").as(c).id(customerId).header("Idempotency-Key", null).body(b));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
        return r;
    }

    static Reply followUps(Caller c, String due, Map<String, String> query) {
        Events e = Events.load("activities/list-follow-ups.json").as(c).clearQuery().query("limit", "100");
        if (due != null) {
            e = e.query("due", due);
        }
        for (var q : query.entrySet()) {
            e = e.query(q.getKey(), q.getValue());
        }
        return Reply.of(handler, e);
    }

    static List<String> customers(Caller c, String due) {
        return customers(c, due, Map.of());
    }

    static List<String> customers(Caller c, String due, Map<String, String> query) {
        Reply r = followUps(c, due, query);
        assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        r.body().path("items").forEach(i -> out.add(i.path("customerId").asText()));
        return out;
    }

    static JsonNode item(Caller c, String due, String customerId) {
        for (JsonNode i : followUps(c, due, Map.of()).body().path("items")) {
            if (i.path("customerId").asText().equals(customerId)) {
                return i;
            }
        }
        throw new AssertionError("no follow-up of " + customerId);
    }

    @Test
    void aContactNamingTodayIsDueTodayForTheOwnerOnlyAndTheirManager() {
        Customer c = fixture.customer(EAST_SALES_1);
        contact(EAST_SALES_1, c.customerId(), 2, TODAY);
        assertThat(customers(EAST_SALES_1, "today")).contains(c.customerId());
        assertThat(customers(EAST_SALES_1, null)).as("today is the default").contains(c.customerId());
        JsonNode i = item(EAST_SALES_1, "today", c.customerId());
        assertThat(i.path("companyName").asText()).isEqualTo(c.companyName());
        assertThat(i.path("customerCode").asText()).isEqualTo(c.code());
        assertThat(i.path("dueDate").asText()).isEqualTo(TODAY.toString());
        assertThat(i.path("summary").asText()).isEqualTo("跟进 2");
        assertThat(i.path("overdue").asBoolean()).isFalse();
        assertThat(i.path("ownerName").asText()).isNotBlank();
        // scope: another salesperson never sees it, not even naming the owner; another region's manager neither
        assertThat(customers(EAST_SALES_2, "today")).doesNotContain(c.customerId());
        assertThat(customers(EAST_SALES_2, "today", Map.of("owner", "east.sales1"))).isEmpty();
        assertThat(customers(SOUTH_SALES_1, "week")).doesNotContain(c.customerId());
        assertThat(customers(SOUTH_MANAGER, "today")).doesNotContain(c.customerId());
        assertThat(customers(SOUTH_MANAGER, "today", Map.of("owner", "east.sales1"))).isEmpty();
        assertThat(customers(SOUTH_MANAGER, "today", Map.of("department", "east"))).isEmpty();
        // the department's manager sees the department's, or one member's
        assertThat(customers(EAST_MANAGER, "today")).contains(c.customerId());
        assertThat(customers(EAST_MANAGER, "today", Map.of("owner", "east.sales1"))).contains(c.customerId());
        assertThat(customers(ADMIN, "today", Map.of("department", "east"))).contains(c.customerId());
        assertThat(Reply.of(handler, Events.load("activities/list-follow-ups.json").as(MAINTENANCE)).status()).isEqualTo(403);
        assertThat(Reply.of(handler, Events.load("activities/list-follow-ups.json").as(OPERATIONS)).status()).isEqualTo(403);
    }

    @Test
    void overdueTodayAndWeekAreDateRangesEarliestFirst() {
        Customer late = fixture.customer(EAST_SALES_2);
        Customer now = fixture.customer(EAST_SALES_2);
        Customer soon = fixture.customer(EAST_SALES_2);
        Customer later = fixture.customer(EAST_SALES_2);
        contact(EAST_SALES_2, late.customerId(), 6, TODAY.minusDays(3));
        contact(EAST_SALES_2, now.customerId(), 1, TODAY);
        contact(EAST_SALES_2, soon.customerId(), 1, TODAY.plusDays(6));
        contact(EAST_SALES_2, later.customerId(), 1, TODAY.plusDays(7));
        assertThat(customers(EAST_SALES_2, "overdue")).contains(late.customerId()).doesNotContain(now.customerId(), soon.customerId());
        assertThat(item(EAST_SALES_2, "overdue", late.customerId()).path("overdue").asBoolean()).isTrue();
        assertThat(customers(EAST_SALES_2, "today")).contains(now.customerId()).doesNotContain(late.customerId(), soon.customerId());
        List<String> week = customers(EAST_SALES_2, "week");
        assertThat(week).contains(now.customerId(), soon.customerId()).doesNotContain(late.customerId(), later.customerId());
        assertThat(week.indexOf(now.customerId())).isLessThan(week.indexOf(soon.customerId()));
    }

    @Test
    void theNewestContactDecidesALaterContactFulfilsItAnOlderOneChangesNothing() {
        Customer c = fixture.customer(EAST_SALES_1);
        String first = contact(EAST_SALES_1, c.customerId(), 3, TODAY.minusDays(1)).text("activityId");
        assertThat(customers(EAST_SALES_1, "overdue")).contains(c.customerId());
        // a back-dated contact (older than the one that set it) naming another date changes nothing
        contact(EAST_SALES_1, c.customerId(), 5, TODAY.plusDays(2));
        assertThat(index.find(c.customerId()).orElseThrow().activityId()).isEqualTo(first);
        // a contact before the due date without a new date keeps it; one on or after the due date fulfils it
        contact(EAST_SALES_1, c.customerId(), 2, null);
        assertThat(customers(EAST_SALES_1, "overdue")).contains(c.customerId());
        contact(EAST_SALES_1, c.customerId(), 0, null);
        assertThat(customers(EAST_SALES_1, "overdue")).doesNotContain(c.customerId());
        assertThat(index.find(c.customerId())).isEmpty();
        // the next contact naming a date sets it again
        String latest = contact(EAST_SALES_1, c.customerId(), 0, TODAY.plusDays(1)).text("activityId");
        assertThat(customers(EAST_SALES_1, "week")).contains(c.customerId());

        // editing that activity's date moves the follow-up; deleting the activity clears it
        Reply changed = Reply.of(handler, Events.load("activities/change-activity.json").as(EAST_SALES_1).id(latest)
                .header("If-Match", "\"1\"").body(Map.of("nextFollowUpDate", TODAY.toString())));
        assertThat(changed.status()).as(changed.body().toString()).isEqualTo(200);
        assertThat(customers(EAST_SALES_1, "today")).contains(c.customerId());
        Reply deleted = Reply.of(handler, Events.load("activities/delete-activity.json").as(EAST_MANAGER).id(latest)
                .header("If-Match", "\"2\""));
        assertThat(deleted.status()).as(deleted.body().toString()).isEqualTo(204);
        assertThat(customers(EAST_SALES_1, "today")).doesNotContain(c.customerId());
        Reply restored = Reply.of(handler, Events.load("activities/restore-activity.json").as(EAST_MANAGER).id(latest));
        assertThat(restored.status()).isEqualTo(200);
        assertThat(customers(EAST_SALES_1, "today")).contains(c.customerId());
    }

    @Test
    void aManagersReassignmentMovesTheFollowUpInTheSameWrite() {
        Customer c = fixture.customer(EAST_SALES_1);
        contact(EAST_SALES_1, c.customerId(), 1, TODAY);
        Reply moved = Reply.of(customersHandler, Events.load("customers/change-customer.json").as(EAST_MANAGER).id(c.customerId())
                .header("If-Match", "\"1\"").body(Map.of("ownerId", "east.sales2")));
        assertThat(moved.status()).as(moved.body().toString()).isEqualTo(200);
        assertThat(customers(EAST_SALES_1, "today")).doesNotContain(c.customerId());
        assertThat(customers(EAST_SALES_2, "today")).contains(c.customerId());
        assertThat(item(EAST_SALES_2, "today", c.customerId()).path("ownerId").asText()).isEqualTo("east.sales2");
        // the old owner's partition holds nothing of it any more
        assertThat(table.query(com.rackflow.core.persistence.KeyQuery.on(Keys.GSI_OWNER, Keys.ownerPartition("east.sales1"),
                Keys.followUpSortKey(TODAY.toString(), c.customerId())), null, 10).items()).isEmpty();
        // an edit that is not a reassignment leaves it where it is
        Reply edited = Reply.of(customersHandler, Events.load("customers/change-customer.json").as(EAST_SALES_2).id(c.customerId())
                .header("If-Match", "\"2\"").body(Map.of("notes", "改过备注")));
        assertThat(edited.status()).as(edited.body().toString()).isEqualTo(200);
        assertThat(customers(EAST_SALES_2, "today")).contains(c.customerId());
    }

    @Test
    void contactsAndReassignmentsAtTheSameMomentLeaveTheFollowUpWithTheCustomersOwner() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 4; round++) {
                Customer c = fixture.customer(EAST_SALES_1);
                contact(EAST_SALES_1, c.customerId(), 1, TODAY);
                List<Future<Reply>> all = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    int days = i;
                    all.add(pool.submit(() -> {
                        Map<String, Object> b = new HashMap<>();
                        b.put("type", "CALL");
                        b.put("occurredAt", Instant.now().minusSeconds(60).toString());
                        b.put("summary", "同时跟进");
                        b.put("nextFollowUpDate", TODAY.plusDays(days).toString());
                        return Reply.of(handler, Events.load("activities/log-activity.json").as(EAST_MANAGER).id(c.customerId())
                                .header("Idempotency-Key", null).body(b));
                    }));
                }
                Future<Reply> move = pool.submit(() -> Reply.of(customersHandler, Events.load("customers/change-customer.json")
                        .as(EAST_MANAGER).id(c.customerId()).header("If-Match", "\"1\"").body(Map.of("ownerId", "east.sales2"))));
                for (Future<Reply> f : all) {
                    assertThat(f.get().status()).as(f.get().body().toString()).isEqualTo(201);
                }
                assertThat(move.get().status()).as(move.get().body().toString()).isEqualTo(200);
                FollowUps.FollowUp f = index.find(c.customerId()).orElseThrow();
                assertThat(f.ownerId()).as("round " + round).isEqualTo("east.sales2");
                assertThat(customers(EAST_SALES_1, "week")).doesNotContain(c.customerId());
                assertThat(customers(EAST_SALES_2, "week")).contains(c.customerId());
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void aDeletedCustomersFollowUpIsLeftOut() {
        Customer c = fixture.customer(EAST_SALES_1);
        contact(EAST_SALES_1, c.customerId(), 1, TODAY);
        Reply del = Reply.of(customersHandler, Events.load("customers/delete-customer.json").as(EAST_MANAGER).id(c.customerId())
                .header("If-Match", "\"1\""));
        assertThat(del.status()).as(del.body().toString()).isEqualTo(204);
        assertThat(customers(EAST_SALES_1, "today")).doesNotContain(c.customerId());
        assertThat(customers(EAST_MANAGER, "today")).doesNotContain(c.customerId());
    }

    @Test
    void badInputNamesFieldAndRule() {
        Reply due = followUps(EAST_SALES_1, "tomorrow", Map.of());
        assertThat(due.status()).isEqualTo(400);
        assertThat(due.violations()).containsExactly("due:enum");
        Reply limit = followUps(EAST_SALES_1, "today", Map.of("limit", "0"));
        assertThat(limit.status()).isEqualTo(400);
        Reply admin = followUps(ADMIN, "today", Map.of());
        assertThat(admin.status()).isEqualTo(400);
        assertThat(admin.violations()).containsExactly("owner:required");
        Reply cursor = followUps(EAST_SALES_1, "today", Map.of("cursor", "forged.cursor"));
        assertThat(cursor.status()).isEqualTo(400);
        assertThat(cursor.errorCode()).isEqualTo("INVALID_CURSOR");
        Reply longOwner = followUps(EAST_MANAGER, "today", Map.of("owner", "x".repeat(129)));
        assertThat(longOwner.violations()).containsExactly("owner:maxLength");
    }
}
