package com.rackflow.local.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rackflow.local.stepfunctions.engine.StateMachineType;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;

/** The host-facing API: programmatic registration, DefinitionSubstitutions and in-process handler failures. */
class EmbeddingTest extends SfnTestSupport {

    @Test
    void substituteReplacesPlaceholdersAndNamesMissingOnes() {
        String asl = "{\"Resource\":\"${CheckFn}\",\"Table\":\"${Table}\",\"Literal\":\"$.keep\"}";
        assertThat(LocalStepFunctions.substitute(asl, Map.of("CheckFn", "arn:aws:lambda:us-east-1:1:function:f",
                "Table", "crm"))).isEqualTo("{\"Resource\":\"arn:aws:lambda:us-east-1:1:function:f\",\"Table\":\"crm\","
                + "\"Literal\":\"$.keep\"}");
        assertThatThrownBy(() -> LocalStepFunctions.substitute(asl, Map.of("CheckFn", "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("${Table}");
    }

    @Test
    void createOrUpdateStateMachineRegistersAndReplaces() {
        String arn = sfnLocal.createOrUpdateStateMachine("HostFlow", single("{\"Type\":\"Pass\",\"Result\":1,"
                + "\"End\":true}"), null, StateMachineType.STANDARD);
        assertThat(arn).isEqualTo("arn:aws:states:us-east-1:123456789012:stateMachine:HostFlow");
        assertThat(await(start(arn, "{}")).output()).isEqualTo("1");
        sfnLocal.createOrUpdateStateMachine("HostFlow", single("{\"Type\":\"Pass\",\"Result\":2,\"End\":true}"), null,
                StateMachineType.STANDARD);
        assertThat(await(start(arn, "{}")).output()).isEqualTo("2");
        assertThat(sfn.describeStateMachine(b -> b.stateMachineArn(arn)).roleArn())
                .isEqualTo("arn:aws:iam::123456789012:role/HostFlow-role");
        assertThatThrownBy(() -> sfnLocal.createOrUpdateStateMachine("HostFlow", "{\"StartAt\":\"X\",\"States\":{}}",
                null, StateMachineType.STANDARD)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("InvalidDefinition");
    }

    @Test
    void aJavaHandlerExceptionSurfacesWithItsClassNameAsTheError() {
        FUNCTIONS.put("Thrower", (arn, payload) -> {
            try {
                throw new IllegalStateException("contract HT2026000001 is not ACTIVE");
            } catch (IllegalStateException e) {
                throw LambdaFailure.fromException(e);
            }
        });
        String def = single("{\"Type\":\"Task\",\"Resource\":\"" + lambdaArn("Thrower") + "\",\"End\":true}");
        DescribeExecutionResponse d = run(def, "{}");
        assertThat(d.error()).isEqualTo("java.lang.IllegalStateException");
        var cause = json(d.cause());
        assertThat(cause.get("errorMessage").asText()).isEqualTo("contract HT2026000001 is not ACTIVE");
        assertThat(cause.get("errorType").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(cause.get("stackTrace").get(0).asText()).contains("EmbeddingTest");
    }

    @Test
    void theInvokerReceivesTheFunctionArnAndTheJsonPayload() {
        StringBuilder seen = new StringBuilder();
        FUNCTIONS.put("Recorder", (arn, payload) -> {
            seen.append(arn).append(' ').append(new String(payload, StandardCharsets.UTF_8));
            return "{}".getBytes(StandardCharsets.UTF_8);
        });
        String def = single("{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::lambda:invoke\",\"Parameters\":"
                + "{\"FunctionName\":\"Recorder\",\"Payload\":{\"a.$\":\"$.a\"}},\"End\":true}");
        output(def, "{\"a\":[1,2]}");
        assertThat(seen.toString()).isEqualTo(lambdaArn("Recorder") + " {\"a\":[1,2]}");
    }
}
