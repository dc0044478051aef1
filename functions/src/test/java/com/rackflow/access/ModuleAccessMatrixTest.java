package com.rackflow.access;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Which role may open which module: the table of REQUIREMENTS.md ("Roles and scopes"), written out in full. */
class ModuleAccessMatrixTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "SALES            | CUSTOMERS ACTIVITIES CONTRACTS PICKERS SERVICE_RECORDS RACKING WORK_ITEMS",
            "REGIONAL_MANAGER | CUSTOMERS ACTIVITIES CONTRACTS PICKERS SERVICE_RECORDS RACKING TERMINATIONS WORK_ITEMS REPORTS DIRECTORY STAFF_DEPARTURES",
            "MAINTENANCE      | PICKERS SERVICE_RECORDS WORK_ITEMS",
            "OPERATIONS       | PICKERS RACKING WORK_ITEMS INVENTORY",
            "ADMIN            | CUSTOMERS ACTIVITIES CONTRACTS PICKERS SERVICE_RECORDS RACKING TERMINATIONS WORK_ITEMS INVENTORY REPORTS DIRECTORY STAFF_DEPARTURES"})
    void roleOpensExactlyItsModules(Role role, String modules) {
        Set<Module> expected = Arrays.stream(modules.trim().split("\\s+")).map(Module::valueOf)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(Module.class)));
        for (Module m : Module.values()) {
            assertThat(AccessPolicy.mayOpen(role, m)).as("%s → %s", role, m).isEqualTo(expected.contains(m));
        }
    }

    @ParameterizedTest
    @CsvSource({"/customers,CUSTOMERS", "/customers/abc/history,CUSTOMERS", "/racks/r1/elevation,INVENTORY",
            "/ip-prefixes,INVENTORY", "/pickers/signed-customers,PICKERS", "/work-items/1/complete,WORK_ITEMS"})
    void pathsBelongToModules(String path, Module module) {
        assertThat(Module.ofPath(path)).contains(module);
    }
}
