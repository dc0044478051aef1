package com.rackflow.inventory;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.access.AccessPolicy;
import com.rackflow.access.Caller;
import com.rackflow.core.history.Actor;
import com.rackflow.core.http.ApiException;
import com.rackflow.core.json.Json;
import com.rackflow.core.persistence.Keys;
import com.rackflow.core.persistence.Page;
import com.rackflow.core.persistence.Table;
import com.rackflow.core.persistence.Guard;
import com.rackflow.core.persistence.IdempotencyClaim;
import com.rackflow.core.persistence.RecordType;
import com.rackflow.core.persistence.UnitOfWork;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The data-center inventory (机房资源): sites, rooms, racks (name unique per room), IP prefixes; rack elevations and
 * capacity per site. The module (operations / admin) is checked by the API; every create is audited.
 */
public final class InventoryService {
    private final Table table;
    private final InventoryStore store;
    private final AllocationService allocations;

    public InventoryService(Table table) {
        this.table = table;
        this.allocations = new AllocationService(table);
        this.store = new InventoryStore(table);
    }

    public Site createSite(Caller caller, String code, String name, String city, String address, IdempotencyClaim claim) {
        String id = UUID.randomUUID().toString();
        Site s = new Site(id, code, name, city, address, Instant.now().toString(), caller.userId(), 1);
        return created(caller, InventoryStore.SITES, s, claim, new Guard("SITE_CODE", code.toUpperCase(Locale.ROOT)),
                "code", "a site with this code exists");
    }

    public Room createRoom(Caller caller, String siteId, String name, String floor, IdempotencyClaim claim) {
        requireSite(siteId);
        String id = UUID.randomUUID().toString();
        Room r = new Room(id, siteId, name, floor, Instant.now().toString(), caller.userId(), 1);
        return created(caller, InventoryStore.ROOMS, r, claim, new Guard("ROOM_NAME", siteId + "#" + name.toLowerCase(Locale.ROOT)),
                "name", "this site already has a room with this name");
    }

    public Rack createRack(Caller caller, String roomId, String name, int uHeight, BigDecimal powerCapKw, int uplinkPorts,
                           int portSpeedMbps, IdempotencyClaim claim) {
        Room room = store.room(roomId).orElseThrow(() -> ApiException.invalid("roomId", "exists", "no such room"));
        String id = UUID.randomUUID().toString();
        Rack r = new Rack(id, room.siteId(), roomId, name, uHeight, powerCapKw, uplinkPorts, portSpeedMbps,
                Instant.now().toString(), caller.userId(), 1);
        return created(caller, InventoryStore.RACKS, r, claim, new Guard("RACK_NAME", roomId + "#" + name.toLowerCase(Locale.ROOT)),
                "name", "this room already has a rack with this name");
    }

    public IpPrefix createPrefix(Caller caller, String siteId, Ipv4.Block block, String description, IdempotencyClaim claim) {
        requireSite(siteId);
        String id = UUID.randomUUID().toString();
        IpPrefix p = new IpPrefix(id, siteId, block.cidr(), description, Instant.now().toString(), caller.userId(), 1);
        return created(caller, InventoryStore.PREFIXES, p, claim, new Guard("IP_PREFIX", block.cidr()),
                "cidr", "this prefix is already in the inventory");
    }

    /**
     * The record, its CREATED entry, its unique value's guard and the request's idempotency record: one transaction;
     * a taken value is a 409 naming the field and the record holding it.
     */
    private <T> T created(Caller caller, RecordType<T> records, T record, IdempotencyClaim claim, Guard unique, String field,
                          String message) {
        String type = records.type();
        new UnitOfWork(table, Actor.of(caller)).create(records, record, null).idempotent(claim)
                .claim(unique, records.id(record), holder -> ApiException.conflict("DUPLICATE_" + type, field + ": " + message,
                        "名称/编号重复：" + field, Map.of("field", field, "existingId", holder)))
                .commit();
        return record;
    }

    public Site site(String id) {
        return store.site(id).orElseThrow(() -> ApiException.notFound("site"));
    }

    Room room(String id) {
        return store.room(id).orElseThrow(() -> ApiException.notFound("room"));
    }

    public IpPrefix prefix(String id) {
        return store.prefix(id).orElseThrow(() -> ApiException.notFound("IP prefix"));
    }

    /**
     * The first {@code limit} free host addresses of a prefix, lowest first (network, gateway and broadcast never
     * free): what a reservation of {@code limit} next free addresses would take now. One Query of the prefix's address
     * guards, read only as far as the answer needs.
     */
    public ObjectNode freeAddresses(String prefixId, int limit) {
        IpPrefix p = prefix(prefixId);
        Ipv4.Block block = p.block();
        List<String> free = new java.util.ArrayList<>();
        long[] next = {block.firstUsable()};
        store.usedOffsets(prefixId, used -> {
            for (; next[0] < used && next[0] <= block.lastUsable() && free.size() < limit; next[0]++) {
                free.add(block.address(next[0]));
            }
            next[0] = Math.max(next[0], used + 1);
            return free.size() >= limit || next[0] > block.lastUsable();
        });
        for (; next[0] <= block.lastUsable() && free.size() < limit; next[0]++) {
            free.add(block.address(next[0]));
        }
        ObjectNode out = Json.object();
        out.put("prefixId", p.prefixId()).put("siteId", p.siteId()).put("cidr", p.cidr()).put("usable", block.usableCount());
        ArrayNode addresses = out.putArray("addresses");
        free.forEach(addresses::add);
        return out;
    }

