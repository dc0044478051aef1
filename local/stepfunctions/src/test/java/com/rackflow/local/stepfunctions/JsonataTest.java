package com.rackflow.local.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;

/** QueryLanguage JSONata: Arguments, Output, Assign, Condition, Items, `$states`, and Step Functions' functions. */
class JsonataTest extends SfnTestSupport {

    @BeforeAll
    static void functions() {
        FUNCTIONS.put("Greeter", (arn, payload) -> {
            var in = json(new String(payload, StandardCharsets.UTF_8));
            return ("{\"greeting\":\"Hello " + in.path("name").asText() + "\"}").getBytes(StandardCharsets.UTF_8);
        });
    }

    private static String machine(String states, String startAt) {
        return "{\"QueryLanguage\":\"JSONata\",\"StartAt\":\"" + startAt + "\",\"States\":{" + states + "}}";
    }

    @Test
    void passOutputExpression() {
        String def = machine("\"P\":{\"Type\":\"Pass\",\"Output\":{\"sum\":\"{% $states.input.a + $states.input.b %}\","
                + "\"literal\":\"plain text\",\"list\":[\"{% $uppercase($states.input.s) %}\",2]},\"End\":true}", "P");
        assertThat(output(def, "{\"a\":1,\"b\":2,\"s\":\"x\"}"))
                .isEqualTo(json("{\"sum\":3,\"literal\":\"plain text\",\"list\":[\"X\",2]}"));
    }

    @Test
    void taskArgumentsAndOutputWithResult() {
        String def = machine("\"T\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::lambda:invoke\",\"Arguments\":"
                + "{\"FunctionName\":\"Greeter\",\"Payload\":{\"name\":\"{% $states.input.who %}\"}},"
                + "\"Output\":\"{% $states.result.Payload.greeting %}\",\"End\":true}", "T");
        assertThat(output(def, "{\"who\":\"Ann\"}").asText()).isEqualTo("Hello Ann");
    }

    @Test
    void choiceConditionAssignAndVariables() {
        String def = machine("\"C\":{\"Type\":\"Choice\",\"Choices\":[{\"Condition\":\"{% $states.input.n > 10 %}\","
                + "\"Assign\":{\"size\":\"big\"},\"Next\":\"Done\"}],\"Default\":\"Small\"},"
                + "\"Small\":{\"Type\":\"Pass\",\"Assign\":{\"size\":\"small\"},\"Next\":\"Done\"},"
                + "\"Done\":{\"Type\":\"Pass\",\"Output\":{\"size\":\"{% $size %}\",\"n\":\"{% $states.input.n %}\"},"
                + "\"End\":true}", "C");
        assertThat(output(def, "{\"n\":50}")).isEqualTo(json("{\"size\":\"big\",\"n\":50}"));
        assertThat(output(def, "{\"n\":5}")).isEqualTo(json("{\"size\":\"small\",\"n\":5}"));
    }

    @Test
    void theStateOutputAndAssignOfAChoiceGoWithTheDefaultOnly() {
        String def = machine("\"C\":{\"Type\":\"Choice\",\"Choices\":[{\"Condition\":\"{% $states.input.n = 1 %}\","
                + "\"Next\":\"P\",\"Output\":{\"rule\":1}}],\"Default\":\"P\",\"Output\":{\"rule\":\"default\"},"
                + "\"Assign\":{\"viaDefault\":true}},\"P\":{\"Type\":\"Pass\",\"Output\":{\"in\":\"{% $states.input %}\","
                + "\"d\":\"{% $exists($viaDefault) %}\"},\"End\":true}", "C");
        assertThat(output(def, "{\"n\":1}")).isEqualTo(json("{\"in\":{\"rule\":1},\"d\":false}"));
        assertThat(output(def, "{\"n\":2}")).isEqualTo(json("{\"in\":{\"rule\":\"default\"},\"d\":true}"));
    }

    @Test
    void mapItemsAndItemSelector() {
        String def = machine("\"M\":{\"Type\":\"Map\",\"Items\":\"{% $states.input.list %}\",\"ItemSelector\":"
                + "{\"v\":\"{% $states.context.Map.Item.Value * 2 %}\",\"i\":\"{% $states.context.Map.Item.Index %}\"},"
                + "\"ItemProcessor\":{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}},"
                + "\"Output\":\"{% $states.result.v %}\",\"End\":true}", "M");
        assertThat(output(def, "{\"list\":[1,2,3]}")).isEqualTo(json("[2,4,6]"));
    }

