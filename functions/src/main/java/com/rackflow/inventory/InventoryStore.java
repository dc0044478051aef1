package com.rackflow.inventory;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.core.json.Json;
import com.rackflow.core.persistence.Items;
import com.rackflow.core.persistence.Key;
import com.rackflow.core.persistence.KeyQuery;
import com.rackflow.core.persistence.Keys;
import com.rackflow.core.persistence.Page;
import com.rackflow.core.persistence.Pager;
import com.rackflow.core.persistence.RecordType;
import com.rackflow.core.persistence.Table;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/** Sites, rooms, racks, prefixes and allocations in the table (keys: docs/keys.md, "Inventory and flows"). */
public final class InventoryStore {
    static final String SITE = "SITE";
    static final String ROOM = "ROOM";
    static final String RACK = "RACK";
    static final String PREFIX = "IP_PREFIX";
    static final String ALLOCATION = "ALLOCATION";

    private final Table table;

    public InventoryStore(Table table) {
        this.table = table;
    }

    Table table() {
        return table;
    }

    // ---- reads ----

    public Optional<Site> site(String id) {
        return table.get(Keys.record(SITE, id)).map(i -> Items.toRecord(i, Site.class));
    }

    public Optional<Room> room(String id) {
        return table.get(Keys.record(ROOM, id)).map(i -> Items.toRecord(i, Room.class));
    }

    public Optional<Rack> rack(String id) {
        return table.get(Keys.record(RACK, id)).map(i -> Items.toRecord(i, Rack.class));
    }

    public Optional<IpPrefix> prefix(String id) {
        return table.get(Keys.record(PREFIX, id)).map(i -> Items.toRecord(i, IpPrefix.class));
    }

    public Optional<Allocation> allocation(String id) {
        return table.get(Keys.record(ALLOCATION, id)).map(InventoryStore::allocation);
    }

    static Allocation allocation(Map<String, AttributeValue> item) {
        return Items.toRecord(item, Allocation.class);
    }

    public Page<Site> sites(String cursor, int limit) {
        return Pager.page(table, List.of(KeyQuery.on(Keys.GSI_KIND, Keys.ALL_SITES_PARTITION, null).oldestFirst()), cursor, limit,
                i -> Items.toRecord(i, Site.class), s -> true);
    }

    public Page<Room> rooms(String siteId, String cursor, int limit) {
        return Pager.page(table, List.of(KeyQuery.on(Keys.GSI_KIND, Keys.siteRoomsPartition(siteId), null).oldestFirst()), cursor, limit,
                i -> Items.toRecord(i, Room.class), r -> true);
    }

    /** Racks of a site, or of one room of it. */
    public Page<Rack> racks(String siteId, String roomId, String cursor, int limit) {
        KeyQuery q = KeyQuery.on(Keys.GSI_KIND, Keys.siteRacksPartition(siteId), roomId == null ? null : Keys.roomRacksPrefix(roomId));
        return Pager.page(table, List.of(q.oldestFirst()), cursor, limit, i -> Items.toRecord(i, Rack.class), r -> true);
    }

    public List<Rack> allRacks(String siteId) {
        return table.queryAll(KeyQuery.on(Keys.GSI_KIND, Keys.siteRacksPartition(siteId), null).oldestFirst())
                .stream().map(i -> Items.toRecord(i, Rack.class)).toList();
    }

    public Page<IpPrefix> prefixes(String siteId, String cursor, int limit) {
        return Pager.page(table, List.of(KeyQuery.on(Keys.GSI_KIND, Keys.sitePrefixesPartition(siteId), null).oldestFirst()), cursor, limit,
                i -> Items.toRecord(i, IpPrefix.class), p -> true);
    }

    public List<IpPrefix> allPrefixes(String siteId) {
        return table.queryAll(KeyQuery.on(Keys.GSI_KIND, Keys.sitePrefixesPartition(siteId), null).oldestFirst())
                .stream().map(i -> Items.toRecord(i, IpPrefix.class)).toList();
    }

    /** The guards of a rack (units and ports) or of a prefix (addresses): one Query. */
    public List<Map<String, AttributeValue>> guards(String partition, String sortPrefix) {
        return table.queryAll(KeyQuery.on(null, partition, sortPrefix).oldestFirst());
    }

