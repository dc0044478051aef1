package com.rackflow.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import com.rackflow.access.Caller;
import com.rackflow.core.persistence.Keys;
import com.rackflow.core.persistence.Table;
import com.rackflow.testing.Events;
import com.rackflow.testing.LocalTable;
import com.rackflow.testing.Reply;
import com.rackflow.testing.Staff;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static com.rackflow.testing.Staff.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The inventory API through its handler and sample events, against dynalite; includes the allocation race tests. */
class InventoryApiTest {
    static Table table;
    static InventoryHandler handler;
    static String siteId;
    static String roomId;

    @BeforeAll
    static void setUp() {
        table = LocalTable.create();
        Staff.seed(table);
        handler = new InventoryHandler(table, contractId -> Optional.of(
                new AllocationHolder(contractId, "HT2026000001", "cust-" + contractId, "C2026-0000" + contractId.length(), "east.sales1", "east", null)));
        Reply site = Reply.of(handler, Events.load("inventory/create-site.json").as(OPERATIONS));
        assertThat(site.status()).isEqualTo(201);
        siteId = site.text("siteId");
        Reply room = Reply.of(handler, Events.load("inventory/create-room.json").as(OPERATIONS).body(Map.of("siteId", siteId, "name", "M1")));
        assertThat(room.status()).isEqualTo(201);
        roomId = room.text("roomId");
    }

    static int seq;

    static String rack(int uHeight, double kw) {
        Reply r = Reply.of(handler, Events.load("inventory/create-rack.json").as(OPERATIONS).header("Idempotency-Key", null)
                .body(Map.of("roomId", roomId, "name", "R-" + (++seq), "uHeight", uHeight, "powerCapKw", kw, "uplinkPorts", 2)));
        assertThat(r.status()).isEqualTo(201);
        return r.text("rackId");
    }

    static Reply allocate(Caller c, Map<String, Object> body) {
        return Reply.of(handler, Events.load("inventory/create-allocation.json").as(c).header("Idempotency-Key", null).body(body));
    }

