package com.rackflow.racking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.access.Caller;
import com.rackflow.core.http.Input;
import com.rackflow.core.json.Json;
import com.rackflow.core.persistence.Table;
import com.rackflow.core.persistence.UnitOfWork;
import com.rackflow.inventory.Allocation;
import com.rackflow.inventory.AllocationHolder;
import com.rackflow.inventory.AllocationKind;
import com.rackflow.inventory.AllocationInput;
import com.rackflow.inventory.AllocationService;
import com.rackflow.inventory.AllocationStatus;
import com.rackflow.workitems.FlowStore;
import com.rackflow.workitems.Stage;
import com.rackflow.workitems.StageCompletion;
import com.rackflow.workitems.WorkItem;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The racking stages' forms: resource allocation (U range, IPs, uplink port — checked against the inventory and
 * the contract's items, reserved all or nothing) and physical racking (device serials at allocated U positions).
 * Review and acceptance take only decision / reason / note.
 */
public final class RackingStages {
    private static final Pattern SERIAL = Pattern.compile("[A-Za-z0-9._/-]{1,64}");

    private final FlowStore<RackingFlow> store;
    private final AllocationService allocations;

    private RackingStages(Table table) {
        this.store = RackingService.flows(table);
        this.allocations = new AllocationService(table);
    }

    public static Map<Stage, StageCompletion> completions(Table table) {
        RackingStages stages = new RackingStages(table);
        return Map.of(Stage.RESOURCE_ALLOCATION, stages.new Allocate(), Stage.PHYSICAL_RACKING, stages.new Rack());
    }

    /** Resource allocation: what to reserve; the reservation is made when the work item is completed. */
    final class Allocate implements StageCompletion {
        @Override
        public Set<String> fields() {
            return Set.of("rackId", "uFrom", "uTo", "mount", "powerKw", "prefixId", "ipCount", "addresses", "port", "bandwidthMbps");
        }

        @Override
        public Function<UnitOfWork, JsonNode> read(WorkItem item, String attempt, Input in, Caller caller) {
            RackingFlow f = store.require(item.flowId());
            ContractItems c = f.items();
            var units = (AllocationService.UnitRequest) AllocationInput.read(in, AllocationKind.RACK_UNITS);
            if (units.uTo() - units.uFrom() + 1 > c.uCount()) {
                in.add("uTo", "contract", "the contract covers " + c.uCount() + " U; the range has " + (units.uTo() - units.uFrom() + 1));
            }
            if (c.powerKw() != null && units.powerKw().compareTo(c.powerKw()) > 0) {
                in.add("powerKw", "contract", "the contract covers " + c.powerKw() + " kW");
            }
            AllocationService.AddressRequest ips = null;
            long ipCount = in.integer("ipCount", 0, 256, false).orElse(0L);
            List<String> addresses = in.strings("addresses", 256, Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}"), "address",
                    "must be an IPv4 address").orElse(List.of());
            long wanted = addresses.isEmpty() ? ipCount : addresses.size();
            if (wanted > c.ipCount()) {
                in.add(addresses.isEmpty() ? "ipCount" : "addresses", "contract", "the contract covers " + c.ipCount() + " IP addresses");
            }
            if (wanted > 0) {
                String prefixId = in.requiredString("prefixId", 64);
                ips = new AllocationService.AddressRequest(prefixId, (int) wanted, addresses);
            }
            AllocationService.PortRequest port = null;
            long bw = in.integer("bandwidthMbps", 1, 400_000, false).orElse(0L);
            if (bw > c.bandwidthMbps()) {
                in.add("bandwidthMbps", "contract", "the contract covers " + c.bandwidthMbps() + " Mbps");
            }
            if (bw > 0) {
                Integer p = in.integer("port", 1, 96, false).map(Long::intValue).orElse(null);
                port = new AllocationService.PortRequest(units.rackId(), p, (int) bw);
            }
            AllocationService.AddressRequest ipRequest = ips;
            AllocationService.PortRequest portRequest = port;
            return uow -> reserve(uow, f, attempt, units, ipRequest, portRequest);
        }

        /**
         * The reservations, in the completion's unit of work: ids made from the attempt, so a retried completion of the
         * same decision recognises its own guards; the flow records which allocations are its.
         */
        private JsonNode reserve(UnitOfWork uow, RackingFlow f, String attempt, AllocationService.UnitRequest units,
                                 AllocationService.AddressRequest ips, AllocationService.PortRequest port) {
            AllocationHolder holder = new AllocationHolder(f.contractId(), f.contractSerial(), f.customerId(), f.customerCode(),
                    f.ownerId(), f.departmentId(), f.flowId());
            List<Allocation> made = new ArrayList<>();
            made.add(allocations.reserveUnits(uow, attempt + "-units", units, holder));
            if (ips != null) {
                made.add(allocations.reserveAddresses(uow, attempt + "-ips", ips, holder));
            }
            if (port != null) {
                made.add(allocations.reservePort(uow, attempt + "-port", port, holder));
            }
            List<String> idList = made.stream().map(Allocation::allocationId).toList();
            uow.change(store.records(), f, f.withAllocations(idList, Instant.now().toString()), "RESOURCES_ALLOCATED", null);
            ObjectNode out = Json.object();
            ArrayNode list = out.putArray("allocationIds");
            idList.forEach(list::add);
            return out;
        }
    }

    /** Physical racking: the technician lists the racked devices with serial numbers and U positions. */
    final class Rack implements StageCompletion {
        @Override
        public Set<String> fields() {
            return Set.of("devices");
        }

        @Override
        public Function<UnitOfWork, JsonNode> read(WorkItem item, String attempt, Input in, Caller caller) {
            RackingFlow f = store.require(item.flowId());
            List<Allocation> units = allocations.ofContract(f.contractId()).stream()
                    .filter(a -> f.flowId().equals(a.flowId()) && a.kind() == AllocationKind.RACK_UNITS && a.status() != AllocationStatus.RELEASED)
                    .toList();
            List<Device> devices = in.objects("devices", 1, 50, Set.of("model", "serial", "u", "uHeight"), d -> {
                String model = d.requiredString("model", 100);
                String serial = d.formatted("serial", SERIAL, "format", "1-64 letters, digits or . _ / -", true).orElse(null);
                Integer u = d.integer("u", 1, 60, true).map(Long::intValue).orElse(null);
                Integer h = d.integer("uHeight", 1, 10, false).map(Long::intValue).orElse(1);
                if (u != null && units.stream().noneMatch(a -> u >= a.uFrom() && u + h - 1 <= a.uTo())) {
                    d.add("u", "allocated", "must lie within the U range allocated to this flow");
                }
                return new Device(model, serial, h, u);
            }).orElse(List.of());
            Set<String> serials = new HashSet<>();
            for (int i = 0; i < devices.size(); i++) {
                if (devices.get(i).serial() != null && !serials.add(devices.get(i).serial())) {
                    in.add("devices[" + i + "].serial", "unique", "each device serial is listed once");
                }
            }
            return uow -> {
                uow.change(store.records(), f, f.withRacked(devices, Instant.now().toString()), "DEVICES_RACKED", null);
                ObjectNode out = Json.object();
                out.put("devices", devices.size());
                return out;
            };
        }
    }
}
