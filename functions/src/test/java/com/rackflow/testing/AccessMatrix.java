package com.rackflow.testing;

import com.rackflow.access.Caller;
import org.junit.jupiter.params.provider.Arguments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static com.rackflow.testing.Staff.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The role × operation × (own / same department / other department) matrix. Every record under test belongs to
 * east.sales1 (department east); each row lists the expected answer for the callers below, in this order. An
 * expected {@code 200+} is a 200 whose list contains the record, {@code 200-} a 200 whose list does not.
 */
public final class AccessMatrix {
    public static final List<Caller> CALLERS = List.of(EAST_SALES_1, EAST_SALES_2, EAST_MANAGER, SOUTH_SALES_1, SOUTH_MANAGER,
            MAINTENANCE, OPERATIONS, ADMIN);
    public static final List<String> RELATIONS = List.of("sales/own", "sales/same-department", "manager/same-department",
            "sales/other-department", "manager/other-department", "maintenance", "operations", "admin");

    private final Map<String, String> rows = new LinkedHashMap<>();

    public AccessMatrix row(String operation, String expected) {
        if (expected.trim().split("\\s+").length != CALLERS.size()) {
            throw new IllegalArgumentException(operation + ": one expectation per caller");
        }
        rows.put(operation, expected);
        return this;
    }

    /** (operation, relation, caller, expected) for every cell. */
    public Stream<Arguments> cells() {
        List<Arguments> out = new ArrayList<>();
        rows.forEach((op, expected) -> {
            String[] e = expected.trim().split("\\s+");
            for (int i = 0; i < CALLERS.size(); i++) {
                out.add(Arguments.of(op, RELATIONS.get(i), CALLERS.get(i), e[i]));
            }
        });
        return out.stream();
    }

    /** Asserts one cell: the status, and for lists whether the record is in it. */
    public static void assertCell(Reply r, String expected, String recordId) {
        boolean list = expected.endsWith("+") || expected.endsWith("-");
        int status = Integer.parseInt(list ? expected.substring(0, expected.length() - 1) : expected);
        assertThat(r.status()).as(r.body().toString()).isEqualTo(status);
        if (list) {
            boolean contains = r.body().path("items").toString().contains(recordId);
            assertThat(contains).as("list contains " + recordId + ": " + r.body()).isEqualTo(expected.endsWith("+"));
        }
    }
}
