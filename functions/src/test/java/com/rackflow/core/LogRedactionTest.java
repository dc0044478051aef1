package com.rackflow.core;

import com.rackflow.access.AuthorizerHandler;
import com.rackflow.core.persistence.Table;
import com.rackflow.customers.CustomersHandler;
import com.rackflow.testing.Events;
import com.rackflow.testing.LocalTable;
import com.rackflow.testing.Staff;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every log line is JSON with request id, user id and route; no phone number, e-mail or token reaches the logs. */
class LogRedactionTest {

    @Test
    void requestLogsCarryContextButNoPersonalDataOrTokens() {
        Table table = LocalTable.create();
        Staff.seed(table);
        CustomersHandler handler = new CustomersHandler(table);
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            handler.handle(Events.load("customers/create-customer.json").as(Staff.EAST_SALES_1)
                    .header("Authorization", "Bearer eyJhbGciOiJSUzI1NiJ9.secret-token.sig").json());
            handler.handle(Events.load("customers/create-customer.json").as(Staff.EAST_SALES_1)
                    .body(Map.of("companyName", "x", "contacts", "not-a-list")).json());
            try {
                new AuthorizerHandler(null, null).authorize(Events.load("authorizer/token.json").json());
            } catch (RuntimeException expected) {
                // refused: no verifier; only its log line matters here
            }
        } finally {
            System.setOut(original);
        }
        String logs = captured.toString(StandardCharsets.UTF_8);
        assertThat(logs.lines()).isNotEmpty().allSatisfy(line -> {
            assertThat(line).startsWith("{").endsWith("}");
        });
        assertThat(logs.lines().filter(l -> l.contains("request served")))
                .allSatisfy(l -> assertThat(l).contains("\"requestId\"", "\"userId\":\"east.sales1\"", "\"route\":\"POST /customers\""));
        assertThat(logs).doesNotContain("13800138000").doesNotContain("wang.lei@example.cn")
                .doesNotContain("secret-token").doesNotContain("上海云立方");
    }
}
