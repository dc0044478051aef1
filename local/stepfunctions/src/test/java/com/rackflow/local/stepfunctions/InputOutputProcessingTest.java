package com.rackflow.local.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

/** Spec "Input and Output Processing", "Payload Template", "Reference Paths" and the Pass state, with the spec's examples. */
class InputOutputProcessingTest extends SfnTestSupport {

    @BeforeAll
    static void functions() {
        FUNCTIONS.put("Add", (arn, payload) -> {
            var in = json(new String(payload, StandardCharsets.UTF_8));
            return String.valueOf(in.get("val1").asInt() + in.get("val2").asInt()).getBytes(StandardCharsets.UTF_8);
        });
        FUNCTIONS.put("Echo", (arn, payload) -> payload);
    }

    @Test
    void specExampleInputPathAndResultPath() {
        String def = single("{\"Type\":\"Task\",\"Resource\":\"" + lambdaArn("Add")
                + "\",\"InputPath\":\"$.numbers\",\"ResultPath\":\"$.sum\",\"End\":true}");
        assertThat(output(def, "{\"title\":\"Numbers to add\",\"numbers\":{\"val1\":3,\"val2\":4}}"))
                .isEqualTo(json("{\"title\":\"Numbers to add\",\"numbers\":{\"val1\":3,\"val2\":4},\"sum\":7}"));
    }

    @Test
    void specExamplePayloadTemplateWithPathsAndIntrinsic() {
        String def = single("{\"Type\":\"Task\",\"Resource\":\"" + lambdaArn("Echo") + "\",\"Parameters\":{"
                + "\"flagged\":true,\"parts\":{\"first.$\":\"$.vals[0]\",\"last3.$\":\"$.vals[-3:]\"},"
                + "\"weekday.$\":\"$$.Execution.Input.DayOfWeek\","
                + "\"formattedOutput.$\":\"States.Format('Today is {}', $$.Execution.Input.DayOfWeek)\"},"
                + "\"End\":true}");
        assertThat(output(def, "{\"flagged\":7,\"vals\":[0,10,20,30,40,50],\"DayOfWeek\":\"TUESDAY\"}"))
                .isEqualTo(json("{\"flagged\":true,\"parts\":{\"first\":0,\"last3\":[30,40,50]},"
                        + "\"weekday\":\"TUESDAY\",\"formattedOutput\":\"Today is TUESDAY\"}"));
    }

    @Test
    void specExampleResultPathOverwritesAndCreatesFields() {
        String overwrite = single("{\"Type\":\"Pass\",\"Result\":6,\"ResultPath\":\"$.master.detail\",\"End\":true}");
        assertThat(output(overwrite, "{\"master\":{\"detail\":[1,2,3]}}"))
                .isEqualTo(json("{\"master\":{\"detail\":6}}"));
        String combine = single("{\"Type\":\"Pass\",\"Result\":6,\"ResultPath\":\"$.master.result.sum\",\"End\":true}");
        assertThat(output(combine, "{\"master\":{\"detail\":[1,2,3]}}"))
                .isEqualTo(json("{\"master\":{\"detail\":[1,2,3],\"result\":{\"sum\":6}}}"));
        String greeting = single("{\"Type\":\"Pass\",\"Result\":\"Hi!\",\"ResultPath\":\"$.b.greeting\",\"End\":true}");
        assertThat(output(greeting, "{\"a\":1}")).isEqualTo(json("{\"a\":1,\"b\":{\"greeting\":\"Hi!\"}}"));
    }

    @Test
    void specExamplePassStateNoOp() {
        String def = single("{\"Type\":\"Pass\",\"Result\":{\"x-datum\":0.381018,\"y-datum\":622.2269926397355},"
                + "\"ResultPath\":\"$.coords\",\"End\":true}");
        assertThat(output(def, "{\"georefOf\":\"Home\"}")).isEqualTo(json(
                "{\"georefOf\":\"Home\",\"coords\":{\"x-datum\":0.381018,\"y-datum\":622.2269926397355}}"));
    }

