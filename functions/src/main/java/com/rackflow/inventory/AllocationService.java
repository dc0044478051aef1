package com.rackflow.inventory;

import com.rackflow.access.AccessPolicy;
import com.rackflow.access.Caller;
import com.rackflow.access.RecordKind;
import com.rackflow.core.history.History;
import com.rackflow.core.http.ApiException;
import com.rackflow.core.persistence.Items;
import com.rackflow.core.persistence.Keys;
import com.rackflow.core.persistence.Table;
import com.rackflow.inventory.UnitGuards.Unit;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Allocations of rack units, IP addresses and uplink ports. Each unit is a conditional write (see {@link UnitGuards});
 * a multi-unit reservation is all or nothing; status moves follow {@link AllocationTransitions}. Creating an allocation
 * with an id that already exists returns it (retried flow steps allocate once).
 */
public final class AllocationService {
    private static final java.util.Set<String> NOT_AUDITED = java.util.Set.of("version", "updatedAt", "updatedBy");
    private static final String WHAT = "allocation";

    private final InventoryStore store;
    private final UnitGuards guards;
    private final History history;

    public AllocationService(Table table) {
        this.store = new InventoryStore(table);
        this.guards = new UnitGuards(table, store);
        this.history = new History(table);
    }

    public record UnitRequest(String rackId, int uFrom, int uTo, Mount mount, BigDecimal powerKw) {
    }

    /** {@code count} next free addresses, or exactly {@code addresses}. */
    public record AddressRequest(String prefixId, int count, List<String> addresses) {
    }

    /** A given port, or (port null) the first free one. */
    public record PortRequest(String rackId, Integer port, int bandwidthMbps) {
    }

