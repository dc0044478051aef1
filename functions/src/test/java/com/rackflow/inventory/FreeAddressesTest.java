package com.rackflow.inventory;

import com.rackflow.access.Caller;
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
import java.util.Optional;

import static com.rackflow.testing.Staff.*;
import static org.assertj.core.api.Assertions.assertThat;

/** GET /ip-prefixes/{id}/free-addresses: what the allocation picker shows before a reservation takes the next free ones. */
class FreeAddressesTest {
    static Table table;
    static InventoryHandler handler;
    static String siteId;

    @BeforeAll
    static void setUp() {
        table = LocalTable.create();
        Staff.seed(table);
        handler = new InventoryHandler(table, contractId -> Optional.of(
                new AllocationHolder(contractId, "HT2026000009", "cust-" + contractId, "C2026-000009", "east.sales1", "east", null)));
        siteId = Reply.of(handler, Events.load("inventory/create-site.json").as(OPERATIONS)).text("siteId");
    }

    static String prefix(String cidr) {
        Reply p = Reply.of(handler, Events.load("inventory/create-ip-prefix.json").as(OPERATIONS).header("Idempotency-Key", null)
                .body(Map.of("siteId", siteId, "cidr", cidr)));
        assertThat(p.status()).isEqualTo(201);
        return p.text("prefixId");
    }

    static Reply free(Caller c, String prefixId, String limit) {
        Events e = Events.load("inventory/free-addresses.json").as(c).id(prefixId).clearQuery();
        return Reply.of(handler, limit == null ? e : e.query("limit", limit));
    }

    static List<String> addresses(Reply r) {
        assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        r.body().path("addresses").forEach(a -> out.add(a.asText()));
        return out;
    }

    static List<String> reserve(String prefixId, Map<String, Object> what) {
        Map<String, Object> body = new java.util.LinkedHashMap<>(Map.of("contractId", "c-" + what.hashCode(), "kind", "IP_ADDRESSES", "prefixId", prefixId));
        body.putAll(what);
        Reply r = Reply.of(handler, Events.load("inventory/create-allocation.json").as(OPERATIONS).header("Idempotency-Key", null).body(body));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
        List<String> out = new ArrayList<>();
        r.body().path("addresses").forEach(a -> out.add(a.asText()));
        return out;
    }

    @Test
    void anUntouchedPrefixOffersItsFirstHostAddressesSkippingNetworkAndGateway() {
        String p = prefix("192.0.2.0/24");
        Reply r = free(ADMIN, p, "4");
        assertThat(addresses(r)).containsExactly("192.0.2.2", "192.0.2.3", "192.0.2.4", "192.0.2.5");
        assertThat(r.text("cidr")).isEqualTo("192.0.2.0/24");
        assertThat(r.body().path("usable").asLong()).isEqualTo(253);
        assertThat(addresses(free(OPERATIONS, p, null))).hasSize(20).startsWith("192.0.2.2").endsWith("192.0.2.21");
    }

    @Test
    void theFreeAddressesShownAreExactlyWhatTheNextReservationTakesAndGapsAreOffered() {
        String p = prefix("10.40.0.0/24");
        reserve(p, Map.of("addresses", List.of("10.40.0.3", "10.40.0.5", "10.40.0.6")));
        List<String> shown = addresses(free(OPERATIONS, p, "3"));
        assertThat(shown).containsExactly("10.40.0.2", "10.40.0.4", "10.40.0.7");
        assertThat(reserve(p, Map.of("count", 3))).isEqualTo(shown);
        assertThat(addresses(free(OPERATIONS, p, "2"))).containsExactly("10.40.0.8", "10.40.0.9");
    }

    @Test
    void aNearlyFullPrefixOffersWhatIsLeftAndAFullOneNothing() {
        String p = prefix("10.50.0.0/29"); // usable .2 - .6
        reserve(p, Map.of("count", 3));
        assertThat(addresses(free(OPERATIONS, p, "10"))).containsExactly("10.50.0.5", "10.50.0.6");
        reserve(p, Map.of("count", 2));
        assertThat(addresses(free(OPERATIONS, p, "10"))).isEmpty();
    }

    @Test
    void badLimitNamesFieldAndRuleAndAMissingPrefixIsA404() {
        String p = prefix("10.60.0.0/28");
        for (String bad : List.of("0", "101", "abc")) {
            Reply r = free(OPERATIONS, p, bad);
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.violations()).containsExactly("limit:range");
        }
        Reply missing = free(OPERATIONS, "no-such-prefix", "5");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.errorCode()).isEqualTo("NOT_FOUND");
    }

    @Test
    void onlyTheInventoryRolesMayReadIt() {
        String p = prefix("10.70.0.0/28");
        for (Caller c : List.of(EAST_SALES_1, EAST_MANAGER, MAINTENANCE)) {
            assertThat(free(c, p, "5").status()).as(c.userId()).isEqualTo(403);
        }
        assertThat(free(ADMIN, p, "5").status()).isEqualTo(200);
    }
}
