package com.rackflow.local.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rackflow.local.stepfunctions.asl.DefinitionValidator;
import com.rackflow.local.stepfunctions.asl.DefinitionValidator.Code;
import com.rackflow.local.stepfunctions.asl.DefinitionValidator.Diagnostic;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.sfn.model.InvalidDefinitionException;

/** Definition validation: the corpus's valid definitions are accepted, the invalid ones refused with the right code. */
class DefinitionValidationTest extends SfnTestSupport {

    private static final Map<String, Code> EXPECTED = Map.ofEntries(
            Map.entry("invalid-choice-unknown-operator.asl.json", Code.SCHEMA_VALIDATION_FAILED),
            Map.entry("invalid-choice-without-choices.asl.json", Code.SCHEMA_VALIDATION_FAILED),
            Map.entry("invalid-duplicate-state-name-in-map.asl.json", Code.DUPLICATE_STATE_NAME),
            Map.entry("invalid-fail-error-and-error-path.asl.json", Code.SCHEMA_VALIDATION_FAILED),
            Map.entry("invalid-jsonpath-field-in-jsonata-state.asl.json", Code.SCHEMA_VALIDATION_FAILED),
            Map.entry("invalid-map-without-processor.asl.json", Code.SCHEMA_VALIDATION_FAILED),
            Map.entry("invalid-missing-terminal-state.asl.json", Code.MISSING_END_STATE),
            Map.entry("invalid-missing-transition-target.asl.json", Code.MISSING_TRANSITION_TARGET),
            Map.entry("invalid-next-and-end.asl.json", Code.SCHEMA_VALIDATION_FAILED),
            Map.entry("invalid-parallel-transition-out-of-branch.asl.json", Code.MISSING_TRANSITION_TARGET),
            Map.entry("invalid-parallel-without-branches.asl.json", Code.SCHEMA_VALIDATION_FAILED),
            Map.entry("invalid-payload-template-path.asl.json", Code.SCHEMA_VALIDATION_FAILED),
            Map.entry("invalid-state-name-too-long.asl.json", Code.INVALID_STATE_NAME),
            Map.entry("invalid-timeout-and-timeout-path.asl.json", Code.SCHEMA_VALIDATION_FAILED),
            Map.entry("invalid-unknown-state-type.asl.json", Code.SCHEMA_VALIDATION_FAILED),
            Map.entry("invalid-unreachable-state.asl.json", Code.UNREACHABLE_STATE),
            Map.entry("invalid-wait-two-durations.asl.json", Code.SCHEMA_VALIDATION_FAILED),
            Map.entry("stricter-error-equals-empty.asl.json", Code.SCHEMA_VALIDATION_FAILED),
            Map.entry("stricter-heartbeat-not-below-timeout.asl.json", Code.SCHEMA_VALIDATION_FAILED));

    static List<Path> valid() {
        return AslCorpus.files("valid-");
    }

    static List<Path> refused() {
        return Stream.concat(AslCorpus.files("invalid-").stream(), AslCorpus.files("stricter-").stream()).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void validDefinitionsAreAcceptedAndCanBeCreated(Path file) {
        String definition = AslCorpus.read(file);
        assertThat(DefinitionValidator.validate(definition)).filteredOn(d -> d.severity()
                == DefinitionValidator.Severity.ERROR).isEmpty();
        assertThat(createMachine(definition)).startsWith("arn:aws:states:us-east-1:123456789012:stateMachine:");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void invalidDefinitionsAreRefusedNamingTheProblem(Path file) {
        String definition = AslCorpus.read(file);
        List<Diagnostic> diagnostics = DefinitionValidator.validate(definition);
        Code expected = EXPECTED.get(file.getFileName().toString());
        assertThat(expected).as("expected code for %s", file.getFileName()).isNotNull();
        assertThat(diagnostics).extracting(Diagnostic::code).contains(expected);
        assertThat(diagnostics).allSatisfy(d -> assertThat(d.location()).startsWith("/"));
        assertThatThrownBy(() -> createMachine(definition)).isInstanceOf(InvalidDefinitionException.class)
                .hasMessageContaining(expected.name());
    }

    @Test
    void everyCorpusFileHasAnExpectation() {
        assertThat(refused()).extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrderElementsOf(EXPECTED.keySet());
        assertThat(valid()).hasSizeGreaterThanOrEqualTo(5);
    }

    @Test
    void diagnosticLocationsPointIntoNestedMachines() {
        String def = "{\"StartAt\":\"M\",\"States\":{\"M\":{\"Type\":\"Map\",\"ItemProcessor\":{\"StartAt\":\"I\","
                + "\"States\":{\"I\":{\"Type\":\"Pass\",\"Next\":\"Gone\"}}},\"End\":true}}}";
        assertThat(DefinitionValidator.validate(def)).extracting(Diagnostic::location)
                .contains("/States/M/ItemProcessor/States/I/Next");
    }

    @Test
    void intrinsicSyntaxIsChecked() {
        String def = "{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"Parameters\":{\"a.$\":"
                + "\"States.Format('x', \"},\"End\":true}}}";
        assertThat(DefinitionValidator.validate(def)).extracting(Diagnostic::message)
                .anyMatch(m -> m.contains("intrinsic"));
        String unknown = def.replace("States.Format('x', ", "States.Nope()");
        assertThat(DefinitionValidator.validate(unknown)).isNotEmpty();
        String openEscape = def.replace("States.Format('x', ", "States.Format('a\\\\x')");
        assertThat(DefinitionValidator.validate(openEscape)).extracting(Diagnostic::message)
                .anyMatch(m -> m.contains("open escape"));
        String ten = "States.ArrayLength(".repeat(9) + "States.Array(1)" + ")".repeat(9);
        String eleven = "States.ArrayLength(" + ten + ")";
        assertThat(DefinitionValidator.validate(def.replace("States.Format('x', ", ten))).filteredOn(d -> d.severity()
                == DefinitionValidator.Severity.ERROR).isEmpty();
        assertThat(DefinitionValidator.validate(def.replace("States.Format('x', ", eleven)))
                .extracting(Diagnostic::message).anyMatch(m -> m.contains("nested"));
    }
}
