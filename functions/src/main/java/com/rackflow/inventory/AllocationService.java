package com.rackflow.inventory;

import com.rackflow.core.history.Actor;
import com.rackflow.access.AccessPolicy;
import com.rackflow.access.Caller;
import com.rackflow.access.RecordKind;
import com.rackflow.core.http.ApiException;
import com.rackflow.core.persistence.IdempotencyClaim;
import com.rackflow.core.persistence.Items;
import com.rackflow.core.persistence.Keys;
import com.rackflow.core.persistence.Table;
import com.rackflow.core.persistence.UnitOfWork;
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
 * Allocations of rack units, IP addresses and uplink ports. A reservation is one unit of work: the allocation record,
 * its history entry and a guard item per unit it holds (see {@link UnitGuards}), all or nothing; a stage completion adds
 * it to its own unit of work. Status moves follow {@link AllocationTransitions}: the record, its entry and its guards
 * (marked OCCUPIED, or released) in one transaction where they fit in one.
 */
public final class AllocationService {
    private static final String WHAT = "allocation";
    private static final int REPLANS = 25;

    private final InventoryStore store;
    private final UnitGuards guards;

    public AllocationService(Table table) {
        this.store = new InventoryStore(table);
        this.guards = new UnitGuards(table, store);
    }

    public record UnitRequest(String rackId, int uFrom, int uTo, Mount mount, BigDecimal powerKw) {
    }

    /** {@code count} next free addresses, or exactly {@code addresses}. */
    public record AddressRequest(String prefixId, int count, List<String> addresses) {
    }

    /** A given port, or (port null) the first free one. */
    public record PortRequest(String rackId, Integer port, int bandwidthMbps) {
    }

    /** Reserves the units on their own: one transaction (the allocation, its history entry, every unit's guard). */
    public Allocation reserveUnits(String id, UnitRequest r, AllocationHolder h, Actor actor) {
        return committed(actor, null, uow -> reserveUnits(uow, id, r, h));
    }

    public Allocation reserveAddresses(String id, AddressRequest r, AllocationHolder h, Actor actor) {
        return committed(actor, null, uow -> reserveAddresses(uow, id, r, h));
    }

    public Allocation reservePort(String id, PortRequest r, AllocationHolder h, Actor actor) {
        return committed(actor, null, uow -> reservePort(uow, id, r, h));
    }

    /** A reservation planned by {@code plan}, with the request's idempotency record ({@code claim}, may be null). */
    Allocation committed(Actor actor, IdempotencyClaim claim, java.util.function.Function<UnitOfWork, Allocation> plan) {
        return replanned(() -> {
            UnitOfWork uow = new UnitOfWork(store.table(), actor).idempotent(claim);
            Allocation a = plan.apply(uow);
            uow.commit();
            return a;
        });
    }

