package com.rackflow.contracts;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.rackflow.testing.Staff.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The contract API through its handler, with the sample events, against dynalite. */
class ContractsApiTest {
    static Table table;
    static ContractsHandler handler;
    static CrmFixture fixture;
    static ContractService service;

    @BeforeAll
    static void setUp() {
        table = LocalTable.create();
        Staff.seed(table);
        handler = new ContractsHandler(table);
        fixture = new CrmFixture(table);
        service = new ContractService(table);
    }

    static Reply create(Caller c, Object body) {
        return Reply.of(handler, Events.load("contracts/create-contract.json").as(c).header("Idempotency-Key", null).body(body));
    }

    static Reply get(Caller c, String id) {
        return Reply.of(handler, Events.load("contracts/get-contract.json").as(c).id(id));
    }

    static Reply transition(Caller c, String id, Map<String, Object> body) {
        return Reply.of(handler, Events.load("contracts/transition-contract.json").as(c).id(id).body(body));
    }


    @Test
    void sampleEventCreatesDraftWithSerialOwnerAndEtag() {
        Customer c = fixture.signedCustomer(EAST_SALES_1);
        Reply r = Reply.of(handler, Events.load("contracts/create-contract.json").as(EAST_SALES_1)
                .header("Idempotency-Key", "k-" + CrmFixture.next()).body(CrmFixture.contractBody(c.customerId())));
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.text("serial")).matches("HT\\d{10}").hasSize(12).startsWith("HT" + java.time.LocalDate.now().getYear());
        assertThat(r.text("status")).isEqualTo("DRAFT");
        assertThat(r.text("statusLabel")).isEqualTo("草稿");
        assertThat(r.text("ownerId")).isEqualTo("east.sales1");
        assertThat(r.text("customerCode")).isEqualTo(c.code());
        assertThat(r.text("monthlyFee")).isEqualTo("12800.00");
        assertThat(r.body().path("uCount").asInt()).isEqualTo(84);
        assertThat(r.headers()).containsEntry("ETag", "\"1\"").containsEntry("Location", "/contracts/" + r.text("contractId"));
    }

    @Test
    void managerCreatesForDepartmentCustomerOwnedByTheCustomersOwner() {
        Customer c = fixture.signedCustomer(EAST_SALES_2);
        Reply r = create(EAST_MANAGER, CrmFixture.contractBody(c.customerId()));
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.text("ownerId")).isEqualTo("east.sales2");
        assertThat(r.text("createdBy")).isEqualTo("east.manager");
    }

    @Test
    void customerThatIsNotSignedIsRefusedNamingItsStatus() {
        Customer c = fixture.customer(EAST_SALES_1);
        Reply r = create(EAST_SALES_1, CrmFixture.contractBody(c.customerId()));
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.errorCode()).isEqualTo("CUSTOMER_NOT_SIGNED");
        assertThat(r.body().path("error").path("message").asText()).contains("ENTERED");
        assertThat(r.body().path("error").path("details").path("customerStatus").asText()).isEqualTo("ENTERED");
        assertThat(r.body().path("error").path("messageZh").asText()).contains("完成录入");
    }

    @Test
    void unknownOrOutOfScopeCustomerIs404() {
        Customer south = fixture.signedCustomer(SOUTH_SALES_1);
        assertThat(create(EAST_SALES_1, CrmFixture.contractBody(south.customerId())).status()).isEqualTo(404);
        assertThat(create(EAST_MANAGER, CrmFixture.contractBody(south.customerId())).status()).isEqualTo(404);
        assertThat(create(EAST_SALES_1, CrmFixture.contractBody("no-such-customer")).status()).isEqualTo(404);
    }

    @Test
    void validationNamesEveryFieldAndRule() {
        Customer c = fixture.signedCustomer(EAST_SALES_1);
        Map<String, Object> b = new java.util.HashMap<>(CrmFixture.contractBody(c.customerId()));
        b.put("cabinets", -1);
        b.put("powerKw", "8.888");
        b.put("bandwidthMbps", "fast");
        b.put("monthlyFee", "-5");
        b.put("startDate", "2026-12-01");
        b.put("endDate", "2026-11-30");
        b.put("ipCount", 70000);
        b.put("colour", "red");
        Reply r = create(EAST_SALES_1, b);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorCode()).isEqualTo("VALIDATION_FAILED");
        assertThat(r.violations()).contains("colour:unknown", "cabinets:range", "powerKw:scale", "bandwidthMbps:type",
                "monthlyFee:range", "endDate:after", "ipCount:range");
        Reply missing = create(EAST_SALES_1, Map.of("cabinets", 1));
        assertThat(missing.violations()).contains("customerId:required", "monthlyFee:required", "startDate:required",
                "endDate:required");
        Reply badDate = create(EAST_SALES_1, Map.of("customerId", c.customerId(), "cabinets", 1, "monthlyFee", 1,
                "startDate", "2026-13-01", "endDate", "tomorrow"));
        assertThat(badDate.violations()).contains("startDate:date", "endDate:date");
        Map<String, Object> empty = new java.util.HashMap<>(CrmFixture.contractBody(c.customerId()));
        empty.put("cabinets", 0);
        empty.put("uCount", 0);
        empty.put("bandwidthMbps", 0);
        empty.put("ipCount", 0);
        assertThat((create(EAST_SALES_1, empty)).violations()).containsExactly("cabinets:items");
        assertThat(create(EAST_SALES_1, "{oops").firstViolationField()).isEqualTo("body");
    }

    @Test
    void idempotentRetryReturnsTheFirstContractAndOneSerial() {
        Customer c = fixture.signedCustomer(EAST_SALES_1);
        Events e = Events.load("contracts/create-contract.json").as(EAST_SALES_1).header("Idempotency-Key", "k-" + CrmFixture.next())
                .body(CrmFixture.contractBody(c.customerId()));
        Reply first = Reply.of(handler, e);
        Reply retry = Reply.of(handler, e);
        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.text("serial")).isEqualTo(first.text("serial"));
        assertThat(retry.headers()).containsEntry("Idempotent-Replayed", "true");
        assertThat(service.contractsOf(c.customerId())).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"HT202600000", "HT20260000012", "XT2026000001", "ht2026000001", "HT2026-00001", "HT20260000O1"})
    void malformedSerialIs400NamingTheFormat(String serial) {
        Reply r = Reply.of(handler, Events.load("contracts/get-contract-by-serial.json").as(EAST_SALES_1).param("serial", serial));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.firstViolationField()).isEqualTo("serial");
        assertThat(r.firstViolationRule()).isEqualTo("format");
        assertThat(r.body().path("error").path("violations").path(0).path("message").asText()).contains("HT + 4-digit year + 6-digit sequence");
    }

    @Test
    void bySerialFindsVisibleContractsOnly() {
        Customer c = fixture.signedCustomer(EAST_SALES_1);
        Contract k = fixture.contract(handler, EAST_SALES_1, c.customerId());
        Reply found = Reply.of(handler, Events.load("contracts/get-contract-by-serial.json").as(EAST_SALES_1).param("serial", k.serial()));
        assertThat(found.status()).isEqualTo(200);
        assertThat(found.text("contractId")).isEqualTo(k.contractId());
        assertThat(Reply.of(handler, Events.load("contracts/get-contract-by-serial.json").as(SOUTH_SALES_1).param("serial", k.serial()))
                .status()).isEqualTo(404);
        assertThat(Reply.of(handler, Events.load("contracts/get-contract-by-serial.json").as(EAST_SALES_1).param("serial", "HT1999999999"))
                .status()).isEqualTo(404);
        assertThat(service.findBySerial(k.serial())).map(Contract::contractId).contains(k.contractId());
        assertThat(service.findBySerial("HT1999999999")).isEmpty();
        assertThat(service.findBySerial("bad")).isEmpty();
    }

    @Test
    void draftIsEditedWithVersionsAndStaleChangesConflict() {
        Customer c = fixture.signedCustomer(EAST_SALES_1);
        Contract k = fixture.contract(handler, EAST_SALES_1, c.customerId());
        Reply first = Reply.of(handler, Events.load("contracts/change-contract.json").as(EAST_SALES_1).id(k.contractId())
                .header("If-Match", "\"1\"").body(Map.of("monthlyFee", "9999.50", "bandwidthMbps", 200)));
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.text("monthlyFee")).isEqualTo("9999.50");
        assertThat(first.body().path("bandwidthMbps").asInt()).isEqualTo(200);
        assertThat(first.body().path("cabinets").asInt()).isEqualTo(2);
        Reply stale = Reply.of(handler, Events.load("contracts/change-contract.json").as(EAST_MANAGER).id(k.contractId())
                .header("If-Match", "\"1\"").body(Map.of("notes", "stale")));
        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.errorCode()).isEqualTo("VERSION_CONFLICT");
        Reply noVersion = Reply.of(handler, Events.load("contracts/change-contract.json").as(EAST_SALES_1).id(k.contractId())
                .header("If-Match", null).body(Map.of("notes", "x")));
        assertThat(noVersion.firstViolationField()).isEqualTo("version");
        Reply empty = Reply.of(handler, Events.load("contracts/change-contract.json").as(EAST_SALES_1).id(k.contractId())
                .header("If-Match", "\"2\"").body(Map.of()));
        assertThat(empty.firstViolationRule()).isEqualTo("empty");
        Reply endBeforeStart = Reply.of(handler, Events.load("contracts/change-contract.json").as(EAST_SALES_1).id(k.contractId())
                .header("If-Match", "\"2\"").body(Map.of("endDate", "2026-11-01")));
        assertThat(endBeforeStart.firstViolationField()).isEqualTo("endDate");
        assertThat(endBeforeStart.firstViolationRule()).isEqualTo("after");
        Reply active = transition(EAST_SALES_1, k.contractId(), Map.of("to", "ACTIVE", "version", 2));
        assertThat(active.status()).isEqualTo(200);
        assertThat(active.text("activatedAt")).isNotNull();
        Reply editActive = Reply.of(handler, Events.load("contracts/change-contract.json").as(EAST_SALES_1).id(k.contractId())
                .header("If-Match", "\"3\"").body(Map.of("notes", "late")));
        assertThat(editActive.status()).isEqualTo(409);
        assertThat(editActive.errorCode()).isEqualTo("NOT_EDITABLE");
    }

    @Test
    void concurrentChangesFromTheSameVersionLetExactlyOneWin() throws Exception {
        Customer c = fixture.signedCustomer(EAST_SALES_1);
        Contract k = fixture.contract(handler, EAST_SALES_1, c.customerId());
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        var start = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<Reply>> futures = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String note = "edit " + i;
            futures.add(pool.submit(() -> {
                start.await();
                return Reply.of(handler, Events.load("contracts/change-contract.json").as(EAST_SALES_1).id(k.contractId())
                        .header("If-Match", "\"1\"").body(Map.of("notes", note)));
            }));
        }
        start.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (var f : futures) {
            statuses.add(f.get().status());
        }
        pool.shutdown();
        assertThat(statuses).containsOnly(200, 409);
        assertThat(statuses.stream().filter(s -> s == 200).count()).isEqualTo(1);
        assertThat(get(EAST_SALES_1, k.contractId()).version()).isEqualTo(2);
    }

    @Test
    void transitionsFollowTheTable() {
        Customer c = fixture.signedCustomer(EAST_SALES_1);
        Contract k = fixture.contract(handler, EAST_SALES_1, c.customerId());
        Reply skip = transition(EAST_SALES_1, k.contractId(), Map.of("to", "TERMINATED", "version", 1, "reason", "x"));
        assertThat(skip.status()).isEqualTo(409);
        assertThat(skip.errorCode()).isEqualTo("ILLEGAL_TRANSITION");
        assertThat(skip.body().path("error").path("details").path("allowed").toString()).contains("ACTIVE", "VOID");
        assertThat(transition(EAST_SALES_1, k.contractId(), Map.of("to", "ACTIVE", "version", 1)).status()).isEqualTo(200);
        Reply salesTerminates = transition(EAST_SALES_1, k.contractId(), Map.of("to", "TERMINATED", "version", 2, "reason", "客户退租"));
        assertThat(salesTerminates.status()).isEqualTo(409);
        assertThat(salesTerminates.body().path("error").path("message").asText()).contains("manager");
        Reply notExpired = transition(EAST_SALES_1, k.contractId(), Map.of("to", "EXPIRED", "version", 2));
        assertThat(notExpired.errorCode()).isEqualTo("NOT_YET_EXPIRED");
        Reply noReason = transition(EAST_MANAGER, k.contractId(), Map.of("to", "TERMINATED", "version", 2));
        assertThat(noReason.firstViolationField()).isEqualTo("reason");
        Reply terminated = transition(EAST_MANAGER, k.contractId(), Map.of("to", "TERMINATED", "version", 2, "reason", "客户退租"));
        assertThat(terminated.status()).isEqualTo(200);
        assertThat(terminated.text("statusLabel")).isEqualTo("已解约");
        assertThat(terminated.text("endedAt")).isNotNull();
        Reply badTo = transition(EAST_MANAGER, k.contractId(), Map.of("to", "GONE", "version", 3));
        assertThat(badTo.firstViolationField()).isEqualTo("to");
        assertThat(badTo.firstViolationRule()).isEqualTo("enum");
    }

    @Test
    void voidedDraftKeepsItsSerialTaken() {
        Customer c = fixture.signedCustomer(EAST_SALES_1);
        Contract k = fixture.contract(handler, EAST_SALES_1, c.customerId());
        Reply voided = transition(EAST_SALES_1, k.contractId(), Map.of("to", "VOID", "version", 1, "reason", "录入错误"));
        assertThat(voided.status()).isEqualTo(200);
        assertThat(voided.text("serial")).isEqualTo(k.serial());
        assertThat(service.findBySerial(k.serial())).map(Contract::status).contains(ContractStatus.VOID);
        assertThat(service.serialsOf(c.customerId())).doesNotContain(k.serial());
        Contract next = fixture.contract(handler, EAST_SALES_1, c.customerId());
        assertThat(next.serial()).isNotEqualTo(k.serial());
    }

    @Test
    void activeContractRequiresTheCustomerStillSigned() {
        Customer c = fixture.signedCustomer(EAST_SALES_1);
        Contract k = fixture.contract(handler, EAST_SALES_1, c.customerId());
        fixture.customers().flowTransition(c.customerId(), com.rackflow.customers.CustomerStatus.TERMINATED,
                com.rackflow.customers.CustomerTransitions.Mover.TERMINATION_FLOW, "system:test", null);
        Reply r = transition(EAST_SALES_1, k.contractId(), Map.of("to", "ACTIVE", "version", 1));
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.errorCode()).isEqualTo("CUSTOMER_NOT_SIGNED");
    }

    @Test
    void onlyDraftsAreDeletedAndManagersRestore() {
        Customer c = fixture.signedCustomer(EAST_SALES_1);
        Contract k = fixture.contract(handler, EAST_SALES_1, c.customerId());
        Reply noIfMatch = Reply.of(handler, Events.load("contracts/delete-contract.json").as(EAST_SALES_1).id(k.contractId())
                .header("If-Match", null));
        assertThat(noIfMatch.firstViolationField()).isEqualTo("If-Match");
        Reply del = Reply.of(handler, Events.load("contracts/delete-contract.json").as(EAST_SALES_1).id(k.contractId()).header("If-Match", "\"1\""));
        assertThat(del.status()).isEqualTo(204);
        assertThat(get(EAST_SALES_1, k.contractId()).status()).isEqualTo(404);
        assertThat(get(EAST_MANAGER, k.contractId()).text("deletedAt")).isNotNull();
        Reply deletedList = Reply.of(handler, Events.load("contracts/list-contracts.json").as(EAST_MANAGER).clearQuery().query("deleted", "true"));
        assertThat(deletedList.body().path("items").toString()).contains(k.contractId());
        assertThat(Reply.of(handler, Events.load("contracts/list-contracts.json").as(EAST_SALES_1).clearQuery().query("deleted", "true"))
                .status()).isEqualTo(403);
        assertThat(Reply.of(handler, Events.load("contracts/restore-contract.json").as(EAST_SALES_1).id(k.contractId())).status()).isEqualTo(403);
        Reply restored = Reply.of(handler, Events.load("contracts/restore-contract.json").as(EAST_MANAGER).id(k.contractId()));
        assertThat(restored.status()).isEqualTo(200);
        assertThat(restored.text("deletedAt")).isNull();
        long v = restored.version();
        transition(EAST_SALES_1, k.contractId(), Map.of("to", "ACTIVE", "version", v));
        Reply delActive = Reply.of(handler, Events.load("contracts/delete-contract.json").as(EAST_SALES_1).id(k.contractId())
                .header("If-Match", "\"" + (v + 1) + "\""));
        assertThat(delActive.status()).isEqualTo(409);
        assertThat(delActive.errorCode()).isEqualTo("NOT_DELETABLE");
        Reply history = Reply.of(handler, Events.load("contracts/contract-history.json").as(EAST_SALES_1).id(k.contractId()));
        List<String> actions = new ArrayList<>();
        history.body().path("items").forEach(e -> actions.add(e.path("action").asText()));
        assertThat(actions).containsExactly("STATUS_CHANGED", "RESTORED", "DELETED", "CREATED");
    }

    @Test
    void listsByCustomerAndStatusWithinScope() {
        Customer c = fixture.signedCustomer(EAST_SALES_1);
        Contract a = fixture.contract(handler, EAST_SALES_1, c.customerId());
        Contract b = fixture.contract(handler, EAST_SALES_1, c.customerId());
        transition(EAST_SALES_1, b.contractId(), Map.of("to", "ACTIVE", "version", 1));
        Reply byCustomer = Reply.of(handler, Events.load("contracts/list-contracts.json").as(EAST_SALES_1).clearQuery()
                .query("customer", c.customerId()));
        assertThat(byCustomer.body().path("items")).hasSize(2);
        assertThat(byCustomer.body().path("items").path(0).path("contractId").asText()).isEqualTo(b.contractId());
        Reply active = Reply.of(handler, Events.load("contracts/list-contracts.json").as(EAST_SALES_1).clearQuery()
                .query("customer", c.customerId()).query("status", "ACTIVE"));
        assertThat(active.body().path("items")).hasSize(1);
        Reply adminActive = Reply.of(handler, Events.load("contracts/list-contracts.json").as(ADMIN).clearQuery()
                .query("status", "ACTIVE").query("limit", "100"));
        assertThat(adminActive.body().path("items").toString()).contains(b.contractId()).doesNotContain(a.contractId());
        Reply mine = Reply.of(handler, Events.load("contracts/list-contracts.json").as(EAST_SALES_1).clearQuery().query("limit", "100"));
        assertThat(mine.body().path("items").toString()).contains(a.contractId(), b.contractId());
        Reply other = Reply.of(handler, Events.load("contracts/list-contracts.json").as(SOUTH_MANAGER).clearQuery().query("limit", "100"));
        assertThat(other.body().path("items").toString()).doesNotContain(a.contractId());
        Reply badStatus = Reply.of(handler, Events.load("contracts/list-contracts.json").as(EAST_SALES_1).clearQuery().query("status", "HAPPY"));
        assertThat(badStatus.firstViolationField()).isEqualTo("status");
        assertThat(service.contractsOf(c.customerId())).extracting(Contract::contractId).containsExactly(a.contractId(), b.contractId());
    }

    @Test
    void activeContractsEndingInAPeriodForTheExpiryReport() {
        Customer c = fixture.signedCustomer(EAST_SALES_1);
        List<String> ids = new ArrayList<>();
        for (String end : List.of("2031-01-20", "2031-01-05", "2031-02-01", "2031-01-10")) {
            Map<String, Object> b = new java.util.HashMap<>(CrmFixture.contractBody(c.customerId()));
            b.put("endDate", end);
            String id = create(EAST_SALES_1, b).text("contractId");
            if (!end.equals("2031-01-10")) {
                transition(EAST_SALES_1, id, Map.of("to", "ACTIVE", "version", 1));
            }
            ids.add(id);
        }
        List<Contract> ending = service.activeEndingBetween(java.time.LocalDate.parse("2031-01-01"), java.time.LocalDate.parse("2031-01-31"));
        assertThat(ending).extracting(Contract::contractId).containsExactly(ids.get(1), ids.get(0));
    }

    @Test
    void flowTransitionTerminatesIdempotentlyWithSystemHistory() {
        Customer c = fixture.signedCustomer(EAST_SALES_1);
        Contract k = fixture.contract(handler, EAST_SALES_1, c.customerId());
        transition(EAST_SALES_1, k.contractId(), Map.of("to", "ACTIVE", "version", 1));
        Contract t1 = service.flowTransition(k.contractId(), ContractStatus.TERMINATED, "system:termination-flow", "解约流程");
        Contract t2 = service.flowTransition(k.contractId(), ContractStatus.TERMINATED, "system:termination-flow", "解约流程");
        assertThat(t1.status()).isEqualTo(ContractStatus.TERMINATED);
        assertThat(t2.version()).isEqualTo(t1.version());
        Reply history = Reply.of(handler, Events.load("contracts/contract-history.json").as(EAST_SALES_1).id(k.contractId()));
        assertThat(history.body().path("items").path(0).path("actorId").asText()).isEqualTo("system:termination-flow");
        assertThat(history.body().path("items")).hasSize(3);
        Contract draft = fixture.contract(handler, EAST_SALES_1, c.customerId());
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                service.flowTransition(draft.contractId(), ContractStatus.TERMINATED, "system:termination-flow", null))
                .isInstanceOf(com.rackflow.core.http.ApiException.class).hasMessageContaining("cannot move");
    }

    @Test
    void oversizedIdsAreMissingRecordsOrBadParametersNeverServerErrors() {
        String huge = "x".repeat(3000);
        assertThat(get(EAST_SALES_1, huge).status()).isEqualTo(404);
        assertThat(Reply.of(handler, Events.load("contracts/contract-history.json").as(EAST_SALES_1).id(huge)).status()).isEqualTo(404);
        assertThat(create(EAST_SALES_1, CrmFixture.contractBody("y".repeat(64))).status()).isEqualTo(404);
        Reply list = Reply.of(handler, Events.load("contracts/list-contracts.json").as(EAST_SALES_1).clearQuery().query("customer", huge));
        assertThat(list.firstViolationField()).isEqualTo("customer");
        assertThat(list.firstViolationRule()).isEqualTo("maxLength");
        assertThat(Reply.of(handler, Events.load("contracts/list-contracts.json").as(ADMIN).clearQuery().query("owner", huge))
                .firstViolationField()).isEqualTo("owner");
    }

    @Test
    void rolesThatMayNotOpenContractsGet403() {
        for (Caller c : List.of(MAINTENANCE, OPERATIONS)) {
            assertThat(Reply.of(handler, Events.load("contracts/list-contracts.json").as(c)).status()).isEqualTo(403);
            assertThat(get(c, "any").status()).isEqualTo(403);
        }
    }

    @Test
    void routesTemplateAndSampleEventsAgree() {
        com.rackflow.testing.RouteCheck.verify(ContractsHandler::new, "ContractsFunction", "contracts");
    }
}