    public Allocation reserveUnits(String id, UnitRequest r, AllocationHolder h, Actor actor) {
        Optional<Allocation> again = existing(id);
        if (again.isPresent()) {
            return again.get();
        }
        Rack rack = store.rack(r.rackId()).orElseThrow(() -> ApiException.invalid("rackId", "exists", "no such rack"));
        if (r.uFrom() < 1 || r.uTo() < r.uFrom() || r.uTo() > rack.uHeight()) {
            throw ApiException.invalid("uTo", "range", "the U range must lie within 1.." + rack.uHeight() + " with uFrom <= uTo");
        }
        BigDecimal power = r.powerKw() == null ? BigDecimal.ZERO : r.powerKw();
        BigDecimal committed = committedPower(rack.rackId());
        if (committed.add(power).compareTo(rack.powerCapKw()) > 0) {
            throw ApiException.conflict("POWER_CAP_EXCEEDED", "rack " + rack.name() + " has " + rack.powerCapKw().subtract(committed)
                            + " kW left of " + rack.powerCapKw() + " kW", "机柜电力余量不足",
                    Map.of("rackId", rack.rackId(), "powerCapKw", rack.powerCapKw(), "committedKw", committed));
        }
        Allocation a = fresh(id, AllocationKind.RACK_UNITS, rack.siteId(), h, actor).withUnits(rack.rackId(), r.uFrom(), r.uTo(), r.mount(), power);
        Optional<Unit> taken = guards.claimAll(a, units(a));
        if (taken.isPresent()) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("rackId", rack.rackId());
            d.put("u", Integer.parseInt(taken.get().describe().get("u").n()));
            d.put("face", taken.get().describe().get("face").s());
            throw ApiException.conflict("UNITS_TAKEN", "U" + d.get("u") + " (" + d.get("face") + ") of rack " + rack.name()
                    + " is already allocated; nothing was reserved", "所选U位已被占用，未做任何预留", d);
        }
        return created(a, actor);
    }

    public Allocation reserveAddresses(String id, AddressRequest r, AllocationHolder h, Actor actor) {
        Optional<Allocation> again = existing(id);
        if (again.isPresent()) {
            return again.get();
        }
        IpPrefix prefix = store.prefix(r.prefixId()).orElseThrow(() -> ApiException.invalid("prefixId", "exists", "no such IP prefix"));
        Ipv4.Block block = prefix.block();
        Allocation base = fresh(id, AllocationKind.IP_ADDRESSES, prefix.siteId(), h, actor);
        List<String> got = new ArrayList<>();
        List<Unit> claimed = new ArrayList<>();
        if (r.addresses() != null && !r.addresses().isEmpty()) {
            List<Unit> wanted = new ArrayList<>();
            for (int i = 0; i < r.addresses().size(); i++) {
                long off = block.offsetOf(r.addresses().get(i)).orElseThrow(() -> ApiException.invalid("addresses", "inPrefix",
                        "every address must be a usable host address of " + prefix.cidr()));
                wanted.add(addressUnit(prefix.prefixId(), block, off));
            }
            Optional<Unit> taken = guards.claimAll(base, wanted);
            if (taken.isPresent()) {
                throw ApiException.conflict("ADDRESS_TAKEN", taken.get().describe().get("address").s() + " is already allocated; nothing was reserved",
                        "IP地址已被占用，未做任何预留", Map.of("address", taken.get().describe().get("address").s()));
            }
            got.addAll(r.addresses());
        } else {
            Set<String> used = new HashSet<>();
            store.guards(Keys.prefixAddressesPartition(prefix.prefixId()), Keys.ADDRESS_PREFIX).forEach(g -> used.add(g.get("sk").s()));
            for (long off = block.firstUsable(); off <= block.lastUsable() && got.size() < r.count(); off++) {
                Unit u = addressUnit(prefix.prefixId(), block, off);
                if (!used.contains(u.key().sk()) && guards.claim(base, u)) {
                    claimed.add(u);
                    got.add(block.address(off));
                }
            }
            if (got.size() < r.count()) {
                guards.releaseAll(id, claimed);
                throw ApiException.conflict("PREFIX_EXHAUSTED", prefix.cidr() + " has only " + got.size() + " free addresses, "
                        + r.count() + " requested; nothing was reserved", "IP地址段可用地址不足", Map.of("free", got.size()));
            }
        }
        return created(base.withAddresses(prefix.prefixId(), got), actor);
    }

    public Allocation reservePort(String id, PortRequest r, AllocationHolder h, Actor actor) {
        Optional<Allocation> again = existing(id);
        if (again.isPresent()) {
            return again.get();
        }
        Rack rack = store.rack(r.rackId()).orElseThrow(() -> ApiException.invalid("rackId", "exists", "no such rack"));
        if (r.bandwidthMbps() > rack.portSpeedMbps()) {
            throw ApiException.invalid("bandwidthMbps", "range", "must be at most the port speed " + rack.portSpeedMbps() + " Mbps");
        }
        if (r.port() != null && (r.port() < 1 || r.port() > rack.uplinkPorts())) {
            throw ApiException.invalid("port", "range", "rack " + rack.name() + " has ports 1.." + rack.uplinkPorts());
        }
        Allocation base = fresh(id, AllocationKind.UPLINK_PORT, rack.siteId(), h, actor);
        List<Integer> candidates = new ArrayList<>();
        if (r.port() != null) {
            candidates.add(r.port());
        } else {
            for (int p = 1; p <= rack.uplinkPorts(); p++) {
                candidates.add(p);
            }
        }
        for (int p : candidates) {
            Allocation a = base.withPort(rack.rackId(), p, r.bandwidthMbps());
            if (guards.claim(a, units(a).get(0))) {
                return created(a, actor);
            }
        }
        throw ApiException.conflict("PORT_TAKEN", r.port() != null ? "port " + r.port() + " of rack " + rack.name() + " is already allocated"
                : "rack " + rack.name() + " has no free uplink port", "上联端口已被占用", Map.of("rackId", rack.rackId()));
    }

    /** A move along the transition table by a flow; idempotent (a retried step finishes what a crash left). */
    public Allocation transition(String id, AllocationStatus to, Actor actor, String note) {
        for (int attempt = 0; attempt < 5; attempt++) {
            Allocation a = store.allocation(id).orElseThrow(() -> ApiException.notFound(WHAT));
            Optional<Allocation> moved = move(a, to, actor, note, a.version());
            if (moved.isPresent()) {
                return moved.get();
            }
        }
        throw ApiException.versionConflict(-1);
    }

    /** A move requested through the API (operations / admin), based on the version the caller saw. */
    public Allocation transition(Caller caller, String id, AllocationStatus to, long expectedVersion, String note) {
        Allocation a = get(caller, id);
        if (a.version() != expectedVersion) {
            throw ApiException.versionConflict(a.version());
        }
        return move(a, to, Actor.of(caller), note, expectedVersion).orElseThrow(() -> ApiException.versionConflict(a.version() + 1));
    }

    private Optional<Allocation> move(Allocation a, AllocationStatus to, Actor actor, String note, long expectedVersion) {
        if (a.status() == to) {
            finishGuards(a);
            return Optional.of(a);
        }
        if (!AllocationTransitions.allowed(a.status(), to)) {
            throw ApiException.conflict("ILLEGAL_TRANSITION", "cannot move an allocation from " + a.status() + " to " + to
                            + "; allowed: " + AllocationTransitions.targets(a.status()),
                    "不允许的状态变更：" + a.status().labelZh() + " → " + to.labelZh(),
                    Map.of("from", a.status().name(), "to", to.name(),
                            "allowed", AllocationTransitions.targets(a.status()).stream().map(Enum::name).toList()));
        }
        Allocation next = a.moved(to, actor.id(), Instant.now().toString());
        if (!store.replace(next, expectedVersion)) {
            return Optional.empty();
        }
        finishGuards(next);
        history.record(InventoryStore.ALLOCATION, a.allocationId(), to.name(), actor.id(), actor.role(), actor.departmentId(),
                History.diff(a, next, NOT_AUDITED), note);
        return Optional.of(next);
    }

    /** The record moves first, then its guards follow; a guard of a RELEASED allocation is free for the taking. */
    private void finishGuards(Allocation a) {
        if (a.status() == AllocationStatus.RELEASED) {
            guards.releaseAll(a.allocationId(), units(a));
        } else if (a.status() == AllocationStatus.OCCUPIED) {
            guards.mark(a, units(a), AllocationStatus.OCCUPIED);
        }
    }

    public Allocation get(Caller caller, String id) {
        return AccessPolicy.requireVisible(caller, RecordKind.ALLOCATION, store.allocation(id).orElse(null), WHAT);
    }

    public Optional<Allocation> find(String id) {
        return store.allocation(id);
    }

    public List<Allocation> ofContract(String contractId) {
        return store.allocationsOfContract(contractId);
    }

    public com.rackflow.core.persistence.Page<Allocation> ofContract(Caller caller, String contractId, String cursor, int limit) {
        return store.allocationsOfContract(contractId, cursor, limit, a -> AccessPolicy.maySee(caller, RecordKind.ALLOCATION, a));
    }

    /** Power committed on a rack by its live unit allocations. */
    BigDecimal committedPower(String rackId) {
        return store.allocationsOn(rackId).stream()
                .filter(x -> x.kind() == AllocationKind.RACK_UNITS && x.status() != AllocationStatus.RELEASED && x.powerKw() != null)
                .map(Allocation::powerKw).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private Optional<Allocation> existing(String id) {
        Optional<Allocation> a = store.allocation(id);
        a.filter(x -> x.status() != AllocationStatus.RELEASED).ifPresent(x -> guards.claimAll(x, units(x)));
        return a;
    }

    private static Allocation fresh(String id, AllocationKind kind, String siteId, AllocationHolder h, Actor actor) {
        String now = Instant.now().toString();
        return new Allocation(id, kind, AllocationStatus.RESERVED, siteId, null, null, null, null, null, null, null, null, null,
                h.contractId(), h.contractSerial(), h.customerId(), h.customerCode(), h.flowId(), h.ownerId(), h.departmentId(),
                now, actor.id(), now, actor.id(), 1);
    }

    private Allocation created(Allocation a, Actor actor) {
        if (!store.insert(a)) {
            return store.allocation(a.allocationId()).orElseThrow();
        }
        history.record(InventoryStore.ALLOCATION, a.allocationId(), "RESERVED", actor.id(), actor.role(), actor.departmentId(),
                History.diff(null, a, NOT_AUDITED), null);
        return a;
    }

    /** The guard units an allocation holds. */
    List<Unit> units(Allocation a) {
        List<Unit> out = new ArrayList<>();
        switch (a.kind()) {
            case RACK_UNITS -> {
                for (int u = a.uFrom(); u <= a.uTo(); u++) {
                    for (String face : a.mount().faces()) {
                        out.add(new Unit(Keys.rackUnit(a.rackId(), u, face), Map.of("u", Items.n(u), "face", Items.s(face))));
                    }
                }
            }
            case IP_ADDRESSES -> {
                Ipv4.Block block = store.prefix(a.prefixId()).orElseThrow().block();
                for (String address : a.addresses()) {
                    out.add(addressUnit(a.prefixId(), block, block.offsetOf(address).orElseThrow()));
                }
            }
            case UPLINK_PORT -> out.add(new Unit(Keys.rackPort(a.rackId(), a.port()),
                    Map.of("port", Items.n(a.port()), "bandwidthMbps", Items.n(a.bandwidthMbps()))));
        }
        return out;
    }

    private static Unit addressUnit(String prefixId, Ipv4.Block block, long offset) {
        Map<String, AttributeValue> d = Map.of("address", Items.s(block.address(offset)));
        return new Unit(Keys.prefixAddress(prefixId, offset), d);
    }
}
