package com.rackflow.customers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.core.json.Json;
import com.rackflow.core.persistence.Table;
import com.rackflow.testing.Events;
import com.rackflow.testing.LocalTable;
import com.rackflow.testing.Reply;
import com.rackflow.testing.Staff;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static com.rackflow.testing.Staff.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The customer API through its handler, with the sample events, against dynalite. */
class CustomersApiTest {
    static Table table;
    static CustomersHandler handler;

    @BeforeAll
    static void setUp() {
        table = LocalTable.create();
        Staff.seed(table);
        handler = new CustomersHandler(table);
    }

    static ObjectNode body(String name, String phone) {
        ObjectNode b = Json.object();
        b.put("companyName", name);
        b.put("region", "east");
        b.put("source", "REFERRAL");
        b.putArray("contacts").addObject().put("name", "王磊").put("phone", phone).put("serviceContact", true);
        return b;
    }

    static Reply create(com.rackflow.access.Caller c, Object body) {
        return Reply.of(handler, Events.load("customers/create-customer.json").as(c).header("Idempotency-Key", null).body(body));
    }

    static int seq;

    static String uniqueName() {
        return "测试客户" + (++seq) + "-" + System.nanoTime() + "有限公司";
    }

    static String uniquePhone() {
        return "139" + String.format("%08d", (System.nanoTime() / 1000) % 100_000_000);
    }

