package com.rackflow.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The template's state machines run in the local Step Functions engine, their Lambda tasks by the stack's functions. */
class LocalStackStateMachineTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:double-flow";

    private static LocalStack stack;

    @BeforeAll
    static void start() throws Exception {
        Path template = Path.of(LocalStackStateMachineTest.class.getResource("/stack-template.yaml").toURI());
        stack = LocalStack.start(new LocalStack.Options(template, 0, null, false));
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    /** One Step Functions API call (AWS JSON 1.0), as the SDK makes it. */
    private static JsonNode sfn(String operation, Map<String, Object> request) throws Exception {
        URI endpoint = stack.stateMachinesEndpoint().orElseThrow();
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(endpoint)
                .header("Content-Type", "application/x-amz-json-1.0")
                .header("X-Amz-Target", "AWSStepFunctions." + operation)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(operation + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static JsonNode runToEnd(String input) throws Exception {
        String executionArn = sfn("StartExecution", Map.of("stateMachineArn", MACHINE, "input", input))
                .path("executionArn").asText();
        for (int i = 0; i < 200; i++) {
            JsonNode execution = sfn("DescribeExecution", Map.of("executionArn", executionArn));
            if (!execution.path("status").asText().equals("RUNNING")) {
                return execution;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("execution still running: " + executionArn);
    }

    @Test
    void stateMachineFromTheTemplateIsRegisteredWithItsSubstitutions() throws Exception {
        JsonNode machine = sfn("DescribeStateMachine", Map.of("stateMachineArn", MACHINE));

        assertThat(machine.path("definition").asText())
                .contains("arn:aws:lambda:us-east-1:123456789012:function:DoubleFunction:live");
    }

    @Test
    void lambdaTasksRunTheTemplateFunctions() throws Exception {
        JsonNode execution = runToEnd("{\"n\":21}");

        assertThat(execution.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(JSON.readTree(execution.path("output").asText()))
                .isEqualTo(JSON.readTree("{\"n\":42,\"table\":\"double-store\",\"sfn\":\""
                        + stack.stateMachinesEndpoint().orElseThrow() + "\"}"));
    }

    @Test
    void functionErrorsReachTheStateMachineWithTheirType() throws Exception {
        JsonNode execution = runToEnd("{\"n\":-1}");

        assertThat(execution.path("status").asText()).isEqualTo("FAILED");
        assertThat(execution.path("error").asText()).isEqualTo("Refused");
    }
}
