package com.rackflow.customers;

import com.rackflow.access.Caller;
import com.rackflow.access.Role;
import com.rackflow.core.persistence.Table;
import com.rackflow.testing.Events;
import com.rackflow.testing.LocalTable;
import com.rackflow.testing.Reply;
import com.rackflow.testing.Staff;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static com.rackflow.testing.Staff.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Role × operation × (own / same department / other department) for the customer module: every cell has an
 * expected status. Out-of-scope records answer 404 like missing ones; roles without the module get 403.
 */
class CustomerAccessMatrixTest {
    enum Relation { OWN, SAME_DEPARTMENT, OTHER_DEPARTMENT }

    enum Operation { GET, CHANGE, TRANSITION, DELETE, HISTORY, RESTORE, LISTED }

    static Table table;
    static CustomersHandler handler;
    static CustomerService service;
    static int n;

    @BeforeAll
    static void setUp() {
        table = LocalTable.create();
        Staff.seed(table);
        handler = new CustomersHandler(table);
        service = new CustomerService(table);
    }

    /** Who owns the record of each relation, seen from each caller. */
    static String owner(Caller caller, Relation rel) {
        return switch (caller.role()) {
            case SALES -> rel == Relation.OWN ? "east.sales1" : rel == Relation.SAME_DEPARTMENT ? "east.sales2" : "south.sales1";
            case REGIONAL_MANAGER -> rel == Relation.OWN ? "east.manager" : rel == Relation.SAME_DEPARTMENT ? "east.sales1" : "south.sales1";
            default -> rel == Relation.OWN ? "east.sales1" : rel == Relation.SAME_DEPARTMENT ? "east.sales2" : "south.sales1";
        };
    }

    static int expected(Caller caller, Relation rel, Operation op) {
        boolean inScope = switch (caller.role()) {
            case SALES -> rel == Relation.OWN;
            case REGIONAL_MANAGER -> rel != Relation.OTHER_DEPARTMENT;
            case ADMIN -> true;
            case MAINTENANCE, OPERATIONS -> false;
        };
        if (caller.is(Role.MAINTENANCE) || caller.is(Role.OPERATIONS)) {
            return 403;
        }
        if (op == Operation.LISTED) {
            return inScope ? 1 : 0;
        }
        if (!inScope) {
            return 404;
        }
        if (op == Operation.RESTORE) {
            return caller.is(Role.SALES) ? 403 : 200;
        }
        return op == Operation.DELETE ? 204 : 200;
    }

    static Stream<Arguments> cells() {
        List<Arguments> out = new ArrayList<>();
        for (Caller c : List.of(EAST_SALES_1, EAST_MANAGER, ADMIN, MAINTENANCE, OPERATIONS)) {
            for (Relation r : Relation.values()) {
                for (Operation op : Operation.values()) {
                    out.add(Arguments.of(c.role(), r, op, c));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {2} {1}")
    @MethodSource("cells")
    void cell(Role role, Relation rel, Operation op, Caller caller) {
        String ownerId = owner(caller, rel);
        Caller creator = new Caller(ownerId, ownerId.endsWith("manager") ? Role.REGIONAL_MANAGER : Role.SALES,
                ownerId.startsWith("east") ? "east" : "south");
        String name = "矩阵测试" + (++n) + "-" + System.nanoTime();
        Customer c = service.create(creator, new CustomerDetails(name, null,
                List.of(new Contact("联系人", null, null, "m" + System.nanoTime() + "@example.cn", true)), "east",
                CustomerSource.OTHER, null), Optional.empty());
        if (op == Operation.RESTORE) {
            c = service.delete(creator, c.customerId(), c.version());
        }
        String id = c.customerId();
        long v = c.version();
        int expected = expected(caller, rel, op);
        int actual = switch (op) {
            case GET -> call("customers/get-customer.json", caller, id, null, null);
            case CHANGE -> call("customers/change-customer.json", caller, id, Map.of("notes", "matrix"), v);
            case TRANSITION -> call("customers/transition-customer.json", caller, id, Map.of("to", "CONTACTED", "version", v), null);
            case DELETE -> call("customers/delete-customer.json", caller, id, null, v);
            case HISTORY -> call("customers/customer-history.json", caller, id, null, null);
            case RESTORE -> call("customers/restore-customer.json", caller, id, null, null);
            case LISTED -> listed(caller, name, id);
        };
        assertThat(actual).as("%s %s %s", caller.userId(), op, rel).isEqualTo(expected);
    }

    private static int call(String event, Caller caller, String id, Object body, Long ifMatch) {
        Events e = Events.load(event).as(caller).id(id).header("If-Match", ifMatch == null ? null : "\"" + ifMatch + "\"");
        if (body != null) {
            e.body(body);
        }
        return Reply.of(handler, e).status();
    }

    /** 1 when the record shows in the caller's list, 0 when not; 403 when the module is closed. */
    private static int listed(Caller caller, String name, String id) {
        Reply r = Reply.of(handler, Events.load("customers/list-customers.json").as(caller).clearQuery().query("q", name));
        if (r.status() != 200) {
            return r.status();
        }
        return r.body().path("items").toString().contains(id) ? 1 : 0;
    }
}
