package com.rackflow.local.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.rackflow.local.stepfunctions.asl.Json;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.StateMachineType;

/**
 * Starts one emulator per test class (time scale 0.001) with a scriptable Lambda invoker, and an {@link SfnClient}
 * pointed at it, the way the project's code will use it.
 */
public abstract class SfnTestSupport {

    protected static final String ROLE = "arn:aws:iam::123456789012:role/test-role";
    protected static final Map<String, LambdaInvoker> FUNCTIONS = new ConcurrentHashMap<>();
    protected static LocalStepFunctions sfnLocal;
    protected static SfnClient sfn;

    @BeforeAll
    static void startEmulator() {
        sfnLocal = LocalStepFunctions.builder()
                .timeScale(0.001)
                .lambdaInvoker((arn, payload) -> {
                    String name = arn.substring(arn.lastIndexOf(':') + 1);
                    LambdaInvoker f = FUNCTIONS.get(name);
                    if (f == null) {
                        throw new LambdaFailure("Lambda.ResourceNotFoundException", "Function not found: " + arn,
                                null);
                    }
                    return f.invoke(arn, payload);
                })
                .build()
                .start();
        sfn = client(sfnLocal);
    }

    protected static SfnClient client(LocalStepFunctions local) {
        return client(local.endpoint());
    }

    protected static SfnClient client(java.net.URI endpoint) {
        return SfnClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION,
                        true))
                .build();
    }

    @AfterAll
    static void stopEmulator() {
        if (sfn != null) {
            sfn.close();
        }
        if (sfnLocal != null) {
            sfnLocal.close();
        }
        FUNCTIONS.clear();
    }

    protected static String lambdaArn(String name) {
        return "arn:aws:lambda:us-east-1:123456789012:function:" + name;
    }

    /** Creates a state machine with a unique name; returns its ARN. */
    protected static String createMachine(String definition) {
        return createMachine(definition, StateMachineType.STANDARD);
    }

    protected static String createMachine(String definition, StateMachineType type) {
        return sfn.createStateMachine(b -> b.name("sm-" + UUID.randomUUID().toString().substring(0, 8))
                .definition(definition).roleArn(ROLE).type(type)).stateMachineArn();
    }

    protected static String start(String machineArn, String input) {
        return sfn.startExecution(b -> b.stateMachineArn(machineArn).input(input)).executionArn();
    }

    /** Waits until the execution leaves RUNNING. */
    protected static DescribeExecutionResponse await(String executionArn) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            DescribeExecutionResponse d = sfn.describeExecution(b -> b.executionArn(executionArn));
            if (d.status() != ExecutionStatus.RUNNING) {
                return d;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("execution still running: " + executionArn);
            }
            sleep(5);
        }
    }

    protected static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs a definition on an input to its end. */
    protected static DescribeExecutionResponse run(String definition, String input) {
        return await(start(createMachine(definition), input));
    }

    /** Runs and expects success; returns the output as JSON. */
    protected static JsonNode output(String definition, String input) {
        DescribeExecutionResponse d = run(definition, input);
        assertThat(d.status()).as("status (error %s, cause %s)", d.error(), d.cause())
                .isEqualTo(ExecutionStatus.SUCCEEDED);
        return Json.parse(d.output());
    }

    protected static JsonNode json(String text) {
        return Json.parse(text);
    }

    protected static List<HistoryEvent> history(String executionArn) {
        return sfn.getExecutionHistoryPaginator(b -> b.executionArn(executionArn)).events().stream().toList();
    }

    protected static List<HistoryEventType> eventTypes(String executionArn) {
        return history(executionArn).stream().map(HistoryEvent::type).toList();
    }

    /** A Pass-state machine around one state JSON (named "S", End: true). */
    protected static String single(String stateJson) {
        return "{\"StartAt\":\"S\",\"States\":{\"S\":" + stateJson + "}}";
    }
}
