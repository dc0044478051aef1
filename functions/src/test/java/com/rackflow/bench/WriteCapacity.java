package com.rackflow.bench;

import com.rackflow.activities.ActivitiesHandler;
import com.rackflow.contracts.Contract;
import com.rackflow.contracts.ContractsHandler;
import com.rackflow.core.http.ApiHandler;
import com.rackflow.core.http.ApiResponse;
import com.rackflow.core.persistence.Table;
import com.rackflow.customers.Customer;
import com.rackflow.customers.CustomersHandler;
import com.rackflow.directory.DirectoryHandler;
import com.rackflow.inventory.ContractHolders;
import com.rackflow.inventory.InventoryHandler;
import com.rackflow.racking.RackingHandler;
import com.rackflow.testing.Deals;
import com.rackflow.testing.RecordingCallbacks;
import com.rackflow.workitems.FlowStarter;
import com.rackflow.servicerecords.ServiceRecordsHandler;
import com.rackflow.testing.CrmFixture;
import com.rackflow.testing.Events;

import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import static com.rackflow.testing.Staff.ADMIN;
import static com.rackflow.testing.Staff.EAST_SALES_1;
import static com.rackflow.testing.Staff.MAINTENANCE;
import static com.rackflow.testing.Staff.OPERATIONS;

/**
 * Write capacity units per write route, now (measured: DynamoDB's ConsumedCapacity of the route's writes: plain writes
 * such as a counter increment where there is one, then one transaction at two units per item and KB) and before the
 * unit of work: the old code wrote the same items one by one at one unit per item and KB, plus its extra writes (the
 * Idempotency-Key's IN_PROGRESS claim, a contract change's link rewrite), so before = plain + transaction / 2 + extra
 * (for a route that already wrote a transaction before, as a reservation did: its own rule). Part of
 * bench/handlers.sh; figures, not assertions.
 */
final class WriteCapacity {
    /**
     * A write route: {@code prepare} builds the n-th request (making, unmeasured, the record it changes); {@code before}
     * the units the old sequence of writes took, from the plain and the transaction units measured now.
     */
    record Route(String name, ApiHandler handler, IntFunction<Events> prepare, Before before, String beforeItems) {
        /** The usual: the transaction's items were plain writes, plus {@code extra} writes that are gone. */
        Route(String name, ApiHandler handler, IntFunction<Events> prepare, int extra, String beforeItems) {
            this(name, handler, prepare, (plain, tx) -> plain + tx / 2 + extra, beforeItems);
        }
    }

    interface Before {
        double units(double plain, double transaction);
    }

    private WriteCapacity() {
    }