    /**
     * Plans and commits again while units picked as free (the next free addresses, the first free port) were taken
     * by a concurrent reservation meanwhile: each attempt reads what is free anew.
     */
    public static <T> T replanned(java.util.function.Supplier<T> attempt) {
        for (int i = 1; ; i++) {
            try {
                return attempt.get();
            } catch (ApiException e) {
                if (i >= REPLANS || !e.code().equals("ADDRESS_TAKEN") && !e.code().equals("PORT_TAKEN")) {
                    throw e;
                }
                try {
                    Thread.sleep((long) (Math.random() * 20 * i));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /**
     * Adds a reservation of a U range to {@code uow}: the allocation record (RESERVED, with its history entry) and a
     * guard per U and face, each written only if free or already this allocation's (a retried write of the same
     * reservation is its own). A taken unit cancels the whole unit of work: 409 UNITS_TAKEN naming it.
     */
    public Allocation reserveUnits(UnitOfWork uow, String id, UnitRequest r, AllocationHolder h) {
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
        Allocation a = fresh(id, AllocationKind.RACK_UNITS, rack.siteId(), h, uow).withUnits(rack.rackId(), r.uFrom(), r.uTo(), r.mount(), power);
        return planned(uow, a, old -> {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("rackId", rack.rackId());
            d.put("u", old.containsKey("u") ? Integer.parseInt(old.get("u").n()) : r.uFrom());
            d.put("face", old.containsKey("face") ? old.get("face").s() : "FRONT");
            return ApiException.conflict("UNITS_TAKEN", "U" + d.get("u") + " (" + d.get("face") + ") of rack " + rack.name()
                    + " is already allocated; nothing was reserved", "所选U位已被占用，未做任何预留", d);
        });
    }

    /** Adds a reservation of addresses (given ones, or the next free ones of the prefix) to {@code uow}. */
    public Allocation reserveAddresses(UnitOfWork uow, String id, AddressRequest r, AllocationHolder h) {
        IpPrefix prefix = store.prefix(r.prefixId()).orElseThrow(() -> ApiException.invalid("prefixId", "exists", "no such IP prefix"));
        Ipv4.Block block = prefix.block();
        List<String> got = new ArrayList<>();
        if (r.addresses() != null && !r.addresses().isEmpty()) {
            for (String address : r.addresses()) {
                block.offsetOf(address).orElseThrow(() -> ApiException.invalid("addresses", "inPrefix",
                        "every address must be a usable host address of " + prefix.cidr()));
                got.add(address);
            }
        } else {
            Set<String> used = new HashSet<>();
            store.guards(Keys.prefixAddressesPartition(prefix.prefixId()), Keys.ADDRESS_PREFIX).forEach(g -> used.add(g.get("sk").s()));
            for (long off = block.firstUsable(); off <= block.lastUsable() && got.size() < r.count(); off++) {
                if (!used.contains(Keys.prefixAddress(prefix.prefixId(), off).sk())) {
                    got.add(block.address(off));
                }
            }
            if (got.size() < r.count()) {
                throw ApiException.conflict("PREFIX_EXHAUSTED", prefix.cidr() + " has only " + got.size() + " free addresses, "
                        + r.count() + " requested; nothing was reserved", "IP地址段可用地址不足", Map.of("free", got.size()));
            }
        }
        Allocation a = fresh(id, AllocationKind.IP_ADDRESSES, prefix.siteId(), h, uow).withAddresses(prefix.prefixId(), got);
        return planned(uow, a, old -> {
            String address = old.containsKey("address") ? old.get("address").s() : got.get(0);
            return ApiException.conflict("ADDRESS_TAKEN", address + " is already allocated; nothing was reserved",
                    "IP地址已被占用，未做任何预留", Map.of("address", address));
        });
    }

    /** Adds a reservation of an uplink port (the given one, or the first free one of the rack) to {@code uow}. */
    public Allocation reservePort(UnitOfWork uow, String id, PortRequest r, AllocationHolder h) {
        Rack rack = store.rack(r.rackId()).orElseThrow(() -> ApiException.invalid("rackId", "exists", "no such rack"));
        if (r.bandwidthMbps() > rack.portSpeedMbps()) {
            throw ApiException.invalid("bandwidthMbps", "range", "must be at most the port speed " + rack.portSpeedMbps() + " Mbps");
        }
        if (r.port() != null && (r.port() < 1 || r.port() > rack.uplinkPorts())) {
            throw ApiException.invalid("port", "range", "rack " + rack.name() + " has ports 1.." + rack.uplinkPorts());
        }
        Integer port = r.port();
        if (port == null) {
            Set<String> used = new HashSet<>();
            store.guards(Keys.rackUnitsPartition(rack.rackId()), Keys.PORT_PREFIX).forEach(g -> used.add(g.get("sk").s()));
            for (int p = 1; p <= rack.uplinkPorts() && port == null; p++) {
                if (!used.contains(Keys.rackPort(rack.rackId(), p).sk())) {
                    port = p;
                }
            }
        }
        ApiException taken = ApiException.conflict("PORT_TAKEN", r.port() != null ? "port " + r.port() + " of rack " + rack.name()
                + " is already allocated" : "rack " + rack.name() + " has no free uplink port", "上联端口已被占用", Map.of("rackId", rack.rackId()));
        if (port == null) {
            throw taken;
        }
        Allocation a = fresh(id, AllocationKind.UPLINK_PORT, rack.siteId(), h, uow).withPort(rack.rackId(), port, r.bandwidthMbps());
        return planned(uow, a, old -> taken);
    }

    /** The allocation record (RESERVED, its history entry) and its units' guards, into the unit of work. */
    private Allocation planned(UnitOfWork uow, Allocation a, java.util.function.Function<Map<String, AttributeValue>, ApiException> taken) {
        uow.create(InventoryStore.ALLOCATIONS, a, "RESERVED", null);
        for (Unit u : units(a)) {
            Map<String, AttributeValue> attributes = UnitGuards.guard(a, u, AllocationStatus.RESERVED);
            uow.claim(u.key(), attributes, a.allocationId(), taken::apply);
        }
        return a;
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
            if (!guardsFit(a)) {
                finishGuards(a);
            }
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
        UnitOfWork uow = new UnitOfWork(store.table(), actor).change(InventoryStore.ALLOCATIONS, a, next, to.name(), note);
        boolean together = guardsFit(next);
        if (together) {
            for (Unit u : units(next)) {
                if (to == AllocationStatus.RELEASED) {
                    uow.release(u.key(), next.allocationId());
                } else if (to == AllocationStatus.OCCUPIED) {
                    uow.claim(u.key(), UnitGuards.guard(next, u, to), next.allocationId(), old -> ApiException.conflict(
                            "UNITS_TAKEN", "a unit of allocation " + next.allocationId() + " is held by another allocation",
                            "资源已被其他分配占用", Map.of("allocationId", next.allocationId())));
                }
            }
        }
        if (!uow.commitIfCurrent()) {
            return Optional.empty();
        }
        if (!together) {
            finishGuards(next);
        }
        return Optional.of(next);
    }

    /**
     * Whether the allocation's guards go into the transaction of its move (with the record and its entry); a larger
     * allocation (a /24 of addresses) moves its record first and its guards follow, finished by a retried move.
     */
    private boolean guardsFit(Allocation a) {
        return units(a).size() <= UnitOfWork.MAX_ITEMS - 2;
    }

    /** The record moved first, then its guards follow; a guard of a RELEASED allocation is free for the taking. */
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

    private static Allocation fresh(String id, AllocationKind kind, String siteId, AllocationHolder h, UnitOfWork uow) {
        String now = Instant.now().toString();
        String by = uow.actor().id();
        return new Allocation(id, kind, AllocationStatus.RESERVED, siteId, null, null, null, null, null, null, null, null, null,
                h.contractId(), h.contractSerial(), h.customerId(), h.customerCode(), h.flowId(), h.ownerId(), h.departmentId(),
                now, by, now, by, 1);
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
