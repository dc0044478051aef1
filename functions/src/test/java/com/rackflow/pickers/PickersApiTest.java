package com.rackflow.pickers;

import com.fasterxml.jackson.databind.JsonNode;
import com.rackflow.access.Caller;
import com.rackflow.contracts.ContractsHandler;
import com.rackflow.core.persistence.Table;
import com.rackflow.customers.Customer;
import com.rackflow.testing.CrmFixture;
import com.rackflow.testing.Events;
import com.rackflow.testing.LocalTable;
import com.rackflow.testing.Reply;
import com.rackflow.testing.Staff;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static com.rackflow.testing.Staff.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The customer pickers through their handler, with the sample events, against dynalite. */
class PickersApiTest {
    static Table table;
    static PickersHandler handler;
    static CrmFixture fixture;
    static ContractsHandler contracts;

    @BeforeAll
    static void setUp() {
        table = LocalTable.create();
        Staff.seed(table);
        handler = new PickersHandler(table);
        fixture = new CrmFixture(table);
        contracts = new ContractsHandler(table);
    }

    static Reply signed(Caller c, String q) {
        Events e = Events.load("pickers/signed-customers.json").as(c).clearQuery().query("limit", "100");
        return Reply.of(handler, q == null ? e : e.query("q", q));
    }

    static JsonNode entry(Reply r, String customerId) {
        for (JsonNode i : r.body().path("items")) {
            if (i.path("customerId").asText().equals(customerId)) {
                return i;
            }
        }
        return null;
    }

    @Test
    void signedPickerListsOnlySignedCustomersWithTheLimitedFields() {
        Customer signed = fixture.signedCustomer(EAST_SALES_1);
        Customer entered = fixture.customer(EAST_SALES_1);
        var k = fixture.contract(contracts, EAST_SALES_1, signed.customerId());
        Reply r = signed(MAINTENANCE, null);
        assertThat(r.status()).isEqualTo(200);
        JsonNode e = entry(r, signed.customerId());
        assertThat(e).isNotNull();
        assertThat(entry(r, entered.customerId())).isNull();
        List<String> fields = new ArrayList<>();
        e.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactlyInAnyOrder("customerId", "code", "companyName", "serviceContact",
                "contractSerials", "rackedLocations");
        assertThat(e.path("serviceContact").path("name").asText()).isEqualTo(CrmFixture.SERVICE_CONTACT);
        assertThat(e.path("contractSerials").toString()).contains(k.serial());
        assertThat(e.path("rackedLocations").isArray()).isTrue();
    }

    @Test
    void rackedLocationsAreTheOccupiedUnitsOfActiveContracts() {
        Customer c = fixture.signedCustomer(EAST_SALES_1);
        var k = fixture.contract(contracts, EAST_SALES_1, c.customerId());
        Reply.of(contracts, Events.load("contracts/transition-contract.json").as(EAST_SALES_1).id(k.contractId())
                .body(java.util.Map.of("to", "ACTIVE", "version", 1)));
        var inventory = new com.rackflow.inventory.InventoryService(table);
        var site = inventory.createSite(ADMIN, "SH" + CrmFixture.next() % 1000, "上海一号机房", "上海", "浦东新区", null);
        var room = inventory.createRoom(ADMIN, site.siteId(), "R1", "1F", null);
        var rack = inventory.createRack(ADMIN, room.roomId(), "A12", 42, new java.math.BigDecimal("8"), 4, 1000, null);
        var allocations = new com.rackflow.inventory.AllocationService(table);
        var holder = new com.rackflow.inventory.AllocationHolder(k.contractId(), k.serial(), c.customerId(), c.code(),
                k.ownerId(), k.departmentId(), null);
        var actor = com.rackflow.core.history.Actor.system("system:test");
        allocations.reserveUnits("alloc-" + CrmFixture.next(), new com.rackflow.inventory.AllocationService.UnitRequest(
                rack.rackId(), 10, 12, com.rackflow.inventory.Mount.FRONT, new java.math.BigDecimal("2")), holder, actor);
        var occupied = allocations.reserveUnits("alloc-" + CrmFixture.next(), new com.rackflow.inventory.AllocationService.UnitRequest(
                rack.rackId(), 20, 20, com.rackflow.inventory.Mount.FRONT, new java.math.BigDecimal("1")), holder, actor);
        allocations.transition(occupied.allocationId(), com.rackflow.inventory.AllocationStatus.OCCUPIED, actor, null);
        JsonNode e = entry(signed(MAINTENANCE, c.code()), c.customerId());
        assertThat(e.path("rackedLocations").toString()).isEqualTo("[\"A12 U20\"]");
    }

    @Test
    void searchByNameOrCode() {
        Customer signed = fixture.signedCustomer(EAST_SALES_1);
        assertThat(entry(signed(MAINTENANCE, signed.code()), signed.customerId())).isNotNull();
        assertThat(entry(signed(MAINTENANCE, signed.companyName().substring(0, 8)), signed.customerId())).isNotNull();
        assertThat(signed(MAINTENANCE, "没有这个客户名称").body().path("items")).isEmpty();
        assertThat(signed(MAINTENANCE, "x".repeat(101)).firstViolationField()).isEqualTo("q");
    }

    @Test
    void contractPickerIsScopedAndShowsStatus() {
        Customer mine = fixture.signedCustomer(EAST_SALES_1);
        Customer colleague = fixture.signedCustomer(EAST_SALES_2);
        Reply r = Reply.of(handler, Events.load("pickers/contract-customers.json").as(EAST_SALES_1).clearQuery().query("limit", "100"));
        assertThat(entry(r, mine.customerId()).path("statusLabel").asText()).isEqualTo("签约");
        assertThat(entry(r, colleague.customerId())).isNull();
        Reply manager = Reply.of(handler, Events.load("pickers/contract-customers.json").as(EAST_MANAGER).clearQuery().query("limit", "100"));
        assertThat(entry(manager, colleague.customerId())).isNotNull();
        assertThat(Reply.of(handler, Events.load("pickers/contract-customers.json").as(MAINTENANCE)).status()).isEqualTo(403);
    }

    @Test
    void routesTemplateAndSampleEventsAgree() {
        com.rackflow.testing.RouteCheck.verify(PickersHandler::new, "PickersFunction", "pickers");
    }
}
