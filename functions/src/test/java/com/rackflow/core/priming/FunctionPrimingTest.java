package com.rackflow.core.priming;

import com.rackflow.core.persistence.Table;
import com.rackflow.local.dynamodb.DynamoFront;
import com.rackflow.testing.LocalTable;
import com.rackflow.testing.Staff;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every API function's SnapStart priming, run as Lambda runs it (its own JVM configured through the environment, the
 * no-arg constructors, the registered steps): every step completes (each priming read reached its route: no unknown
 * route, no refused query parameter, no server error, see {@link Priming#requireServed}), and the table holds exactly
 * the items it held before: the reads, the answers and the writes bound to fail leave nothing behind.
 */
class FunctionPrimingTest {
    static final List<String> FUNCTIONS = List.of("customers.CustomersHandler", "activities.ActivitiesHandler",
            "contracts.ContractsHandler", "servicerecords.ServiceRecordsHandler", "pickers.PickersHandler",
            "directory.DirectoryHandler", "inventory.InventoryHandler", "workitems.WorkItemsHandler", "racking.RackingHandler",
            "terminations.TerminationsHandler", "reports.ReportsHandler", "staffdepartures.StaffDeparturesHandler",
            "customerimports.CustomerImportsHandler", "customerexports.CustomerExportsHandler");

    @Test
    void everyFunctionsPrimingRunsEachStepAndLeavesTheTableAsItWas() throws Exception {
        Table table = LocalTable.create();
        Staff.seed(table);
        Set<Map<String, AttributeValue>> before = items(table);

        List<String> cmd = new java.util.ArrayList<>(List.of(System.getProperty("java.home") + "/bin/java",
                "-Drackflow.priming.rounds=2", "-Drackflow.priming.ioRounds=2",
                "-cp", System.getProperty("java.class.path"), FunctionPriming.class.getName()));
        FUNCTIONS.forEach(f -> cmd.add("com.rackflow." + f));
        ProcessBuilder child = new ProcessBuilder(cmd).redirectErrorStream(true);
        child.environment().putAll(Map.of("TABLE_NAME", table.name(),
                "AWS_ENDPOINT_URL_DYNAMODB", DynamoFront.shared().endpoint().toString(), "AWS_REGION", "us-east-1",
                "AWS_ACCESS_KEY_ID", "local", "AWS_SECRET_ACCESS_KEY", "local",
                "CURSOR_KEY", "priming-test-cursor-key-0123456789abcdef0123456789",
                "REPORT_JOB_FUNCTION", "arn:aws:lambda:us-east-1:123456789012:function:rackflow-report-job:live"));
        Process p = child.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = p.waitFor();

        assertThat(exit).as(out).isZero();
        for (String f : FUNCTIONS) {
            assertThat(out).as(out).contains("PRIMED com.rackflow." + f + " [api-read, records, in-memory");
        }
        assertThat(out).contains("write-bound-to-fail").contains("create-bound-to-fail").contains("history-read");
        // the writes were refused by their conditions, as intended (a condition that held would be logged)
        assertThat(out).doesNotContain("condition on a missing item held");
        assertThat(items(table)).as("the table after priming").isEqualTo(before);
    }

    private static Set<Map<String, AttributeValue>> items(Table table) {
        Set<Map<String, AttributeValue>> all = new HashSet<>();
        table.client().scanPaginator(s -> s.tableName(table.name())).items().forEach(all::add);
        return all;
    }
}