    /**
     * The offsets handed out of a prefix, ascending, read page by page only as far as {@code stop} asks: its guards
     * are keyed by zero-padded offset, so the first free addresses need the guards up to the last of them, not all.
     */
    public void usedOffsets(String prefixId, java.util.function.LongPredicate stop) {
        KeyQuery q = KeyQuery.on(null, Keys.prefixAddressesPartition(prefixId), Keys.ADDRESS_PREFIX).oldestFirst();
        Map<String, AttributeValue> start = null;
        do {
            var r = table.query(q, start, 200);
            for (Map<String, AttributeValue> g : r.items()) {
                if (stop.test(Long.parseLong(g.get("sk").s().substring(Keys.ADDRESS_PREFIX.length())))) {
                    return;
                }
            }
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
    }

    /** Allocations drawing on one rack or prefix (capacity). */
    public List<Allocation> allocationsOn(String resourceId) {
        return table.queryAll(KeyQuery.on(Keys.GSI_DEPARTMENT, Keys.resourceAllocationsPartition(resourceId), ALLOCATION + "#"))
                .stream().map(InventoryStore::allocation).toList();
    }

    /** One page of a contract's allocations, oldest first; {@code keep} applies the caller's scope. */
    public Page<Allocation> allocationsOfContract(String contractId, String cursor, int limit, java.util.function.Predicate<Allocation> keep) {
        return Pager.page(table, List.of(KeyQuery.on(Keys.GSI_OWNER, Keys.contractLinksPartition(contractId), ALLOCATION + "#").oldestFirst()),
                cursor, limit, InventoryStore::allocation, keep);
    }

    /** Allocations of one contract, oldest first. */
    public List<Allocation> allocationsOfContract(String contractId) {
        return table.queryAll(KeyQuery.on(Keys.GSI_OWNER, Keys.contractLinksPartition(contractId), ALLOCATION + "#").oldestFirst())
                .stream().map(InventoryStore::allocation).toList();
    }

    // ---- how the unit of work writes them ----

    static final RecordType<Site> SITES = type(SITE, Site::siteId, Site::version, s -> item(s, Keys.record(SITE, s.siteId()),
            null, null, null, null, Keys.ALL_SITES_PARTITION, s.code() + "#" + s.siteId()));
    static final RecordType<Room> ROOMS = type(ROOM, Room::roomId, Room::version, r -> item(r, Keys.record(ROOM, r.roomId()),
            null, null, null, null, Keys.siteRoomsPartition(r.siteId()), r.name() + "#" + r.roomId()));
    static final RecordType<Rack> RACKS = type(RACK, Rack::rackId, Rack::version, r -> item(r, Keys.record(RACK, r.rackId()),
            null, null, null, null, Keys.siteRacksPartition(r.siteId()), Keys.rackSortKey(r.roomId(), r.name(), r.rackId())));
    static final RecordType<IpPrefix> PREFIXES = type(PREFIX, IpPrefix::prefixId, IpPrefix::version, p -> item(p,
            Keys.record(PREFIX, p.prefixId()), null, null, null, null, Keys.sitePrefixesPartition(p.siteId()), p.cidr() + "#" + p.prefixId()));
    /** Allocation records; the history leaves out who touched it last (the entry names the actor). */
    static final RecordType<Allocation> ALLOCATIONS = type(ALLOCATION, Allocation::allocationId, Allocation::version,
            InventoryStore::item).described("allocation", Set.of("version", "updatedAt", "updatedBy"));

    private static <T> RecordType<T> type(String type, Function<T, String> id, ToLongFunction<T> version,
                                          Function<T, Map<String, AttributeValue>> item) {
        return RecordType.of(type, type.toLowerCase(java.util.Locale.ROOT).replace('_', ' '), id, version, item);
    }

    private static Map<String, AttributeValue> item(Allocation a) {
        String sort = Keys.typedSortKey(ALLOCATION, a.createdAt(), a.allocationId());
        return item(a, Keys.record(ALLOCATION, a.allocationId()), Keys.contractLinksPartition(a.contractId()), sort,
                Keys.resourceAllocationsPartition(a.resourceId()), sort,
                Keys.statusPartition(ALLOCATION, a.status().name()), a.createdAt() + "#" + a.allocationId());
    }

    private static Map<String, AttributeValue> item(Object record, Key key, String g1pk, String g1sk, String g2pk, String g2sk,
                                                    String g3pk, String g3sk) {
        ObjectNode o = (ObjectNode) Json.tree(record);
        o.put("pk", key.pk());
        o.put("sk", key.sk());
        if (g1pk != null) {
            o.put("gsi1pk", g1pk).put("gsi1sk", g1sk);
        }
        if (g2pk != null) {
            o.put("gsi2pk", g2pk).put("gsi2sk", g2sk);
        }
        if (g3pk != null) {
            o.put("gsi3pk", g3pk).put("gsi3sk", g3sk);
        }
        return Items.fromObject(o);
    }
}