    @Test
    void sampleCreateEventCreatesCustomerWithCodeOwnerAndEtag() {
        Reply r = Reply.of(handler, Events.load("customers/create-customer.json").as(EAST_SALES_1));
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.text("code")).matches("C\\d{4}-\\d{6}");
        assertThat(r.text("status")).isEqualTo("ENTERED");
        assertThat(r.text("statusLabel")).isEqualTo("完成录入");
        assertThat(r.text("ownerId")).isEqualTo("east.sales1");
        assertThat(r.text("departmentId")).isEqualTo("east");
        assertThat(r.headers()).containsEntry("ETag", "\"1\"");
        assertThat(r.headers().get("Location")).isEqualTo("/customers/" + r.text("customerId"));
    }

    @Test
    void codesAreSequentialAndUnique() {
        Reply a = create(EAST_SALES_1, body(uniqueName(), uniquePhone()));
        Reply b = create(EAST_SALES_1, body(uniqueName(), uniquePhone()));
        long na = Long.parseLong(a.text("code").substring(6));
        long nb = Long.parseLong(b.text("code").substring(6));
        assertThat(nb).isGreaterThan(na);
    }

    @Test
    void idempotencyKeyReturnsFirstResultOnRetry() {
        ObjectNode b = body(uniqueName(), uniquePhone());
        Events e1 = Events.load("customers/create-customer.json").as(EAST_SALES_1).header("Idempotency-Key", "k-" + System.nanoTime()).body(b);
        Reply first = Reply.of(handler, e1);
        Reply retry = Reply.of(handler, e1);
        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.text("customerId")).isEqualTo(first.text("customerId"));
        assertThat(retry.headers()).containsEntry("Idempotent-Replayed", "true");
        Reply list = Reply.of(handler, Events.load("customers/list-customers.json").as(EAST_SALES_1).clearQuery()
                .query("q", b.get("companyName").asText()).query("limit", "100"));
        assertThat(list.body().path("items")).hasSize(1);
    }

    @Test
    void sameIdempotencyKeyWithOtherBodyIsRefused() {
        String key = "k-" + System.nanoTime();
        Reply first = Reply.of(handler, Events.load("customers/create-customer.json").as(EAST_SALES_1).header("Idempotency-Key", key)
                .body(body(uniqueName(), uniquePhone())));
        Reply other = Reply.of(handler, Events.load("customers/create-customer.json").as(EAST_SALES_1).header("Idempotency-Key", key)
                .body(body(uniqueName(), uniquePhone())));
        assertThat(first.status()).isEqualTo(201);
        assertThat(other.status()).isEqualTo(400);
        assertThat(other.firstViolationField()).isEqualTo("Idempotency-Key");
        assertThat(other.firstViolationRule()).isEqualTo("reused");
    }

    @Test
    void duplicateByNormalisedNameIsRefusedNamingCodeAndOwner() {
        Reply first = create(EAST_SALES_1, body("北京星河互联科技有限公司", uniquePhone()));
        assertThat(first.status()).isEqualTo(201);
        // full-width letters/brackets, different suffix, spaces: same company
        Reply dup = create(SOUTH_SALES_1, body("北京 星河互联科技（集团）股份有限公司", uniquePhone()));
        Reply dup2 = create(SOUTH_SALES_1, body("北京星河互联科技", uniquePhone()));
        assertThat(dup2.status()).isEqualTo(409);
        assertThat(dup2.errorCode()).isEqualTo("DUPLICATE_CUSTOMER");
        assertThat(dup2.body().path("error").path("details").path("existingCode").asText()).isEqualTo(first.text("code"));
        assertThat(dup2.body().path("error").path("details").path("existingOwnerId").asText()).isEqualTo("east.sales1");
        assertThat(dup2.body().path("error").path("details").path("field").asText()).isEqualTo("companyName");
        // the out-of-scope caller learns code and owner, nothing else of the record
        assertThat(dup2.body().path("error").path("details").has("companyName")).isFalse();
        assertThat(dup2.body().toString()).doesNotContain("contacts").doesNotContain("13");
        assertThat(dup.status()).isIn(201, 409);
    }

    @Test
    void duplicateByPhoneAndCreditCodeIsRefused() {
        String phone = uniquePhone();
        ObjectNode b = body(uniqueName(), phone);
        b.put("creditCode", "914403007954257495");
        assertThat(create(EAST_SALES_1, b).status()).isEqualTo(201);
        Reply byPhone = create(EAST_SALES_2, body(uniqueName(), "+86 " + phone));
        assertThat(byPhone.status()).isEqualTo(409);
        assertThat(byPhone.body().path("error").path("details").path("field").asText()).isEqualTo("contacts.phone");
        ObjectNode c = body(uniqueName(), uniquePhone());
        c.put("creditCode", "914403007954257495");
        Reply byCredit = create(EAST_SALES_2, c);
        assertThat(byCredit.status()).isEqualTo(409);
        assertThat(byCredit.body().path("error").path("details").path("field").asText()).isEqualTo("creditCode");
    }

    @Test
    void refusedDuplicateLeavesNoClaimsBehind() {
        String name = uniqueName();
        String phoneOfRefused = uniquePhone();
        assertThat(create(EAST_SALES_1, body(name, uniquePhone())).status()).isEqualTo(201);
        assertThat(create(EAST_SALES_1, body(name, phoneOfRefused)).status()).isEqualTo(409);
        // the refused request's phone was released: a different company may use it
        assertThat(create(EAST_SALES_1, body(uniqueName(), phoneOfRefused)).status()).isEqualTo(201);
    }

    @Test
    void concurrentCreatesOfTheSameCompanyYieldExactlyOne() throws Exception {
        String name = uniqueName();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Reply>> futures = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Callable<Reply> task = () -> create(EAST_SALES_1, body(name, uniquePhone()));
            futures.add(pool.submit(task));
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<Reply> f : futures) {
            statuses.add(f.get().status());
        }
        pool.shutdown();
        assertThat(statuses).containsOnly(201, 409);
        assertThat(statuses.stream().filter(s -> s == 201).count()).isEqualTo(1);
    }

    @Test
    void validationNamesFieldAndRule() {
        ObjectNode b = body("", "12345");
        b.put("creditCode", "91310000MA1FL8XQ30");
        b.put("source", "TV");
        b.put("colour", "red");
        Reply r = create(EAST_SALES_1, b);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorCode()).isEqualTo("VALIDATION_FAILED");
        var fields = new ArrayList<String>();
        r.body().path("error").path("violations").forEach(v -> fields.add(v.path("field").asText() + ":" + v.path("rule").asText()));
        assertThat(fields).contains("colour:unknown", "companyName:required", "creditCode:creditCode",
                "source:enum", "contacts[0].phone:phone");
    }

    @Test
    void malformedJsonAndWrongTypesAre400NotServerErrors() {
        assertThat(create(EAST_SALES_1, "{not json").firstViolationField()).isEqualTo("body");
        assertThat(create(EAST_SALES_1, "[1,2]").firstViolationRule()).isEqualTo("object");
        Reply wrongType = create(EAST_SALES_1, Map.of("companyName", 12, "contacts", "x"));
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.firstViolationRule()).isEqualTo("type");
        Reply noBody = Reply.of(handler, Events.load("customers/create-customer.json").as(EAST_SALES_1).header("Idempotency-Key", null).body(null));
        assertThat(noBody.status()).isEqualTo(400);
        assertThat(noBody.firstViolationField()).isEqualTo("body");
    }

    @Test
    void transitionsFollowTheTableAndNameAllowedTargets() {
        Reply c = create(EAST_SALES_1, body(uniqueName(), uniquePhone()));
        String id = c.text("customerId");
        Reply skip = Reply.of(handler, Events.load("customers/transition-customer.json").as(EAST_SALES_1).id(id)
                .body(Map.of("to", "SIGNED", "version", 1)));
        assertThat(skip.status()).isEqualTo(409);
        assertThat(skip.errorCode()).isEqualTo("ILLEGAL_TRANSITION");
        assertThat(skip.body().path("error").path("details").path("allowed").toString()).contains("CONTACTED", "LOST");
        long v = 1;
        for (String to : List.of("CONTACTED", "NEGOTIATING", "SIGNED")) {
            Reply t = Reply.of(handler, Events.load("customers/transition-customer.json").as(EAST_SALES_1).id(id)
                    .body(Map.of("to", to, "version", v)));
            assertThat(t.status()).as(to).isEqualTo(200);
            assertThat(t.text("status")).isEqualTo(to);
            v = t.version();
        }
        Reply inService = Reply.of(handler, Events.load("customers/transition-customer.json").as(EAST_SALES_1).id(id)
                .body(Map.of("to", "IN_SERVICE", "version", v)));
        assertThat(inService.status()).isEqualTo(409);
        assertThat(inService.body().path("error").path("message").asText()).contains("racking flow");
        Reply delete = Reply.of(handler, Events.load("customers/delete-customer.json").as(EAST_SALES_1).id(id)
                .header("If-Match", "\"" + v + "\""));
        assertThat(delete.status()).isEqualTo(409);
        assertThat(delete.errorCode()).isEqualTo("NOT_DELETABLE");
    }

    @Test
    void lostNeedsAReasonAndOnlyAManagerReopens() {
        String id = create(EAST_SALES_1, body(uniqueName(), uniquePhone())).text("customerId");
        Reply noReason = Reply.of(handler, Events.load("customers/transition-customer.json").as(EAST_SALES_1).id(id)
                .body(Map.of("to", "LOST", "version", 1)));
        assertThat(noReason.status()).isEqualTo(400);
        assertThat(noReason.firstViolationField()).isEqualTo("reason");
        Reply lost = Reply.of(handler, Events.load("customers/transition-customer.json").as(EAST_SALES_1).id(id)
                .body(Map.of("to", "LOST", "version", 1, "reason", "选择了其他机房")));
        assertThat(lost.status()).isEqualTo(200);
        Reply salesReopen = Reply.of(handler, Events.load("customers/transition-customer.json").as(EAST_SALES_1).id(id)
                .body(Map.of("to", "CONTACTED", "version", 2)));
        assertThat(salesReopen.status()).isEqualTo(409);
        Reply managerReopen = Reply.of(handler, Events.load("customers/transition-customer.json").as(EAST_MANAGER).id(id)
                .body(Map.of("to", "CONTACTED", "version", 2)));
        assertThat(managerReopen.status()).isEqualTo(200);
        assertThat(managerReopen.text("lostReason")).isNull();
    }

    @Test
    void staleVersionIsAConflictNotAnOverwrite() {
        String id = create(EAST_SALES_1, body(uniqueName(), uniquePhone())).text("customerId");
        Reply first = Reply.of(handler, Events.load("customers/change-customer.json").as(EAST_SALES_1).id(id)
                .header("If-Match", "\"1\"").body(Map.of("notes", "first edit")));
        Reply second = Reply.of(handler, Events.load("customers/change-customer.json").as(EAST_MANAGER).id(id)
                .header("If-Match", "\"1\"").body(Map.of("notes", "second edit from stale copy")));
        assertThat(first.status()).isEqualTo(200);
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.errorCode()).isEqualTo("VERSION_CONFLICT");
        assertThat(second.body().path("error").path("details").path("currentVersion").asLong()).isEqualTo(2);
        Reply get = Reply.of(handler, Events.load("customers/get-customer.json").as(EAST_SALES_1).id(id));
        assertThat(get.text("notes")).isEqualTo("first edit");
        Reply noVersion = Reply.of(handler, Events.load("customers/change-customer.json").as(EAST_SALES_1).id(id)
                .header("If-Match", null).body(Map.of("notes", "x")));
        assertThat(noVersion.status()).isEqualTo(400);
        assertThat(noVersion.firstViolationField()).isEqualTo("version");
    }

    @Test
    void softDeleteHidesFromSalesAndManagerRestores() {
        String name = uniqueName();
        String id = create(EAST_SALES_1, body(name, uniquePhone())).text("customerId");
        Reply del = Reply.of(handler, Events.load("customers/delete-customer.json").as(EAST_SALES_1).id(id).header("If-Match", "\"1\""));
        assertThat(del.status()).isEqualTo(204);
        assertThat(Reply.of(handler, Events.load("customers/get-customer.json").as(EAST_SALES_1).id(id)).status()).isEqualTo(404);
        Reply managerSees = Reply.of(handler, Events.load("customers/get-customer.json").as(EAST_MANAGER).id(id));
        assertThat(managerSees.status()).isEqualTo(200);
        assertThat(managerSees.text("deletedAt")).isNotNull();
        Reply deletedList = Reply.of(handler, Events.load("customers/list-customers.json").as(EAST_MANAGER).clearQuery()
                .query("deleted", "true").query("limit", "100"));
        assertThat(deletedList.body().path("items").toString()).contains(id);
        assertThat(Reply.of(handler, Events.load("customers/restore-customer.json").as(EAST_SALES_1).id(id)).status()).isEqualTo(403);
        Reply restored = Reply.of(handler, Events.load("customers/restore-customer.json").as(EAST_MANAGER).id(id));
        assertThat(restored.status()).isEqualTo(200);
        assertThat(Reply.of(handler, Events.load("customers/get-customer.json").as(EAST_SALES_1).id(id)).status()).isEqualTo(200);
        Reply history = Reply.of(handler, Events.load("customers/customer-history.json").as(EAST_SALES_1).id(id));
        List<String> actions = new ArrayList<>();
        history.body().path("items").forEach(e -> actions.add(e.path("action").asText()));
        assertThat(actions).containsExactly("RESTORED", "DELETED", "CREATED");
        assertThat(history.body().path("items").path(1).path("actorId").asText()).isEqualTo("east.sales1");
    }

    @Test
    void historyRecordsBeforeAndAfterOfChangedFields() {
        String id = create(EAST_SALES_1, body(uniqueName(), uniquePhone())).text("customerId");
        Reply.of(handler, Events.load("customers/change-customer.json").as(EAST_SALES_1).id(id)
                .header("If-Match", "\"1\"").body(Map.of("notes", "new notes", "region", "south-east")));
        Reply history = Reply.of(handler, Events.load("customers/customer-history.json").as(EAST_SALES_1).id(id));
        var changed = history.body().path("items").path(0);
        assertThat(changed.path("action").asText()).isEqualTo("CHANGED");
        List<String> fields = new ArrayList<>();
        changed.path("changes").forEach(ch -> fields.add(ch.path("field").asText()));
        assertThat(fields).containsExactlyInAnyOrder("notes", "region");
        assertThat(changed.path("changes").toString()).contains("\"before\":\"east\"", "\"after\":\"south-east\"");
    }

    @Test
    void managerReassignsWithinDepartmentOnly() {
        String id = create(EAST_SALES_1, body(uniqueName(), uniquePhone())).text("customerId");
        Reply toSouth = Reply.of(handler, Events.load("customers/change-customer.json").as(EAST_MANAGER).id(id)
                .header("If-Match", "\"1\"").body(Map.of("ownerId", "south.sales1")));
        assertThat(toSouth.status()).isEqualTo(400);
        assertThat(toSouth.firstViolationField()).isEqualTo("ownerId");
        Reply bySales = Reply.of(handler, Events.load("customers/change-customer.json").as(EAST_SALES_1).id(id)
                .header("If-Match", "\"1\"").body(Map.of("ownerId", "east.sales2")));
        assertThat(bySales.status()).isEqualTo(403);
        Reply moved = Reply.of(handler, Events.load("customers/change-customer.json").as(EAST_MANAGER).id(id)
                .header("If-Match", "\"1\"").body(Map.of("ownerId", "east.sales2")));
        assertThat(moved.status()).isEqualTo(200);
        assertThat(moved.text("ownerId")).isEqualTo("east.sales2");
        assertThat(Reply.of(handler, Events.load("customers/get-customer.json").as(EAST_SALES_1).id(id)).status()).isEqualTo(404);
        assertThat(Reply.of(handler, Events.load("customers/get-customer.json").as(EAST_SALES_2).id(id)).status()).isEqualTo(200);
    }

    @Test
    void listPaginatesWithOpaqueCursorAndRejectsForgedOnes() {
        for (int i = 0; i < 5; i++) {
            create(SOUTH_SALES_1, body(uniqueName(), uniquePhone()));
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Events e = Events.load("customers/list-customers.json").as(SOUTH_SALES_1).clearQuery().query("limit", "2");
            if (cursor != null) {
                e.query("cursor", cursor);
            }
            Reply page = Reply.of(handler, e);
            assertThat(page.status()).isEqualTo(200);
            page.body().path("items").forEach(it -> seen.add(it.path("customerId").asText()));
            cursor = page.body().path("nextCursor").asText(null);
            pages++;
        } while (cursor != null && pages < 20);
        assertThat(seen).hasSizeGreaterThanOrEqualTo(5).doesNotHaveDuplicates();
        Reply forged = Reply.of(handler, Events.load("customers/list-customers.json").as(SOUTH_SALES_1).clearQuery().query("cursor", "bm90LWEtY3Vyc29y"));
        assertThat(forged.status()).isEqualTo(400);
        assertThat(forged.firstViolationField()).isEqualTo("cursor");
        Reply badLimit = Reply.of(handler, Events.load("customers/list-customers.json").as(SOUTH_SALES_1).clearQuery().query("limit", "1000"));
        assertThat(badLimit.firstViolationField()).isEqualTo("limit");
        Reply badStatus = Reply.of(handler, Events.load("customers/list-customers.json").as(SOUTH_SALES_1).clearQuery().query("status", "HAPPY"));
        assertThat(badStatus.firstViolationField()).isEqualTo("status");
    }

    @Test
    void requestWithoutAuthorizerContextIs401AndUnknownRouteIs404() {
        ObjectNode e = Events.load("customers/get-customer.json").id("x").json();
        ((ObjectNode) e.path("requestContext")).remove("authorizer");
        assertThat(handler.handle(e).status()).isEqualTo(401);
        ObjectNode unknown = Events.load("customers/get-customer.json").as(EAST_SALES_1).json();
        unknown.put("resource", "/customers/{id}/secret");
        assertThat(handler.handle(unknown).status()).isEqualTo(404);
    }
}
