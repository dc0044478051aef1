package com.rackflow.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.rackflow.access.Caller;
import com.rackflow.core.http.ApiHandler;
import com.rackflow.core.json.Json;
import com.rackflow.core.persistence.Table;
import com.rackflow.customers.Customer;
import com.rackflow.customers.CustomerService;
import com.rackflow.customers.CustomerStatus;
import com.rackflow.customers.CustomerStore;
import com.rackflow.customers.CustomersHandler;
import com.rackflow.directory.DirectoryHandler;
import com.rackflow.reports.ReportsHandler;
import com.rackflow.testing.Events;
import com.rackflow.testing.LocalTable;
import com.rackflow.testing.Reply;
import com.rackflow.testing.Staff;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static com.rackflow.testing.Staff.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Pagination cursors are tamper-evident, and every list pages the same way. */
class CursorTest {
    static Table table;
    static CustomersHandler customers;

    @BeforeAll
    static void setUp() {
        table = LocalTable.create();
        Staff.seed(table);
        customers = new CustomersHandler(table);
        for (int i = 0; i < 3; i++) {
            var body = Json.object().put("companyName", "游标测试" + i + "号有限公司");
            body.putArray("contacts").addObject().put("name", "王磊").put("phone", "1370000000" + i);
            assertThat(Reply.of(customers, Events.load("customers/create-customer.json").as(EAST_SALES_1)
                    .header("Idempotency-Key", null).body(body)).status()).isEqualTo(201);
        }
    }

    static Reply listCustomers(Caller c, String cursor, String... query) {
        Events e = Events.load("customers/list-customers.json").as(c).clearQuery().query("limit", "1");
        for (int i = 0; i < query.length; i += 2) {
            e.query(query[i], query[i + 1]);
        }
        return Reply.of(customers, e.query("cursor", cursor));
    }

    static String firstCursor() {
        String cursor = listCustomers(EAST_SALES_1, null).text("nextCursor");
        assertThat(cursor).isNotNull();
        return cursor;
    }

