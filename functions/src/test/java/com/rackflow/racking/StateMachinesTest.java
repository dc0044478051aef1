package com.rackflow.racking;

import com.fasterxml.jackson.databind.JsonNode;
import com.rackflow.core.json.Json;
import com.rackflow.testing.LocalTable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The racking and termination state machines as template.yaml declares them: substitutions for every placeholder,
 * invoke rights for exactly the task function, logging and tracing, callback stages with deadlines, Retry and Catch on
 * every task, and the happy path's state transitions (Standard workflows bill per transition).
 */
class StateMachinesTest {

    @ParameterizedTest
    @CsvSource({"RackingStateMachine,RackingTasksFunction,5", "TerminationStateMachine,TerminationTasksFunction,3"})
    void declaredCompletelyAndCheapOnTheHappyPath(String machine, String taskFunction, int transitions) throws Exception {
        JsonNode props = LocalTable.template().path("Resources").path(machine).path("Properties");
        assertThat(props.path("Type").asText()).isEqualTo("STANDARD");
        JsonNode asl = Json.read(Files.readString(LocalTable.repositoryRoot().resolve(props.path("DefinitionUri").asText())));
        String text = asl.toString();
        Matcher m = Pattern.compile("\\$\\{(\\w+)}").matcher(text);
        while (m.find()) {
            JsonNode sub = props.path("DefinitionSubstitutions").path(m.group(1));
            assertThat(sub.path("Ref").asText()).as(m.group(1)).isEqualTo(taskFunction + ".Alias");
        }
        assertThat(props.path("Policies").toString()).contains("LambdaInvokePolicy").contains(taskFunction)
                .doesNotContain("DynamoDB");
        assertThat(props.path("Logging").path("Level").asText()).isEqualTo("ALL");
        assertThat(props.path("Tracing").path("Enabled").asBoolean()).isTrue();

        JsonNode states = asl.path("States");
        states.fields().forEachRemaining(e -> {
            JsonNode s = e.getValue();
            if (s.path("Type").asText().equals("Task")) {
                assertThat(s.has("Retry")).as(e.getKey() + " Retry").isTrue();
                if (e.getKey().startsWith("Escalate")) {
                    // escalation is best effort: its failure is recorded and the stage keeps waiting, never Compensate
                    String stage = s.path("Next").asText();
                    assertThat(s.path("Catch").toString()).as(e.getKey() + " Catch").doesNotContain("Compensate");
                    JsonNode failed = states.path(e.getKey().endsWith("Failed") ? e.getKey() : s.path("Catch").path(0).path("Next").asText());
                    assertThat(failed.path("Parameters").path("Payload").path("action").asText()).isEqualTo("escalationFailed");
                    assertThat(failed.path("Next").asText()).isEqualTo(stage);
                    assertThat(failed.path("Catch").path(0).path("Next").asText()).isEqualTo(stage);
                } else if (!e.getKey().equals("Compensate")) {
                    assertThat(s.path("Catch").toString()).as(e.getKey() + " Catch").contains("Compensate");
                }
                if (s.path("Resource").asText().endsWith(".waitForTaskToken")) {
                    assertThat(s.path("TimeoutSecondsPath").asText()).startsWith("$.deadlines.");
                    assertThat(s.path("Catch").path(0).path("ErrorEquals").toString()).contains("States.Timeout");
                }
            }
        });
        // a business rejection is an outcome (Succeed with the outcome as output); only a failure ends in Fail
        assertThat(states.path("Compensate").path("Parameters").path("Payload").path("error.$").asText()).isEqualTo("$.error");
        JsonNode outcome = states.path(states.path("Compensate").path("Next").asText());
        assertThat(outcome.path("Type").asText()).isEqualTo("Choice");
        assertThat(outcome.path("Choices").path(0).path("StringEquals").asText()).isEqualTo("REJECTED");
        assertThat(states.path(outcome.path("Choices").path(0).path("Next").asText()).path("Type").asText()).isEqualTo("Succeed");
        assertThat(states.path(outcome.path("Default").asText()).path("Type").asText()).isEqualTo("Fail");
        List<String> happy = new ArrayList<>();
        for (String name = asl.path("StartAt").asText(); name != null; ) {
            happy.add(name);
            JsonNode s = states.path(name);
            name = s.path("End").asBoolean(false) ? null : s.path("Next").asText(null);
        }
        System.out.println(machine + " happy path: " + happy.size() + " state transitions " + happy);
        assertThat(happy).hasSize(transitions);
    }
}
