package com.rackflow.local.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

/** Spec "Choice State": every comparison operator, its Path form, Is* tests, And/Or/Not, Default, NoChoiceMatched. */
class ChoiceStateTest extends SfnTestSupport {

    /** A machine whose Choice rule is the given JSON; the output names the branch taken. */
    private static String choiceMachine(String rule) {
        return "{\"StartAt\":\"C\",\"States\":{\"C\":{\"Type\":\"Choice\",\"Choices\":[" + rule.replace("}$", "")
                + "],\"Default\":\"No\"},\"Yes\":{\"Type\":\"Pass\",\"Result\":\"yes\",\"End\":true},"
                + "\"No\":{\"Type\":\"Pass\",\"Result\":\"no\",\"End\":true}}}";
    }

    private static String rule(String operator, String value) {
        return "{\"Variable\":\"$.v\",\"" + operator + "\":" + value + ",\"Next\":\"Yes\"}";
    }

    static List<Arguments> comparisons() {
        return List.of(
                Arguments.of("StringEquals", "\"abc\"", "\"abc\"", true),
                Arguments.of("StringEquals", "\"abc\"", "\"abd\"", false),
                Arguments.of("StringEquals", "\"1\"", "1", false),
                Arguments.of("StringLessThan", "\"b\"", "\"a\"", true),
                Arguments.of("StringLessThan", "\"b\"", "\"b\"", false),
                Arguments.of("StringGreaterThan", "\"b\"", "\"c\"", true),
                Arguments.of("StringLessThanEquals", "\"b\"", "\"b\"", true),
                Arguments.of("StringGreaterThanEquals", "\"b\"", "\"a\"", false),
                Arguments.of("StringMatches", "\"foo*.log\"", "\"foo23.log\"", true),
                Arguments.of("StringMatches", "\"*.log\"", "\"zebra.log\"", true),
                Arguments.of("StringMatches", "\"foo*.*\"", "\"foobar.zebra\"", true),
                Arguments.of("StringMatches", "\"foo*.log\"", "\"foo23.txt\"", false),
                Arguments.of("StringMatches", "\"a\\\\*b\"", "\"a*b\"", true),
                Arguments.of("StringMatches", "\"a\\\\*b\"", "\"axb\"", false),
                Arguments.of("NumericEquals", "5", "5.0", true),
                Arguments.of("NumericEquals", "5", "\"5\"", false),
                Arguments.of("NumericLessThan", "5", "4.99", true),
                Arguments.of("NumericGreaterThan", "5", "5", false),
                Arguments.of("NumericLessThanEquals", "5", "5", true),
                Arguments.of("NumericGreaterThanEquals", "5", "6", true),
                Arguments.of("BooleanEquals", "true", "true", true),
                Arguments.of("BooleanEquals", "true", "\"true\"", false),
                Arguments.of("TimestampEquals", "\"2016-03-14T01:59:00Z\"", "\"2016-03-14T02:59:00+01:00\"", true),
                Arguments.of("TimestampLessThan", "\"2016-03-14T01:59:00Z\"", "\"2016-03-14T01:58:59Z\"", true),
                Arguments.of("TimestampGreaterThan", "\"2016-03-14T01:59:00Z\"", "\"2016-03-14T01:58:59Z\"", false),
                Arguments.of("TimestampLessThanEquals", "\"2016-03-14T01:59:00Z\"", "\"2016-03-14T01:59:00Z\"",
                        true),
                Arguments.of("TimestampGreaterThanEquals", "\"2016-03-14T01:59:00Z\"", "\"2017-01-01T00:00:00Z\"",
                        true),
                Arguments.of("TimestampEquals", "\"2016-03-14T01:59:00Z\"", "\"not a date\"", false),
                Arguments.of("IsNull", "true", "null", true),
                Arguments.of("IsNull", "true", "0", false),
                Arguments.of("IsNumeric", "true", "1.5", true),
                Arguments.of("IsNumeric", "false", "\"1.5\"", true),
                Arguments.of("IsString", "true", "\"x\"", true),
                Arguments.of("IsBoolean", "true", "false", true),
                Arguments.of("IsTimestamp", "true", "\"2016-03-14T01:59:00Z\"", true),
                Arguments.of("IsTimestamp", "true", "\"2016-03-14\"", false));
    }

    @ParameterizedTest(name = "{0} {1} on {2} -> {3}")
    @MethodSource("comparisons")
    void comparisonOperator(String operator, String ruleValue, String inputValue, boolean expected) {
        var out = output(choiceMachine(rule(operator, ruleValue)), "{\"v\":" + inputValue + "}");
        assertThat(out.asText()).isEqualTo(expected ? "yes" : "no");
    }

    static List<Arguments> pathComparisons() {
        return comparisons().stream().filter(a -> {
            String op = (String) a.get()[0];
            return !op.startsWith("Is") && !op.equals("StringMatches");
        }).toList();
    }