    @Test
    void resultPathOnNonObjectInputFailsWithResultPathMatchFailure() {
        DescribeExecutionResponse d = run(single("{\"Type\":\"Pass\",\"Result\":1,\"ResultPath\":\"$.x\","
                + "\"End\":true}"), "\"foo\"");
        assertThat(d.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(d.error()).isEqualTo("States.ResultPathMatchFailure");
    }

    @Test
    void nullPathsDiscard() {
        assertThat(output(single("{\"Type\":\"Pass\",\"InputPath\":null,\"End\":true}"), "{\"a\":1}"))
                .isEqualTo(json("{}"));
        assertThat(output(single("{\"Type\":\"Pass\",\"Result\":5,\"ResultPath\":null,\"End\":true}"), "{\"a\":1}"))
                .isEqualTo(json("{\"a\":1}"));
        assertThat(output(single("{\"Type\":\"Pass\",\"OutputPath\":null,\"End\":true}"), "{\"a\":1}"))
                .isEqualTo(json("{}"));
    }

    @Test
    void multipleValuesAreGatheredIntoAnArray() {
        assertThat(output(single("{\"Type\":\"Pass\",\"InputPath\":\"$.a[0,1]\",\"End\":true}"),
                "{\"a\":[1,2,3,4]}")).isEqualTo(json("[1,2]"));
    }

    @Test
    void fullPipelineRunsInOrder() {
        String def = single("{\"Type\":\"Task\",\"Resource\":\"" + lambdaArn("Echo") + "\","
                + "\"InputPath\":\"$.in\",\"Parameters\":{\"v.$\":\"$.value\",\"k\":\"const\"},"
                + "\"ResultSelector\":{\"picked.$\":\"$.v\"},\"ResultPath\":\"$.res\",\"OutputPath\":\"$.res\","
                + "\"End\":true}");
        assertThat(output(def, "{\"in\":{\"value\":42},\"other\":true}")).isEqualTo(json("{\"picked\":42}"));
    }

    @Test
    void missingInputPathIsAStatesRuntimeError() {
        DescribeExecutionResponse d = run(single("{\"Type\":\"Pass\",\"InputPath\":\"$.missing\",\"End\":true}"),
                "{}");
        assertThat(d.error()).isEqualTo("States.Runtime");
        assertThat(d.cause()).contains("An error occurred while executing the state 'S'").contains("$.missing");
    }

    @Test
    void missingParameterPathIsAStatesRuntimeErrorNamingTheField() {
        DescribeExecutionResponse d = run(single("{\"Type\":\"Pass\",\"Parameters\":{\"a.$\":\"$.nope\"},"
                + "\"End\":true}"), "{\"x\":1}");
        assertThat(d.error()).isEqualTo("States.Runtime");
        assertThat(d.cause()).isEqualTo("An error occurred while executing the state 'S' (entered at the event id "
                + "#2). The JSONPath '$.nope' specified for the field 'a.$' could not be found in the input '{\"x\":1}'");
    }

    @Test
    void anArrayIndexPastTheEndSelectsNullInAPayloadTemplate() {
        assertThat(output(single("{\"Type\":\"Pass\",\"Parameters\":{\"a.$\":\"$.list[5]\"},\"End\":true}"),
                "{\"list\":[1,2]}")).isEqualTo(json("{\"a\":null}"));
    }

    @Test
    void contextObjectFields() {
        String def = single("{\"Type\":\"Pass\",\"Parameters\":{\"id.$\":\"$$.Execution.Id\","
                + "\"name.$\":\"$$.Execution.Name\",\"input.$\":\"$$.Execution.Input\",\"start.$\":\"$$.Execution.StartTime\","
                + "\"role.$\":\"$$.Execution.RoleArn\",\"state.$\":\"$$.State.Name\",\"entered.$\":\"$$.State.EnteredTime\","
                + "\"stateObject.$\":\"$$.State\",\"sm.$\":\"$$.StateMachine.Id\",\"smName.$\":\"$$.StateMachine.Name\"},"
                + "\"End\":true}");
        String machine = createMachine(def);
        String exec = sfn.startExecution(b -> b.stateMachineArn(machine).name("ctx-run").input("{\"k\":1}"))
                .executionArn();
        DescribeExecutionResponse d = await(exec);
        var out = json(d.output());
        assertThat(out.get("id").asText()).isEqualTo(exec);
        assertThat(out.get("name").asText()).isEqualTo("ctx-run");
        assertThat(out.get("input")).isEqualTo(json("{\"k\":1}"));
        assertThat(out.get("start").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(out.get("role").asText()).isEqualTo(ROLE);
        assertThat(out.get("state").asText()).isEqualTo("S");
        assertThat(out.get("entered").asText()).endsWith("Z");
        // AWS: $$.State.RetryCount only in states that take Retry (Task, Map, Parallel)
        assertThat(out.get("stateObject").fieldNames()).toIterable().containsExactlyInAnyOrder("EnteredTime", "Name");
        assertThat(out.get("sm").asText()).isEqualTo(machine);
        assertThat(out.get("smName").asText()).isEqualTo(machine.substring(machine.lastIndexOf(':') + 1));
    }

    @Test
    void passChainHistory() {
        String def = "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Next\":\"B\"},"
                + "\"B\":{\"Type\":\"Succeed\"}}}";
        String exec = start(createMachine(def), "{\"x\":1}");
        await(exec);
        assertThat(eventTypes(exec)).containsExactly(HistoryEventType.EXECUTION_STARTED,
                HistoryEventType.PASS_STATE_ENTERED, HistoryEventType.PASS_STATE_EXITED,
                HistoryEventType.SUCCEED_STATE_ENTERED, HistoryEventType.SUCCEED_STATE_EXITED,
                HistoryEventType.EXECUTION_SUCCEEDED);
        var events = history(exec);
        assertThat(events.get(1).stateEnteredEventDetails().name()).isEqualTo("A");
        assertThat(events.get(1).stateEnteredEventDetails().input()).isEqualTo("{\"x\":1}");
        assertThat(events.get(1).previousEventId()).isZero(); // as AWS: the first state does not point at event 1
        assertThat(events.get(2).previousEventId()).isEqualTo(2L);
        assertThat(events.get(5).executionSucceededEventDetails().output()).isEqualTo("{\"x\":1}");
    }
}
