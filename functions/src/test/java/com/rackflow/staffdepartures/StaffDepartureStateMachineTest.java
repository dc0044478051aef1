package com.rackflow.staffdepartures;

import com.fasterxml.jackson.databind.JsonNode;
import com.rackflow.core.json.Json;
import com.rackflow.testing.LocalTable;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The staff departure state machine as template.yaml declares it: STANDARD, substitutions for every placeholder,
 * invoke rights for exactly its task function, logging and tracing; every task retried on passing errors and caught
 * into RecordFailure; the batch loop MoveBatch → MoreToMove → Finish → Completed, back to MoveBatch until completed.
 */
class StaffDepartureStateMachineTest {

    @Test
    void declaredCompletelyWithABoundedBatchLoop() throws Exception {
        JsonNode props = LocalTable.template().path("Resources").path("StaffDepartureStateMachine").path("Properties");
        assertThat(props.path("Type").asText()).isEqualTo("STANDARD");
        assertThat(props.path("DefinitionUri").asText()).isEqualTo("statemachines/staff-departure.asl.json");
        JsonNode asl = Json.read(Files.readString(LocalTable.repositoryRoot().resolve(props.path("DefinitionUri").asText())));
        Matcher m = Pattern.compile("\\$\\{(\\w+)}").matcher(asl.toString());
        while (m.find()) {
            assertThat(props.path("DefinitionSubstitutions").path(m.group(1)).path("Ref").asText()).as(m.group(1))
                    .isEqualTo("StaffDepartureTasksFunction.Alias");
        }
        assertThat(props.path("Policies").toString()).contains("LambdaInvokePolicy").contains("StaffDepartureTasksFunction")
                .doesNotContain("DynamoDB").doesNotContain("RackingTasksFunction");
        assertThat(props.path("Logging").path("Level").asText()).isEqualTo("ALL");
        assertThat(props.path("Tracing").path("Enabled").asBoolean()).isTrue();
        JsonNode api = LocalTable.template().path("Resources").path("StaffDeparturesFunction").path("Properties");
        assertThat(api.path("Environment").path("Variables").path("STAFF_DEPARTURE_STATE_MACHINE_ARN").path("Ref").asText())
                .isEqualTo("StaffDepartureStateMachine");
        assertThat(api.path("Policies").toString()).contains("StepFunctionsExecutionPolicy");

        JsonNode states = asl.path("States");
        states.fields().forEachRemaining(e -> {
            JsonNode s = e.getValue();
            if (s.path("Type").asText().equals("Task")) {
                assertThat(s.path("Retry").toString()).as(e.getKey() + " Retry")
                        .contains(e.getKey().equals("RecordFailure") ? "States.ALL" : "com.rackflow.workitems.RetryableStepException");
                if (!e.getKey().equals("RecordFailure")) {
                    assertThat(s.path("Catch").toString()).as(e.getKey() + " Catch").contains("RecordFailure");
                }
            }
        });
        assertThat(states.path("MoreToMove").path("Choices").path(0).path("Next").asText()).isEqualTo("MoveBatch");
        assertThat(states.path("MoreToMove").path("Default").asText()).isEqualTo("Finish");
        assertThat(states.path("Completed").path("Default").asText()).isEqualTo("MoveBatch");

        // one batch of records per MoveBatch: a salesperson with n records costs about 2 * n / 100 transitions
        List<String> path = new ArrayList<>();
        for (String name = asl.path("StartAt").asText(); !name.equals("Done"); ) {
            path.add(name);
            JsonNode s = states.path(name);
            name = s.path("Type").asText().equals("Choice") ? s.path("Default").asText().equals("Finish") ? "Finish"
                    : s.path("Choices").path(0).path("Next").asText() : s.path("Next").asText();
        }
        assertThat(path).containsExactly("MoveBatch", "MoreToMove", "Finish", "Completed");
    }
}
