package com.rackflow.local.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.rackflow.local.stepfunctions.asl.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.SfnException;

/** Every case of the conformance corpus, through the SDK: the engine must do what AWS did. */
class ConformanceCorpusTest extends SfnTestSupport {

    static Stream<ConformanceCorpus.Case> cases() {
        return ConformanceCorpus.all().stream();
    }

    @Test
    void theCorpusIsLargeAndEveryCaseNamesItsSource() {
        List<ConformanceCorpus.Case> all = ConformanceCorpus.all();
        assertThat(all).hasSizeGreaterThanOrEqualTo(150);
        assertThat(all).allSatisfy(c -> assertThat(c.source()).isNotBlank());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @Execution(ExecutionMode.CONCURRENT)
    void behavesAsAws(ConformanceCorpus.Case c) {
        try {
            run(c);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(c + " (" + c.source() + "): " + e.getMessage(), e);
        }
    }

    private static void run(ConformanceCorpus.Case c) {
        String name = "conf-" + UUID.randomUUID().toString().substring(0, 8);
        if (c.expectsInvalidDefinition()) {
            assertThatThrownBy(() -> sfn.createStateMachine(b -> b.name(name).definition(c.definitionText())
                    .roleArn(ROLE).type(c.type()))).isInstanceOfSatisfying(SfnException.class, e -> {
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo(c.expect().get("createError").asText());
                        if (c.expect().has("message")) {
                            assertThat(ConformanceCorpus.textMatches(c.expect().get("message").asText(),
                                    e.awsErrorDetails().errorMessage())).as("message %s",
                                    e.awsErrorDetails().errorMessage()).isTrue();
                        }
                    });
            return;
        }
        String machine = sfn.createStateMachine(b -> b.name(name).definition(c.definitionText()).roleArn(ROLE)
                .type(c.type())).stateMachineArn();
        String exec = sfn.startExecution(b -> b.stateMachineArn(machine).input(c.inputText())).executionArn();
        DescribeExecutionResponse d = await(exec);
        List<HistoryEvent> history = history(exec);
        check(c, d.statusAsString(), d.output(), d.error(), d.cause(), history.stream().map(e -> e.typeAsString())
                .toList());
    }

    /** Compares one run with the case; shared with the CLI test. */
    static void check(ConformanceCorpus.Case c, String status, String output, String error, String cause,
                      List<String> eventTypes) {
        JsonNode expect = c.expect();
        assertThat(status).as("status (error %s, cause %s, output %s)", error, cause, output)
                .isEqualTo(expect.get("status").asText());
        if ("SUCCEEDED".equals(status)) {
            assertThat(ConformanceCorpus.difference("output", expect.get("output"), Json.parse(output))).isNull();
        } else {
            assertThat(error).isEqualTo(expect.path("error").asText(null));
            assertThat(ConformanceCorpus.difference("cause", expect.get("cause"), cause == null ? null
                    : Json.NODES.textNode(cause))).isNull();
        }
        if (c.eventsOrdered()) {
            assertThat(eventTypes).as("history event types").containsExactlyElementsOf(c.events());
        } else {
            // branches and iterations run concurrently: AWS's interleaving is not fixed, the events are
            assertThat(eventTypes).as("history event types").containsExactlyInAnyOrderElementsOf(c.events());
            assertThat(eventTypes.get(eventTypes.size() - 1)).isEqualTo(c.events().get(c.events().size() - 1));
        }
    }

    static List<String> types(List<HistoryEvent> events) {
        List<String> out = new ArrayList<>();
        events.forEach(e -> out.add(e.typeAsString()));
        return out;
    }
}
