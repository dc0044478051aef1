package com.rackflow.inventory;

import com.rackflow.core.history.Actor;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.access.Caller;
import com.rackflow.core.http.ApiException;
import com.rackflow.core.http.ApiHandler;
import com.rackflow.core.http.ApiRequest;
import com.rackflow.core.http.ApiResponse;
import com.rackflow.core.http.Idempotency;
import com.rackflow.core.http.Input;
import com.rackflow.core.http.Route;
import com.rackflow.core.json.Json;
import com.rackflow.core.persistence.Dynamo;
import com.rackflow.core.persistence.Pager;
import com.rackflow.core.persistence.Table;
import com.rackflow.core.priming.Priming;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** The inventory API (机房资源, operations and admin): sites, rooms, racks, IP prefixes, allocations, elevations, capacity. */
public class InventoryHandler extends ApiHandler {
    static final Pattern SITE_CODE = Pattern.compile("[A-Z0-9][A-Z0-9-]{1,15}");
    static final Pattern RACK_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,31}");

    private final InventoryService inventory;
    private final AllocationService allocations;
    private final HolderLookup holders;
    private final Idempotency idempotency;

    public InventoryHandler() {
        this(Dynamo.table(), ContractHolders.of(Dynamo.table()));
        // each list is of one site (a room's racks too); records are answered as they are, allocations as their view
        String site = Priming.MISSING_ID;
        Priming.register(this, List.of(Priming.Read.of("/sites", "limit", "20"), Priming.Read.of("/sites/{id}"),
                Priming.Read.of("/sites/{id}/capacity"), Priming.Read.of("/rooms", "siteId", site),
                Priming.Read.of("/racks", "siteId", site), Priming.Read.of("/racks", "siteId", site, "roomId", site),
                Priming.Read.of("/racks/{id}"), Priming.Read.of("/racks/{id}/elevation"), Priming.Read.of("/ip-prefixes", "siteId", site),
                Priming.Read.of("/allocations", "contractId", site), Priming.Read.of("/allocations/{id}")),
                List.of(Site.class, Room.class, Rack.class, IpPrefix.class, Allocation.class),
                Priming.all(Priming.answers(Site.class, s -> s), Priming.answers(Room.class, r -> r), Priming.answers(Rack.class, r -> r),
                        Priming.answers(IpPrefix.class, p -> p), Priming.answers(Allocation.class, InventoryHandler::view)));
    }

    public InventoryHandler(Table table, HolderLookup holders) {
        super(table);
        this.inventory = new InventoryService(table);
        this.allocations = new AllocationService(table);
        this.holders = holders;
        this.idempotency = new Idempotency(table);
    }

    @Override
    protected List<Route> routes() {
        return List.of(
                Route.post("/sites", this::createSite),
                Route.get("/sites", r -> ApiResponse.ok(inventory.sites(cursor(r), Pager.limit(r.queryParam("limit"))))),
                Route.get("/sites/{id}", r -> ApiResponse.ok(inventory.site(r.pathParam("id")))),
                Route.get("/sites/{id}/capacity", r -> ApiResponse.ok(inventory.capacity(r.pathParam("id")))),
                Route.post("/rooms", this::createRoom),
                Route.get("/rooms", r -> ApiResponse.ok(inventory.rooms(requiredQuery(r, "siteId"), cursor(r), Pager.limit(r.queryParam("limit"))))),
                Route.post("/racks", this::createRack),
                Route.get("/racks", r -> ApiResponse.ok(inventory.racks(requiredQuery(r, "siteId"), r.queryParam("roomId").orElse(null),
                        cursor(r), Pager.limit(r.queryParam("limit"))))),
                Route.get("/racks/{id}", r -> ApiResponse.ok(inventory.rack(r.pathParam("id")))),
                Route.get("/racks/{id}/elevation", r -> ApiResponse.ok(inventory.elevation(r.requireCaller(), r.pathParam("id")))),
                Route.post("/ip-prefixes", this::createPrefix),
                Route.get("/ip-prefixes", r -> ApiResponse.ok(inventory.prefixes(requiredQuery(r, "siteId"), cursor(r), Pager.limit(r.queryParam("limit"))))),
                Route.get("/ip-prefixes/{id}/free-addresses", r -> ApiResponse.ok(inventory.freeAddresses(r.pathParam("id"),
                        Pager.limit(r.queryParam("limit"))))),
                Route.post("/allocations", this::allocate),
                Route.get("/allocations", r -> ApiResponse.ok(allocations.ofContract(r.requireCaller(), requiredQuery(r, "contractId"),
                        cursor(r), Pager.limit(r.queryParam("limit"))).map(InventoryHandler::view))),
                Route.get("/allocations/{id}", r -> {
                    Allocation a = allocations.get(r.requireCaller(), r.pathParam("id"));
                    return ApiResponse.versioned(200, view(a), a.version());
                }),
                Route.post("/allocations/{id}/transitions", this::transition));
    }

    private ApiResponse createSite(ApiRequest r) {
        Caller caller = r.requireCaller();
        return idempotency.create(r, caller, claim -> {
            Input in = Input.of(r.jsonBody(), "code", "name", "city", "address");
            String code = in.formatted("code", SITE_CODE, "format", "2-16 capital letters, digits or '-', e.g. SH-JQ01", true).orElse(null);
            String name = in.requiredString("name", 100);
            String city = in.optionalString("city", 50).orElse(null);
            String address = in.optionalString("address", 200).orElse(null);
            in.validate();
            return created(inventory.createSite(caller, code, name, city, address, claim));
        }, id -> created(inventory.site(id)));
    }

    private static ApiResponse created(Site s) {
        return ApiResponse.versioned(201, s, s.version()).withHeader("Location", "/sites/" + s.siteId());
    }

    private ApiResponse createRoom(ApiRequest r) {
        Caller caller = r.requireCaller();
        return idempotency.create(r, caller, claim -> {
            Input in = Input.of(r.jsonBody(), "siteId", "name", "floor");
            String siteId = in.requiredString("siteId", 64);
            String name = in.requiredString("name", 64);
            String floor = in.optionalString("floor", 16).orElse(null);
            in.validate();
            Room room = inventory.createRoom(caller, siteId, name, floor, claim);
            return ApiResponse.versioned(201, room, room.version());
        }, id -> {
            Room room = inventory.room(id);
            return ApiResponse.versioned(201, room, room.version());
        });
    }

    private ApiResponse createRack(ApiRequest r) {
        Caller caller = r.requireCaller();
        return idempotency.create(r, caller, claim -> {
            Input in = Input.of(r.jsonBody(), "roomId", "name", "uHeight", "powerCapKw", "uplinkPorts", "portSpeedMbps");
            String roomId = in.requiredString("roomId", 64);
            String name = in.formatted("name", RACK_NAME, "format", "1-32 letters, digits, '.', '_' or '-', e.g. A-01", true).orElse(null);
            long uHeight = in.integer("uHeight", 1, 60, true).orElse(0L);
            BigDecimal power = in.decimal("powerCapKw", new BigDecimal("0.1"), new BigDecimal("100"), 2, true).orElse(null);
            long ports = in.integer("uplinkPorts", 0, 96, false).orElse(2L);
            long speed = in.integer("portSpeedMbps", 10, 400_000, false).orElse(10_000L);
            in.validate();
            return created(inventory.createRack(caller, roomId, name, (int) uHeight, power, (int) ports, (int) speed, claim));
        }, id -> created(inventory.rack(id)));
    }

    private static ApiResponse created(Rack rack) {
        return ApiResponse.versioned(201, rack, rack.version()).withHeader("Location", "/racks/" + rack.rackId());
    }

    private ApiResponse createPrefix(ApiRequest r) {
        Caller caller = r.requireCaller();
        return idempotency.create(r, caller, claim -> {
            Input in = Input.of(r.jsonBody(), "siteId", "cidr", "description");
            String siteId = in.requiredString("siteId", 64);
            String cidr = in.requiredString("cidr", 20);
            Optional<Ipv4.Block> block = Optional.ofNullable(cidr).flatMap(Ipv4::parse);
            if (cidr != null && block.isEmpty()) {
                in.add("cidr", "cidr", "must be an IPv4 network in CIDR form with length /" + Ipv4.MIN_LENGTH + " to /"
                        + Ipv4.MAX_LENGTH + " and host bits zero, e.g. 203.0.113.0/24");
            }
            String description = in.optionalString("description", 200).orElse(null);
            in.validate();
            IpPrefix p = inventory.createPrefix(caller, siteId, block.get(), description, claim);
            return ApiResponse.versioned(201, p, p.version());
        }, id -> {
            IpPrefix p = inventory.prefix(id);
            return ApiResponse.versioned(201, p, p.version());
        });
    }

    /** A manual allocation for a contract (operations / admin); the racking flow allocates through the same service. */
    private ApiResponse allocate(ApiRequest r) {
        Caller caller = r.requireCaller();
        return idempotency.create(r, caller, claim -> {
            Input in = Input.of(r.jsonBody(), "contractId", "kind", "rackId", "uFrom", "uTo", "mount", "powerKw",
                    "prefixId", "count", "addresses", "port", "bandwidthMbps");
            String contractId = in.requiredString("contractId", 64);
            AllocationKind kind = in.enumValue("kind", AllocationKind.class, true).orElse(null);
            Object request = kind == null ? null : AllocationInput.read(in, kind);
            in.validate();
            AllocationHolder holder = holders.forContract(contractId)
                    .orElseThrow(() -> ApiException.invalid("contractId", "exists", "no such contract"));
            return created(AllocationInput.reserve(allocations, UUID.randomUUID().toString(), request, holder, Actor.of(caller), claim));
        }, id -> created(allocations.get(caller, id)));
    }

    private static ApiResponse created(Allocation a) {
        return ApiResponse.versioned(201, view(a), a.version()).withHeader("Location", "/allocations/" + a.allocationId());
    }

    private ApiResponse transition(ApiRequest r) {
        Caller caller = r.requireCaller();
        Input in = Input.of(r.jsonBody(), "to", "note", "version");
        Optional<Long> header = r.ifMatchVersion();
        Optional<Long> body = in.integer("version", 1, Long.MAX_VALUE, false);
        AllocationStatus to = in.enumValue("to", AllocationStatus.class, true).orElse(null);
        String note = in.optionalString("note", 500).orElse(null);
        if (header.isEmpty() && body.isEmpty() && !in.has("version")) {
            in.add("version", "required", "send the allocation's version (If-Match header or \"version\")");
        }
        in.validate();
        Allocation a = allocations.transition(caller, r.pathParam("id"), to, header.orElseGet(body::get), note);
        return ApiResponse.versioned(200, view(a), a.version());
    }

    public static ObjectNode view(Allocation a) {
        ObjectNode o = com.rackflow.core.json.View.of(a, "allocationId", "kind", "status", "siteId", "rackId", "uFrom", "uTo",
                "mount", "powerKw", "prefixId", "addresses", "port", "bandwidthMbps", "contractId", "contractSerial",
                "customerId", "customerCode", "flowId", "ownerId", "departmentId", "createdAt", "createdBy", "updatedAt",
                "updatedBy", "version");
        o.put("statusLabel", a.status().labelZh());
        o.put("kindLabel", a.kind().labelZh());
        if (a.mount() != null) {
            o.put("mountLabel", a.mount().labelZh());
        }
        return o;
    }

    private static String cursor(ApiRequest r) {
        return r.queryParam("cursor").orElse(null);
    }

    private static String requiredQuery(ApiRequest r, String name) {
        return r.queryParam(name).orElseThrow(() -> ApiException.invalid(name, "required", "query parameter is required"));
    }
}