    @ParameterizedTest(name = "{0}Path {1} on {2} -> {3}")
    @MethodSource("pathComparisons")
    void pathFormComparesAgainstAValueFromTheInput(String operator, String ruleValue, String inputValue,
                                                   boolean expected) {
        String rule = "{\"Variable\":\"$.v\",\"" + operator + "Path\":\"$.other\",\"Next\":\"Yes\"}";
        var out = output(choiceMachine(rule), "{\"v\":" + inputValue + ",\"other\":" + ruleValue + "}");
        assertThat(out.asText()).isEqualTo(expected ? "yes" : "no");
    }

    @Test
    void isPresentDoesNotFailOnAMissingField() {
        assertThat(output(choiceMachine(rule("IsPresent", "false")), "{}").asText()).isEqualTo("yes");
        assertThat(output(choiceMachine(rule("IsPresent", "true")), "{}").asText()).isEqualTo("no");
        assertThat(output(choiceMachine(rule("IsPresent", "true")), "{\"v\":null}").asText()).isEqualTo("yes");
    }

    @Test
    void missingVariableIsAStatesRuntimeError() {
        DescribeExecutionResponse d = run(choiceMachine(rule("StringEquals", "\"x\"")), "{}");
        assertThat(d.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(d.error()).isEqualTo("States.Runtime");
    }

    @Test
    void specExampleDispatchEvent() {
        String def = "{\"StartAt\":\"DispatchEvent\",\"States\":{\"DispatchEvent\":{\"Type\":\"Choice\",\"Choices\":["
                + "{\"Not\":{\"Variable\":\"$.type\",\"StringEquals\":\"Private\"},\"Next\":\"Public\"},"
                + "{\"And\":[{\"Variable\":\"$.value\",\"IsPresent\":true},{\"Variable\":\"$.value\",\"IsNumeric\":true},"
                + "{\"Variable\":\"$.value\",\"NumericGreaterThanEquals\":20},{\"Variable\":\"$.value\","
                + "\"NumericLessThan\":30}],\"Next\":\"ValueInTwenties\"},"
                + "{\"Variable\":\"$.rating\",\"NumericGreaterThanPath\":\"$.auditThreshold\",\"Next\":\"StartAudit\"}],"
                + "\"Default\":\"RecordEvent\"},"
                + "\"Public\":{\"Type\":\"Pass\",\"Result\":\"Public\",\"End\":true},"
                + "\"ValueInTwenties\":{\"Type\":\"Pass\",\"Result\":\"ValueInTwenties\",\"End\":true},"
                + "\"StartAudit\":{\"Type\":\"Pass\",\"Result\":\"StartAudit\",\"End\":true},"
                + "\"RecordEvent\":{\"Type\":\"Pass\",\"Result\":\"RecordEvent\",\"End\":true}}}";
        assertThat(output(def, "{\"type\":\"Private\",\"value\":22}").asText()).isEqualTo("ValueInTwenties");
        assertThat(output(def, "{\"type\":\"Public\",\"value\":22}").asText()).isEqualTo("Public");
        assertThat(output(def, "{\"type\":\"Private\",\"value\":35,\"rating\":9,\"auditThreshold\":5}").asText())
                .isEqualTo("StartAudit");
        assertThat(output(def, "{\"type\":\"Private\",\"value\":35,\"rating\":1,\"auditThreshold\":5}").asText())
                .isEqualTo("RecordEvent");
    }

    @Test
    void orShortCircuits() {
        String rule = "{\"Or\":[{\"Variable\":\"$.v\",\"NumericEquals\":1},{\"Variable\":\"$.missing\","
                + "\"NumericEquals\":2}],\"Next\":\"Yes\"}";
        assertThat(output(choiceMachine(rule), "{\"v\":1}").asText()).isEqualTo("yes");
    }

    @Test
    void noMatchWithoutDefaultFailsWithNoChoiceMatched() {
        String def = "{\"StartAt\":\"C\",\"States\":{\"C\":{\"Type\":\"Choice\",\"Choices\":[" + rule("NumericEquals",
                "1") + "]},\"Yes\":{\"Type\":\"Succeed\"}}}";
        String exec = start(createMachine(def), "{\"v\":2}");
        DescribeExecutionResponse d = await(exec);
        assertThat(d.error()).isEqualTo("States.NoChoiceMatched");
        assertThat(eventTypes(exec)).containsExactly(HistoryEventType.EXECUTION_STARTED,
                HistoryEventType.CHOICE_STATE_ENTERED, HistoryEventType.EXECUTION_FAILED);
    }

    @Test
    void choiceAppliesInputPathAndOutputPath() {
        String def = "{\"StartAt\":\"C\",\"States\":{\"C\":{\"Type\":\"Choice\",\"InputPath\":\"$.in\","
                + "\"OutputPath\":\"$.keep\",\"Choices\":[{\"Variable\":\"$.v\",\"NumericEquals\":1,\"Next\":\"E\"}]},"
                + "\"E\":{\"Type\":\"Succeed\"}}}";
        assertThat(output(def, "{\"in\":{\"v\":1,\"keep\":{\"k\":true}}}")).isEqualTo(json("{\"k\":true}"));
    }
}