    @Test
    void stepFunctionsExtraFunctions() {
        String def = machine("\"P\":{\"Type\":\"Pass\",\"Output\":{\"partition\":\"{% $partition([1,2,3], 2) %}\","
                + "\"range\":\"{% $range(0, 4, 2) %}\",\"hash\":\"{% $hash('abc', 'MD5') %}\","
                + "\"random\":\"{% $random() %}\",\"uuid\":\"{% $uuid() %}\",\"parsed\":\"{% $parse('{\\\"a\\\":[1]}') %}\"},"
                + "\"End\":true}", "P");
        var out = output(def, "{}");
        assertThat(out.get("partition")).isEqualTo(json("[[1,2],[3]]"));
        assertThat(out.get("range")).isEqualTo(json("[0,2,4]"));
        assertThat(out.get("hash").asText()).isEqualTo("900150983cd24fb0d6963f7d28e17f72");
        assertThat(out.get("random").asDouble()).isBetween(0.0, 1.0);
        assertThat(out.get("uuid").asText()).hasSize(36);
        assertThat(out.get("parsed")).isEqualTo(json("{\"a\":[1]}"));
    }

    @Test
    void failStateAndCatchErrorOutput() {
        String def = machine("\"Par\":{\"Type\":\"Parallel\",\"Branches\":[{\"StartAt\":\"F\",\"States\":{\"F\":"
                + "{\"Type\":\"Fail\",\"Error\":\"{% 'E.' & $states.input.code %}\",\"Cause\":\"because\"}}}],"
                + "\"Catch\":[{\"ErrorEquals\":[\"E.42\"],\"Output\":{\"caught\":\"{% $states.errorOutput.Error %}\"},"
                + "\"Next\":\"Out\"}],\"End\":true},\"Out\":{\"Type\":\"Succeed\"}", "Par");
        assertThat(output(def, "{\"code\":42}")).isEqualTo(json("{\"caught\":\"E.42\"}"));
    }

    @Test
    void evaluationErrorIsQueryEvaluationError() {
        String def = machine("\"P\":{\"Type\":\"Pass\",\"Output\":\"{% $states.input.a + 'x' %}\",\"End\":true}", "P");
        DescribeExecutionResponse d = run(def, "{\"a\":1}");
        assertThat(d.error()).isEqualTo("States.QueryEvaluationError");
    }

    @Test
    void anExpressionReturningNothingFailsTheStateNamingTheField() {
        String def = machine("\"P\":{\"Type\":\"Pass\",\"Output\":{\"a\":{\"v\":\"{% $states.input.missing %}\"}},"
                + "\"End\":true}", "P");
        String exec = start(createMachine(def), "{}");
        DescribeExecutionResponse d = await(exec);
        assertThat(d.error()).isEqualTo("States.QueryEvaluationError");
        assertThat(d.cause()).startsWith("An error occurred while executing the state 'P'").contains("Output/a/v");
        var failed = history(exec).stream()
                .filter(e -> e.type() == software.amazon.awssdk.services.sfn.model.HistoryEventType.EVALUATION_FAILED)
                .findFirst().orElseThrow().evaluationFailedEventDetails();
        assertThat(failed.location()).isEqualTo("Output/a/v");
        assertThat(failed.state()).isEqualTo("P");
    }

    @Test
    void nullsSurviveTheRoundTrip() {
        String def = machine("\"P\":{\"Type\":\"Pass\",\"Output\":{\"n\":\"{% null %}\",\"x\":\"{% $states.input.x %}\"},"
                + "\"End\":true}", "P");
        assertThat(output(def, "{\"x\":[null,{\"k\":null}]}")).isEqualTo(json("{\"n\":null,\"x\":[null,{\"k\":null}]}"));
    }

    @Test
    void waitSecondsAndTaskTimeoutFromExpressions() {
        FUNCTIONS.put("Sleeper", (arn, payload) -> {
            sleep(300);
            return "{}".getBytes(StandardCharsets.UTF_8);
        });
        String def = machine("\"W\":{\"Type\":\"Wait\",\"Seconds\":\"{% $states.input.pause %}\",\"Next\":\"T\"},"
                + "\"T\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::lambda:invoke\",\"Arguments\":"
                + "{\"FunctionName\":\"Sleeper\"},\"TimeoutSeconds\":\"{% $states.input.limit %}\",\"Catch\":[{"
                + "\"ErrorEquals\":[\"States.Timeout\"],\"Output\":{\"timedOut\":true,\"after\":"
                + "\"{% $states.input.limit %}\"},\"Next\":\"Done\"}],\"End\":true},\"Done\":{\"Type\":\"Succeed\"}", "W");
        assertThat(output(def, "{\"pause\":30,\"limit\":5}")).isEqualTo(json("{\"timedOut\":true,\"after\":5}"));
    }

    @Test
    void jsonataStateInsideAJsonPathMachine() {
        String def = "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Parameters\":{\"x.$\":\"$.x\"},"
                + "\"Next\":\"B\"},\"B\":{\"Type\":\"Pass\",\"QueryLanguage\":\"JSONata\",\"Output\":"
                + "\"{% $states.input.x * 10 %}\",\"End\":true}}}";
        assertThat(output(def, "{\"x\":4}").asInt()).isEqualTo(40);
    }
}