    static void assertInvalidCursor(Reply r) {
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorCode()).isEqualTo("INVALID_CURSOR");
        assertThat(r.violations()).containsExactly("cursor:invalid");
    }

    @Test
    void aCursorTheListReturnedContinuesIt() {
        Reply second = listCustomers(EAST_SALES_1, firstCursor());
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.body().path("items")).hasSize(1);
    }

    @Test
    void wellFormedButForgedCursorsAre400NotServerErrors() {
        // the unsigned shape cursors used to have: another partition's key, or a key with attributes removed
        String otherPartition = b64("{\"p\":0,\"k\":{\"pk\":\"USER#admin\",\"sk\":\"PROFILE\",\"gsi1pk\":\"DEPTS\",\"gsi1sk\":\"x\"}}");
        String fewerAttributes = b64("{\"p\":0,\"k\":{\"pk\":\"CUSTOMER#x\"}}");
        for (String forged : List.of(otherPartition, fewerAttributes, otherPartition + ".AAAA", "not-a-cursor", ".", "x.")) {
            assertInvalidCursor(listCustomers(EAST_SALES_1, forged));
        }
    }

    @Test
    void anAlteredCursorIsRefused() {
        String cursor = firstCursor();
        int dot = cursor.indexOf('.');
        String payload = new String(Base64.getUrlDecoder().decode(cursor.substring(0, dot)), StandardCharsets.UTF_8);
        String edited = b64(payload.replace("east.sales1", "east.sales2")) + cursor.substring(dot);
        assertThat(edited).isNotEqualTo(cursor);
        assertInvalidCursor(listCustomers(EAST_SALES_1, edited));
        char last = cursor.charAt(cursor.length() - 1);
        assertInvalidCursor(listCustomers(EAST_SALES_1, cursor.substring(0, cursor.length() - 1) + (last == 'A' ? 'B' : 'A')));
    }

    @Test
    void aCursorOnlyContinuesTheQueryItBelongsTo() {
        String cursor = firstCursor();
        assertInvalidCursor(listCustomers(EAST_SALES_2, cursor));                 // another caller's partition
        assertInvalidCursor(listCustomers(EAST_SALES_1, cursor, "q", "游标测试"));  // another filter
        assertInvalidCursor(listCustomers(EAST_SALES_1, cursor, "status", "CONTACTED"));
    }

    @Test
    void directoryDepartmentsAndMembersPage() {
        DirectoryHandler directory = new DirectoryHandler(table);
        List<String> departments = all(directory, c -> Events.load("directory/list-departments.json").as(ADMIN).clearQuery()
                .query("limit", "2").query("cursor", c), "departmentId");
        assertThat(departments).hasSizeGreaterThanOrEqualTo(5).doesNotHaveDuplicates()
                .contains("east", "south", "maintenance", "operations", "hq");
        List<String> members = all(directory, c -> Events.load("directory/department-users.json").as(EAST_MANAGER).clearQuery()
                .param("id", "east").query("limit", "1").query("cursor", c), "userId");
        assertThat(members).hasSizeGreaterThanOrEqualTo(3).doesNotHaveDuplicates().contains("east.sales1", "east.manager");
        assertInvalidCursor(Reply.of(directory, Events.load("directory/department-users.json").as(SOUTH_MANAGER).clearQuery()
                .param("id", "south").query("cursor", firstPageCursor(directory, Events.load("directory/department-users.json")
                        .as(EAST_MANAGER).clearQuery().param("id", "east").query("limit", "1")))));
    }

    @Test
    void reportJobRunsPage() {
        ReportsHandler reports = new ReportsHandler(table, Clock.systemUTC(), runId -> { });
        for (String day : List.of("2026-11-24", "2026-11-25", "2026-11-26")) {
            Reply run = Reply.of(reports, Events.load("reports/run-report-job.json").as(ADMIN)
                    .header("Idempotency-Key", null).body("{\"job\":\"DAILY_REPORTS\",\"day\":\"" + day + "\"}"));
            assertThat(run.status()).isLessThan(300);
        }
        String today = java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).toString();
        List<String> runs = all(reports, c -> Events.load("reports/list-report-jobs.json").as(ADMIN).clearQuery()
                .query("from", "2026-01-01").query("to", today).query("limit", "1").query("cursor", c), "runId");
        assertThat(runs).hasSizeGreaterThanOrEqualTo(3).doesNotHaveDuplicates();
    }

    @Test
    void theLastPageHasNoNextCursor() {
        // exactly a page's worth: one page, no cursor to an empty second one
        Reply whole = Reply.of(customers, Events.load("customers/list-customers.json").as(EAST_SALES_1).clearQuery().query("limit", "3"));
        assertThat(whole.body().path("items")).hasSize(3);
        assertThat(whole.body().path("nextCursor").isNull()).as(whole.body().toString()).isTrue();
        // page by page: three pages of one, the third the last
        List<Integer> sizes = new ArrayList<>();
        String cursor = null;
        do {
            Reply page = listCustomers(EAST_SALES_1, cursor);
            sizes.add(page.body().path("items").size());
            cursor = page.text("nextCursor");
        } while (cursor != null && sizes.size() < 10);
        assertThat(sizes).containsExactly(1, 1, 1);
        // a filter (DynamoDB FilterExpression) and a client-side scope filter: the last match ends the list
        assertThat(pageSizes(c -> listCustomers(EAST_SALES_1, c, "q", "游标测试1"))).containsExactly(1);
        assertThat(pageSizes(c -> listCustomers(EAST_SALES_1, c, "q", "游标测试"))).containsExactly(1, 1, 1);
    }

    @Test
    void aListOverSeveralPartitionsEndsWithItsLastItem() {
        // the admin's customers are one partition per status (pipeline order): a page that ends exactly at the end of a
        // partition looks into the next ones before handing out a cursor
        CustomerService service = new CustomerService(table);
        Customer moved = service.list(EAST_SALES_1, new CustomerStore.ListFilter(null, null, null, false), null, 1).items().get(0);
        service.transition(EAST_SALES_1, moved.customerId(), CustomerStatus.CONTACTED, null, moved.version());
        java.util.function.Function<String, Reply> admin = c -> Reply.of(customers, Events.load("customers/list-customers.json")
                .as(ADMIN).clearQuery().query("limit", "2").query("cursor", c));
        assertThat(pageSizes(admin)).containsExactly(2, 1);    // ENTERED: 2, CONTACTED: 1, the other statuses empty
        java.util.function.Function<String, Reply> one = c -> Reply.of(customers, Events.load("customers/list-customers.json")
                .as(ADMIN).clearQuery().query("limit", "1").query("cursor", c));
        assertThat(pageSizes(one)).containsExactly(1, 1, 1);
    }

    /** The number of items on each page of a list, following its cursors. */
    private static List<Integer> pageSizes(java.util.function.Function<String, Reply> page) {
        List<Integer> sizes = new ArrayList<>();
        String cursor = null;
        do {
            Reply r = page.apply(cursor);
            assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
            sizes.add(r.body().path("items").size());
            cursor = r.text("nextCursor");
        } while (cursor != null && sizes.size() < 20);
        return sizes;
    }

    private static String firstPageCursor(ApiHandler handler, Events e) {
        return Reply.of(handler, e).text("nextCursor");
    }

    /** Every item id of a list, page by page; each page at most its limit. */
    private static List<String> all(ApiHandler handler, java.util.function.Function<String, Events> page, String idField) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Reply r = Reply.of(handler, page.apply(cursor));
            assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
            JsonNode items = r.body().path("items");
            assertThat(items.size()).isLessThanOrEqualTo(2);
            assertThat(items.size()).as("a cursor never leads to an empty page").isPositive();
            items.forEach(i -> ids.add(i.path(idField).asText()));
            cursor = r.text("nextCursor");
            pages++;
        } while (cursor != null && pages < 50);
        assertThat(pages).isGreaterThan(1);
        return ids;
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
