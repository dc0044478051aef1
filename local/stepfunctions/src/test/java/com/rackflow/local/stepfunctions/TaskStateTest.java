package com.rackflow.local.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

/** Spec "Task State" with AWS's Lambda integrations: lambda:invoke (wrapped result) and plain function ARNs. */
class TaskStateTest extends SfnTestSupport {

    @BeforeAll
    static void functions() {
        FUNCTIONS.put("Greeter", (arn, payload) -> {
            var in = json(new String(payload, StandardCharsets.UTF_8));
            return ("{\"greeting\":\"Hello " + in.path("name").asText() + "\"}").getBytes(StandardCharsets.UTF_8);
        });
    }

    @Test
    void lambdaInvokeWrapsTheResult() {
        String def = single("{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::lambda:invoke\",\"Parameters\":"
                + "{\"FunctionName\":\"" + lambdaArn("Greeter") + "\",\"Payload\":{\"name.$\":\"$.who\"}},\"End\":true}");
        String exec = start(createMachine(def), "{\"who\":\"Ann\"}");
        var out = json(await(exec).output());
        assertThat(out.get("Payload")).isEqualTo(json("{\"greeting\":\"Hello Ann\"}"));
        assertThat(out.get("StatusCode").asInt()).isEqualTo(200);
        assertThat(out.get("ExecutedVersion").asText()).isEqualTo("$LATEST");
        assertThat(out.get("SdkHttpMetadata").get("HttpStatusCode").asInt()).isEqualTo(200);
        assertThat(eventTypes(exec)).containsExactly(HistoryEventType.EXECUTION_STARTED,
                HistoryEventType.TASK_STATE_ENTERED, HistoryEventType.TASK_SCHEDULED, HistoryEventType.TASK_STARTED,
                HistoryEventType.TASK_SUCCEEDED, HistoryEventType.TASK_STATE_EXITED,
                HistoryEventType.EXECUTION_SUCCEEDED);
        HistoryEvent scheduled = history(exec).get(2);
        assertThat(scheduled.taskScheduledEventDetails().resourceType()).isEqualTo("lambda");
        assertThat(scheduled.taskScheduledEventDetails().resource()).isEqualTo("invoke");
        assertThat(scheduled.taskScheduledEventDetails().region()).isEqualTo("us-east-1");
        assertThat(json(scheduled.taskScheduledEventDetails().parameters())).isEqualTo(json(
                "{\"FunctionName\":\"" + lambdaArn("Greeter") + "\",\"Payload\":{\"name\":\"Ann\"}}"));
    }

    @Test
    void lambdaInvokeWithFunctionNameOnlyAndResultSelectorOnPayload() {
        String def = single("{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::lambda:invoke\",\"Parameters\":"
                + "{\"FunctionName\":\"Greeter\",\"Payload.$\":\"$\"},\"ResultSelector\":{\"g.$\":\"$.Payload.greeting\"},"
                + "\"ResultPath\":\"$.result\",\"End\":true}");
        assertThat(output(def, "{\"name\":\"Bo\"}")).isEqualTo(json("{\"name\":\"Bo\",\"result\":{\"g\":\"Hello Bo\"}}"));
    }

    @Test
    void plainFunctionArnReturnsTheRawResult() {
        String def = single("{\"Type\":\"Task\",\"Resource\":\"" + lambdaArn("Greeter") + "\",\"End\":true}");
        String exec = start(createMachine(def), "{\"name\":\"Cy\"}");
        assertThat(json(await(exec).output())).isEqualTo(json("{\"greeting\":\"Hello Cy\"}"));
        var events = history(exec);
        assertThat(events.stream().map(HistoryEvent::type)).containsExactly(HistoryEventType.EXECUTION_STARTED,
                HistoryEventType.TASK_STATE_ENTERED, HistoryEventType.LAMBDA_FUNCTION_SCHEDULED,
                HistoryEventType.LAMBDA_FUNCTION_STARTED, HistoryEventType.LAMBDA_FUNCTION_SUCCEEDED,
                HistoryEventType.TASK_STATE_EXITED, HistoryEventType.EXECUTION_SUCCEEDED);
        assertThat(events.get(2).lambdaFunctionScheduledEventDetails().resource()).isEqualTo(lambdaArn("Greeter"));
        assertThat(events.get(2).lambdaFunctionScheduledEventDetails().input()).isEqualTo("{\"name\":\"Cy\"}");
        assertThat(events.get(4).lambdaFunctionSucceededEventDetails().output())
                .isEqualTo("{\"greeting\":\"Hello Cy\"}");
    }

    @Test
    void missingFunctionFailsWithTheLambdaError() {
        String def = single("{\"Type\":\"Task\",\"Resource\":\"" + lambdaArn("Nobody") + "\",\"End\":true}");
        assertThat(run(def, "{}").error()).isEqualTo("Lambda.ResourceNotFoundException");
    }

    @Test
    void timeoutSecondsPathIsReadFromTheInput() {
        FUNCTIONS.put("Sleepy", (arn, payload) -> {
            sleep(300);
            return "1".getBytes(StandardCharsets.UTF_8);
        });
        String def = single("{\"Type\":\"Task\",\"Resource\":\"" + lambdaArn("Sleepy")
                + "\",\"TimeoutSecondsPath\":\"$.t\",\"End\":true}");
        assertThat(run(def, "{\"t\":2}").error()).isEqualTo("States.Timeout");
    }
}