    static void print(Table table, int invokes) {
        CrmFixture fx = new CrmFixture(table);
        CustomersHandler customers = new CustomersHandler(table);
        ActivitiesHandler activities = new ActivitiesHandler(table);
        ContractsHandler contracts = new ContractsHandler(table);
        ServiceRecordsHandler records = new ServiceRecordsHandler(table);
        DirectoryHandler directory = new DirectoryHandler(table);
        Customer sample = fx.customer(EAST_SALES_1);
        Customer signed = fx.signedCustomer(EAST_SALES_1);
        long[] version = {sample.version()};
        InventoryHandler inventory = new InventoryHandler(table, ContractHolders.of(table));
        RackingHandler racking = new RackingHandler(table, (arn, name, input) -> FlowStarter.executionArn(arn, name),
                new RecordingCallbacks(), "arn:aws:states:us-east-1:123456789012:stateMachine:rackflow-racking-bench");
        Deals deals = new Deals(table);
        String run = Long.toString(System.nanoTime() % 100_000);
        String siteId = ApiResponses.id(inventory, Events.load("inventory/create-site.json").as(ADMIN).header("Idempotency-Key", null)
                .body(Map.of("code", "BENCH-" + run, "name", "容量机房")), "siteId");
        String roomId = ApiResponses.id(inventory, Events.load("inventory/create-room.json").as(ADMIN).header("Idempotency-Key", null)
                .body(Map.of("siteId", siteId, "name", "M1")), "roomId");
        String rackId = ApiResponses.id(inventory, Events.load("inventory/create-rack.json").as(ADMIN).header("Idempotency-Key", null)
                .body(Map.of("roomId", roomId, "name", "BENCH", "uHeight", 60, "powerCapKw", 80, "uplinkPorts", 4)), "rackId");
        String allocationContract = contract(fx, contracts, signed);
        int[] nextU = {1};
        IntFunction<Events> allocation = n -> Events.load("inventory/create-allocation.json").as(OPERATIONS)
                .header("Idempotency-Key", "bench-al-" + n + "-" + System.nanoTime())
                .body(Map.of("contractId", allocationContract, "kind", "RACK_UNITS", "rackId", rackId, "uFrom", nextU[0], "uTo", nextU[0]++));
        List<Route> routes = List.of(
                new Route("POST /customers", customers, n -> Events.load("customers/create-customer.json").as(EAST_SALES_1)
                        .header("Idempotency-Key", "bench-k-" + n + "-" + System.nanoTime()).body(customerBody(n)), 1,
                        "key IN_PROGRESS, name + phone guards, counter, record, history, key COMPLETED"),
                new Route("PATCH /customers/{id}", customers, n -> Events.load("customers/change-customer.json").as(EAST_SALES_1)
                        .id(sample.customerId()).header("If-Match", "\"" + version[0]++ + "\"").body(Map.of("notes", "n" + n)), 0,
                        "record, history"),
                new Route("POST /customers/{id}/transitions", customers, n -> Events.load("customers/transition-customer.json")
                        .as(EAST_SALES_1).id(fx.customer(EAST_SALES_1).customerId()).body(Map.of("to", "CONTACTED", "version", 1)), 0,
                        "record, history"),
                new Route("DELETE /customers/{id}", customers, n -> Events.load("customers/delete-customer.json").as(EAST_SALES_1)
                        .id(fx.customer(EAST_SALES_1).customerId()).header("If-Match", "\"1\""), 0, "record, history"),
                new Route("POST /customers/{id}/activities", activities, n -> Events.load("activities/log-activity.json")
                        .as(EAST_SALES_1).id(sample.customerId()).header("Idempotency-Key", "bench-a-" + n + "-" + System.nanoTime()), 1,
                        "key IN_PROGRESS, record, history, key COMPLETED"),
                new Route("POST /contracts", contracts, n -> Events.load("contracts/create-contract.json").as(EAST_SALES_1)
                        .header("Idempotency-Key", "bench-c-" + n + "-" + System.nanoTime())
                        .body(CrmFixture.contractBody(signed.customerId())), 1,
                        "key IN_PROGRESS, counter, serial guard, record, link, history, key COMPLETED"),
                new Route("PATCH /contracts/{id}", contracts, n -> Events.load("contracts/change-contract.json").as(EAST_SALES_1)
                        .id(contract(fx, contracts, signed)).header("If-Match", "\"1\""), 1, "record, link (rewritten), history"),
                new Route("POST /contracts/{id}/transitions", contracts, n -> Events.load("contracts/transition-contract.json")
                        .as(EAST_SALES_1).id(contract(fx, contracts, signed)).body(Map.of("to", "ACTIVE", "version", 1)), 0,
                        "record, link, history"),
                new Route("POST /service-records", records, n -> Events.load("service-records/open-service-record.json").as(MAINTENANCE)
                        .header("Idempotency-Key", "bench-s-" + n + "-" + System.nanoTime())
                        .body(Map.of("customerId", signed.customerId(), "type", "FAULT", "priority", "P2", "title", "端口故障",
                                "description", "上联端口频繁断开")), 1,
                        "key IN_PROGRESS, counter, record, link, history, key COMPLETED"),
                new Route("POST /directory/users", directory, n -> Events.load("directory/create-user.json").as(ADMIN)
                        .header("Idempotency-Key", "bench-u-" + n + "-" + System.nanoTime())
                        .body(Map.of("userId", "bench.user" + n + "x" + System.nanoTime() % 1_000_000, "displayName", "基准",
                                "role", "SALES", "departmentId", "east")), 1, "key IN_PROGRESS, record, history, key COMPLETED"),
                new Route("POST /sites", inventory, n -> Events.load("inventory/create-site.json").as(ADMIN)
                        .header("Idempotency-Key", "bench-si-" + n + "-" + System.nanoTime())
                        .body(Map.of("code", "B" + run + "-" + n, "name", "容量机房" + n)), 1,
                        "key IN_PROGRESS, code guard, record, history, key COMPLETED"),
                new Route("POST /racks", inventory, n -> Events.load("inventory/create-rack.json").as(ADMIN)
                        .header("Idempotency-Key", "bench-ra-" + n + "-" + System.nanoTime())
                        .body(Map.of("roomId", roomId, "name", "R" + n, "uHeight", 42, "powerCapKw", 8)), 1,
                        "key IN_PROGRESS, name guard, record, history, key COMPLETED"),
                new Route("POST /allocations", inventory, allocation, (plain, tx) -> plain + tx,
                        "key IN_PROGRESS, transaction (record, history, 2 unit guards), key COMPLETED"),
                new Route("POST /allocations/{id}/transitions", inventory, n -> Events.load("inventory/transition-allocation.json")
                        .as(OPERATIONS).id(ApiResponses.id(inventory, allocation.apply(n), "allocationId"))
                        .body(Map.of("to", "OCCUPIED", "version", 1)), 0, "record, history, then each unit guard marked"),
                new Route("POST /racking-flows", racking, n -> Events.load("racking/start-racking-flow.json").as(EAST_SALES_1)
                        .header("Idempotency-Key", "bench-rf-" + n + "-" + System.nanoTime())
                        .body(Map.of("contractSerial", deals.activeContract(EAST_SALES_1).serial())), 1,
                        "key IN_PROGRESS, counter, open-flow guard, record, history, key COMPLETED, execution ARN"));

        System.out.println();
        System.out.printf("%-34s %11s %9s %16s  %s%n", "write route", "WCU before", "WCU now", "now with indexes",
                "before: the separate writes");
        for (Route r : routes) {
            double own = 0;
            double all = 0;
            double inTransactions = 0;
            int ok = 0;
            for (int i = 0; i < invokes; i++) {
                Events e = r.prepare().apply(i);
                Table.takeWriteCapacity();
                ApiResponse response = r.handler().handle(e.json());
                double[] units = Table.takeWriteCapacity();
                own += units[0];
                all += units[1];
                inTransactions += units[2];
                if (response.status() < 300) {
                    ok++;
                }
            }
            double now = own / invokes;
            double tx = inTransactions / invokes;
            double before = r.before().units(now - tx, tx);
            System.out.printf("%-34s %11.2f %9.2f %16.2f  %s%s%n", r.name(), before, now, all / invokes,
                    r.beforeItems(), ok == invokes ? "" : " (" + (invokes - ok) + " not 2xx)");
        }
        System.out.println("(WCU: the table's write units, DynamoDB's ConsumedCapacity over " + invokes + " invokes: a counter "
                + "increment (1) where there is one, then one transaction (2 per item and KB); with indexes: plus the GSI "
                + "writes of records and history entries, the same items before and after, so twice as many units now too; "
                + "the creates send an Idempotency-Key)");
    }

    /** A record made for a route's request, unmeasured. */
    private static final class ApiResponses {
        static String id(ApiHandler handler, Events e, String field) {
            ApiResponse r = handler.handle(e.json());
            if (r.status() >= 300) {
                throw new IllegalStateException(r.status() + " " + r.body());
            }
            try {
                return com.rackflow.core.json.Json.read(r.body()).path(field).asText();
            } catch (java.io.IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
        }
    }

    private static Map<String, Object> customerBody(int n) {
        long k = CrmFixture.next();
        return Map.of("companyName", "容量客户" + k + "-" + n + "有限公司",
                "contacts", List.of(Map.of("name", "联系人", "phone", String.format("133%08d", k % 100_000_000))));
    }

    private static String contract(CrmFixture fx, ContractsHandler contracts, Customer signed) {
        Contract c = fx.contract(contracts, EAST_SALES_1, signed.customerId());
        return c.contractId();
    }
}