    static Map<String, Object> units(String rackId, int from, int to, String contract) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("contractId", contract);
        b.put("kind", "RACK_UNITS");
        b.put("rackId", rackId);
        b.put("uFrom", from);
        b.put("uTo", to);
        return b;
    }

    static JsonNode elevation(Caller c, String rackId) {
        Reply r = Reply.of(handler, Events.load("inventory/rack-elevation.json").as(c).id(rackId));
        assertThat(r.status()).isEqualTo(200);
        return r.body();
    }

    static JsonNode unit(JsonNode elevation, int u) {
        for (JsonNode row : elevation.path("units")) {
            if (row.path("u").asInt() == u) {
                return row;
            }
        }
        throw new AssertionError("no U" + u);
    }

    @Test
    void sampleEventsCreateAndListInventory() {
        String rackId = Reply.of(handler, Events.load("inventory/create-rack.json").as(ADMIN).header("Idempotency-Key", null)
                .body(Map.of("roomId", roomId, "name", "A-01", "uHeight", 42, "powerCapKw", 6.6))).text("rackId");
        Reply get = Reply.of(handler, Events.load("inventory/get-rack.json").as(OPERATIONS).id(rackId));
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.body().path("uHeight").asInt()).isEqualTo(42);
        Reply prefix = Reply.of(handler, Events.load("inventory/create-ip-prefix.json").as(OPERATIONS).header("Idempotency-Key", null)
                .body(Map.of("siteId", siteId, "cidr", "198.51.100.0/24")));
        assertThat(prefix.status()).isEqualTo(201);
        Reply racks = Reply.of(handler, Events.load("inventory/list-racks.json").as(OPERATIONS).clearQuery().query("siteId", siteId).query("roomId", roomId));
        assertThat(racks.body().path("items").toString()).contains(rackId);
        Reply rooms = Reply.of(handler, Events.load("inventory/list-rooms.json").as(OPERATIONS).clearQuery().query("siteId", siteId));
        assertThat(rooms.body().path("items").toString()).contains(roomId);
        Reply prefixes = Reply.of(handler, Events.load("inventory/list-ip-prefixes.json").as(OPERATIONS).clearQuery().query("siteId", siteId));
        assertThat(prefixes.body().path("items").toString()).contains("198.51.100.0/24");
        Reply sites = Reply.of(handler, Events.load("inventory/list-sites.json").as(ADMIN));
        assertThat(sites.body().path("items").toString()).contains(siteId);
        assertThat(Reply.of(handler, Events.load("inventory/get-site.json").as(OPERATIONS).id(siteId)).text("code")).isEqualTo("SH-JQ01");
    }

    @Test
    void rackNamesAreUniquePerRoomNotPerSite() {
        Map<String, Object> body = Map.of("roomId", roomId, "name", "DUP-1", "uHeight", 42, "powerCapKw", 5);
        assertThat(Reply.of(handler, Events.load("inventory/create-rack.json").as(OPERATIONS).header("Idempotency-Key", null).body(body)).status()).isEqualTo(201);
        Reply dup = Reply.of(handler, Events.load("inventory/create-rack.json").as(OPERATIONS).header("Idempotency-Key", null)
                .body(Map.of("roomId", roomId, "name", "dup-1", "uHeight", 42, "powerCapKw", 5)));
        assertThat(dup.status()).isEqualTo(409);
        assertThat(dup.errorCode()).isEqualTo("DUPLICATE_RACK");
        String otherRoom = Reply.of(handler, Events.load("inventory/create-room.json").as(OPERATIONS).header("Idempotency-Key", null)
                .body(Map.of("siteId", siteId, "name", "M2"))).text("roomId");
        assertThat(Reply.of(handler, Events.load("inventory/create-rack.json").as(OPERATIONS).header("Idempotency-Key", null)
                .body(Map.of("roomId", otherRoom, "name", "DUP-1", "uHeight", 42, "powerCapKw", 5))).status()).isEqualTo(201);
    }

    @Test
    void badInputNamesFieldAndRule() {
        Reply rack = Reply.of(handler, Events.load("inventory/create-rack.json").as(OPERATIONS).header("Idempotency-Key", null)
                .body(Map.of("roomId", roomId, "name", "bad name!", "uHeight", 99, "powerCapKw", "x")));
        assertThat(rack.status()).isEqualTo(400);
        List<String> v = new ArrayList<>();
        rack.body().path("error").path("violations").forEach(x -> v.add(x.path("field").asText() + ":" + x.path("rule").asText()));
        assertThat(v).contains("name:format", "uHeight:range", "powerCapKw:type");
        Reply cidr = Reply.of(handler, Events.load("inventory/create-ip-prefix.json").as(OPERATIONS).header("Idempotency-Key", null)
                .body(Map.of("siteId", siteId, "cidr", "10.0.0.5/24")));
        assertThat(cidr.firstViolationField()).isEqualTo("cidr");
        assertThat(cidr.firstViolationRule()).isEqualTo("cidr");
        Reply range = allocate(OPERATIONS, units(rack(10, 5), 8, 12, "c-range"));
        assertThat(range.status()).isEqualTo(400);
        assertThat(range.firstViolationField()).isEqualTo("uTo");
        Reply noRoom = Reply.of(handler, Events.load("inventory/create-rack.json").as(OPERATIONS).header("Idempotency-Key", null)
                .body(Map.of("roomId", "nope", "name", "X1", "uHeight", 42, "powerCapKw", 5)));
        assertThat(noRoom.firstViolationField()).isEqualTo("roomId");
    }

    @Test
    void salesAndMaintenanceMayNotOpenInventory() {
        assertThat(Reply.of(handler, Events.load("inventory/list-sites.json").as(EAST_SALES_1)).status()).isEqualTo(403);
        assertThat(Reply.of(handler, Events.load("inventory/create-site.json").as(MAINTENANCE)).status()).isEqualTo(403);
        assertThat(Reply.of(handler, Events.load("inventory/list-sites.json").as(EAST_MANAGER)).status()).isEqualTo(403);
    }

    @Test
    void elevationShowsReservedThenOccupiedUnitsWithCustomerCode() {
        String rackId = rack(42, 6.6);
        Reply a = allocate(OPERATIONS, units(rackId, 10, 13, "c-elev"));
        assertThat(a.status()).isEqualTo(201);
        assertThat(a.text("status")).isEqualTo("RESERVED");
        assertThat(a.text("statusLabel")).isEqualTo("已预留");
        JsonNode e = elevation(OPERATIONS, rackId);
        assertThat(e.path("units")).hasSize(42);
        assertThat(e.path("units").path(0).path("u").asInt()).isEqualTo(42);
        assertThat(unit(e, 10).path("front").path("status").asText()).isEqualTo("RESERVED");
        assertThat(unit(e, 13).path("rear").path("customerCode").asText()).startsWith("C2026-");
        assertThat(unit(e, 14).path("front").path("status").asText()).isEqualTo("FREE");
        assertThat(e.path("usedUnits").asInt()).isEqualTo(4);
        Reply occupied = Reply.of(handler, Events.load("inventory/transition-allocation.json").as(OPERATIONS).id(a.text("allocationId"))
                .body(Map.of("to", "OCCUPIED", "version", 1)));
        assertThat(occupied.status()).isEqualTo(200);
        assertThat(unit(elevation(OPERATIONS, rackId), 11).path("front").path("status").asText()).isEqualTo("OCCUPIED");
        Reply stale = Reply.of(handler, Events.load("inventory/transition-allocation.json").as(OPERATIONS).id(a.text("allocationId"))
                .body(Map.of("to", "RELEASED", "version", 1)));
        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.errorCode()).isEqualTo("VERSION_CONFLICT");
        Reply back = Reply.of(handler, Events.load("inventory/transition-allocation.json").as(OPERATIONS).id(a.text("allocationId"))
                .body(Map.of("to", "RESERVED", "version", 2)));
        assertThat(back.errorCode()).isEqualTo("ILLEGAL_TRANSITION");
        Reply released = Reply.of(handler, Events.load("inventory/transition-allocation.json").as(OPERATIONS).id(a.text("allocationId"))
                .body(Map.of("to", "RELEASED", "version", 2)));
        assertThat(released.status()).isEqualTo(200);
        assertThat(elevation(OPERATIONS, rackId).path("usedUnits").asInt()).isZero();
        assertThat(allocate(OPERATIONS, units(rackId, 10, 13, "c-elev-2")).status()).isEqualTo(201);
    }

    @Test
    void twentyParallelAllocationsOfTheSameRangeYieldExactlyOne() throws Exception {
        String rackId = rack(42, 20);
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<Future<Reply>> futures = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String contract = "c-race-" + i;
            futures.add(pool.submit(() -> allocate(OPERATIONS, units(rackId, 5, 12, contract))));
        }
        List<Reply> replies = new ArrayList<>();
        for (Future<Reply> f : futures) {
            replies.add(f.get());
        }
        pool.shutdown();
        List<Reply> won = replies.stream().filter(r -> r.status() == 201).toList();
        assertThat(won).hasSize(1);
        assertThat(replies.stream().filter(r -> r.status() == 409).allMatch(r -> "UNITS_TAKEN".equals(r.errorCode()))).isTrue();
        assertThat(replies.stream().filter(r -> r.status() == 409).count()).isEqualTo(19);
        String winner = won.get(0).text("allocationId");
        JsonNode e = elevation(OPERATIONS, rackId);
        assertThat(e.path("usedUnits").asInt()).isEqualTo(8);
        for (int u = 5; u <= 12; u++) {
            assertThat(unit(e, u).path("front").path("allocationId").asText()).isEqualTo(winner);
            assertThat(unit(e, u).path("rear").path("allocationId").asText()).isEqualTo(winner);
        }
        // no orphan guards of the losers anywhere on the rack
        assertThat(table.queryAll(com.rackflow.core.persistence.KeyQuery.on(null, Keys.rackUnitsPartition(rackId), "U#")))
                .hasSize(16).allMatch(g -> g.get("holderId").s().equals(winner));
    }

    @Test
    void partialOverlapRollsBackWhatWasClaimed() {
        String rackId = rack(42, 20);
        assertThat(allocate(OPERATIONS, units(rackId, 20, 22, "c-a")).status()).isEqualTo(201);
        Reply overlap = allocate(OPERATIONS, units(rackId, 18, 21, "c-b"));
        assertThat(overlap.status()).isEqualTo(409);
        assertThat(overlap.body().path("error").path("details").path("u").asInt()).isEqualTo(20);
        JsonNode e = elevation(OPERATIONS, rackId);
        assertThat(unit(e, 18).path("front").path("status").asText()).isEqualTo("FREE");
        assertThat(unit(e, 19).path("rear").path("status").asText()).isEqualTo("FREE");
        assertThat(e.path("usedUnits").asInt()).isEqualTo(3);
        Map<String, Object> front = units(rackId, 30, 31, "c-c");
        front.put("mount", "FRONT");
        Map<String, Object> rear = units(rackId, 30, 31, "c-d");
        rear.put("mount", "REAR");
        assertThat(allocate(OPERATIONS, front).status()).isEqualTo(201);
        assertThat(allocate(OPERATIONS, rear).status()).isEqualTo(201);
        assertThat(allocate(OPERATIONS, units(rackId, 31, 31, "c-e")).status()).isEqualTo(409);
    }

    @Test
    void powerCapIsEnforced() {
        String rackId = rack(42, 2);
        Map<String, Object> b = units(rackId, 1, 2, "c-pw");
        b.put("powerKw", 1.5);
        assertThat(allocate(OPERATIONS, b).status()).isEqualTo(201);
        Map<String, Object> more = units(rackId, 3, 4, "c-pw2");
        more.put("powerKw", 0.6);
        Reply r = allocate(OPERATIONS, more);
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.errorCode()).isEqualTo("POWER_CAP_EXCEEDED");
    }

    static String prefix(String cidr) {
        Reply p = Reply.of(handler, Events.load("inventory/create-ip-prefix.json").as(OPERATIONS).header("Idempotency-Key", null)
                .body(Map.of("siteId", siteId, "cidr", cidr)));
        assertThat(p.status()).isEqualTo(201);
        return p.text("prefixId");
    }

    static Map<String, Object> ips(String prefixId, int count, String contract) {
        return new LinkedHashMap<>(Map.of("contractId", contract, "kind", "IP_ADDRESSES", "prefixId", prefixId, "count", count));
    }

    @Test
    void parallelNextFreeAddressesNeverHandOutAnAddressTwice() throws Exception {
        String prefixId = prefix("10.20.0.0/24");
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<Future<Reply>> futures = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String contract = "c-ip-" + i;
            futures.add(pool.submit(() -> allocate(OPERATIONS, ips(prefixId, 2, contract))));
        }
        Set<String> handedOut = new HashSet<>();
        int total = 0;
        for (Future<Reply> f : futures) {
            Reply r = f.get();
            assertThat(r.status()).isEqualTo(201);
            r.body().path("addresses").forEach(a -> handedOut.add(a.asText()));
            total += r.body().path("addresses").size();
        }
        pool.shutdown();
        assertThat(total).isEqualTo(40);
        assertThat(handedOut).hasSize(40).doesNotContain("10.20.0.0", "10.20.0.1", "10.20.0.255");
        assertThat(table.queryAll(com.rackflow.core.persistence.KeyQuery.on(null, Keys.prefixAddressesPartition(prefixId), "IP#"))).hasSize(40);
    }

    @Test
    void exhaustedPrefixRefusesAndKeepsNothing() throws Exception {
        String prefixId = prefix("10.30.0.0/28"); // 13 usable addresses (.2 - .14)
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Future<Reply>> futures = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String contract = "c-ex-" + i;
            futures.add(pool.submit(() -> allocate(OPERATIONS, ips(prefixId, 3, contract))));
        }
        Set<String> handedOut = new HashSet<>();
        int won = 0;
        for (Future<Reply> f : futures) {
            Reply r = f.get();
            assertThat(r.status()).isIn(201, 409);
            if (r.status() == 201) {
                won++;
                r.body().path("addresses").forEach(a -> assertThat(handedOut.add(a.asText())).isTrue());
            } else {
                assertThat(r.errorCode()).isEqualTo("PREFIX_EXHAUSTED");
            }
        }
        pool.shutdown();
        assertThat(won).isBetween(1, 4);
        assertThat(table.queryAll(com.rackflow.core.persistence.KeyQuery.on(null, Keys.prefixAddressesPartition(prefixId), "IP#")))
                .hasSize(3 * won);
        Map<String, Object> taken = ips(prefixId, 1, "c-ex-x");
        taken.remove("count");
        taken.put("addresses", List.of(handedOut.iterator().next()));
        assertThat(allocate(OPERATIONS, taken).errorCode()).isEqualTo("ADDRESS_TAKEN");
    }

    @Test
    void portsAndCapacityPerSite() {
        String rackId = rack(10, 3);
        Map<String, Object> port = new LinkedHashMap<>(Map.of("contractId", "c-port", "kind", "UPLINK_PORT", "rackId", rackId, "bandwidthMbps", 1000));
        Reply p1 = allocate(OPERATIONS, port);
        Reply p2 = allocate(OPERATIONS, port);
        Reply p3 = allocate(OPERATIONS, port);
        assertThat(p1.body().path("port").asInt()).isEqualTo(1);
        assertThat(p2.body().path("port").asInt()).isEqualTo(2);
        assertThat(p3.errorCode()).isEqualTo("PORT_TAKEN");
        JsonNode e = elevation(OPERATIONS, rackId);
        assertThat(e.path("ports").path(0).path("status").asText()).isEqualTo("RESERVED");
        assertThat(e.path("ports").path(0).path("bandwidthMbps").asInt()).isEqualTo(1000);
        Reply cap = Reply.of(handler, Events.load("inventory/site-capacity.json").as(ADMIN).id(siteId));
        assertThat(cap.status()).isEqualTo(200);
        assertThat(cap.body().path("units").path("total").asLong()).isGreaterThanOrEqualTo(10);
        assertThat(cap.body().path("uplinkPorts").path("used").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(cap.body().path("ipAddresses").has("free")).isTrue();
        long free = cap.body().path("units").path("free").asLong();
        long total = cap.body().path("units").path("total").asLong();
        assertThat(free).isLessThan(total);
    }

    @Test
    void allocationsListByContractAndGetHasEtag() {
        String rackId = rack(42, 10);
        Reply a = allocate(OPERATIONS, units(rackId, 1, 2, "c-list"));
        Reply list = Reply.of(handler, Events.load("inventory/list-allocations.json").as(OPERATIONS).clearQuery().query("contractId", "c-list"));
        assertThat(list.body().path("items")).hasSize(1);
        Reply get = Reply.of(handler, Events.load("inventory/get-allocation.json").as(OPERATIONS).id(a.text("allocationId")));
        assertThat(get.headers()).containsEntry("ETag", "\"1\"");
        assertThat(get.text("contractId")).isEqualTo("c-list");
        assertThat(get.text("customerId")).isEqualTo("cust-c-list");
    }
}