    public Rack rack(String id) {
        return store.rack(id).orElseThrow(() -> ApiException.notFound("rack"));
    }

    private void requireSite(String siteId) {
        if (store.site(siteId).isEmpty()) {
            throw ApiException.invalid("siteId", "exists", "no such site");
        }
    }

    public Page<Site> sites(String cursor, int limit) {
        return store.sites(cursor, limit);
    }

    public Page<Room> rooms(String siteId, String cursor, int limit) {
        return store.rooms(siteId, cursor, limit);
    }

    public Page<Rack> racks(String siteId, String roomId, String cursor, int limit) {
        return store.racks(siteId, roomId, cursor, limit);
    }

    public Page<IpPrefix> prefixes(String siteId, String cursor, int limit) {
        return store.prefixes(siteId, cursor, limit);
    }

    /**
     * The rack's elevation, top U first: per U and face FREE / RESERVED / OCCUPIED with the allocation and (for roles
     * that may see it) the customer code; then the uplink ports.
     */
    public ObjectNode elevation(Caller caller, String rackId) {
        Rack rack = rack(rackId);
        boolean codes = AccessPolicy.maySeeCustomerCodes(caller);
        Map<String, Map<String, AttributeValue>> guards = new HashMap<>();
        store.guards(Keys.rackUnitsPartition(rackId), null).forEach(g -> guards.put(g.get("sk").s(), g));
        ObjectNode out = Json.object();
        out.set("rack", Json.tree(rack));
        ArrayNode units = out.putArray("units");
        int free = 0;
        int used = 0;
        for (int u = rack.uHeight(); u >= 1; u--) {
            ObjectNode row = units.addObject().put("u", u);
            boolean any = false;
            for (String face : Mount.FULL_DEPTH.faces()) {
                Map<String, AttributeValue> g = guards.get(Keys.rackUnit(rackId, u, face).sk());
                row.set(face.toLowerCase(Locale.ROOT), unitView(g, codes));
                any |= g != null;
            }
            if (any) {
                used++;
            } else {
                free++;
            }
        }
        ArrayNode ports = out.putArray("ports");
        for (int p = 1; p <= rack.uplinkPorts(); p++) {
            ObjectNode pv = unitView(guards.get(Keys.rackPort(rackId, p).sk()), codes);
            pv.put("port", p);
            ports.add(pv);
        }
        out.put("freeUnits", free).put("usedUnits", used);
        return out;
    }

    private static ObjectNode unitView(Map<String, AttributeValue> g, boolean codes) {
        ObjectNode o = Json.object();
        AllocationStatus s = g == null ? null : AllocationStatus.valueOf(g.get("status").s());
        o.put("status", s == null ? "FREE" : s.name());
        o.put("statusLabel", s == null ? "空闲" : s.labelZh());
        if (g != null) {
            o.put("allocationId", g.get("holderId").s());
            if (codes) {
                o.put("customerCode", g.get("customerCode").s());
            }
            if (g.containsKey("bandwidthMbps")) {
                o.put("bandwidthMbps", Integer.parseInt(g.get("bandwidthMbps").n()));
            }
        }
        return o;
    }

    /** Capacity of a site: U positions, power, addresses and uplink ports, total / reserved / occupied / free. */
    public ObjectNode capacity(String siteId) {
        Site site = site(siteId);
        long uTotal = 0;
        long uReserved = 0;
        long uOccupied = 0;
        long ports = 0;
        long portsUsed = 0;
        BigDecimal kwCap = BigDecimal.ZERO;
        BigDecimal kwCommitted = BigDecimal.ZERO;
        List<Rack> racks = store.allRacks(siteId);
        for (Rack r : racks) {
            uTotal += r.uHeight();
            ports += r.uplinkPorts();
            kwCap = kwCap.add(r.powerCapKw());
            Map<Integer, String> perU = new HashMap<>();
            for (Map<String, AttributeValue> g : store.guards(Keys.rackUnitsPartition(r.rackId()), null)) {
                String sk = g.get("sk").s();
                if (sk.startsWith(Keys.PORT_PREFIX)) {
                    portsUsed++;
                } else {
                    int u = Integer.parseInt(g.get("u").n());
                    String st = g.get("status").s();
                    perU.merge(u, st, (a, b) -> AllocationStatus.OCCUPIED.name().equals(a) ? a : b);
                }
            }
            uOccupied += perU.values().stream().filter(AllocationStatus.OCCUPIED.name()::equals).count();
            uReserved += perU.values().stream().filter(AllocationStatus.RESERVED.name()::equals).count();
            kwCommitted = kwCommitted.add(allocations.committedPower(r.rackId()));
        }
        long ipTotal = 0;
        long ipUsed = 0;
        for (IpPrefix p : store.allPrefixes(siteId)) {
            ipTotal += p.block().usableCount();
            ipUsed += store.guards(Keys.prefixAddressesPartition(p.prefixId()), Keys.ADDRESS_PREFIX).size();
        }
        ObjectNode out = Json.object();
        out.put("siteId", site.siteId()).put("code", site.code()).put("racks", racks.size());
        out.putObject("units").put("total", uTotal).put("reserved", uReserved).put("occupied", uOccupied)
                .put("free", uTotal - uReserved - uOccupied);
        out.putObject("powerKw").put("cap", kwCap).put("committed", kwCommitted).put("free", kwCap.subtract(kwCommitted));
        out.putObject("ipAddresses").put("total", ipTotal).put("used", ipUsed).put("free", ipTotal - ipUsed);
        out.putObject("uplinkPorts").put("total", ports).put("used", portsUsed).put("free", ports - portsUsed);
        return out;
    }
}
