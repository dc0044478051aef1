package com.rackflow.local.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The AWS CLI v2 against the local endpoint: create, start, describe, history, send-task-success. */
class AwsCliTest {

    static final Path AWS = Path.of("/usr/bin/aws");

    private record Run(int exit, String out) {
    }

    private static Run run(LocalStepFunctions local, Path home, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(AWS.toString(), "stepfunctions"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--endpoint-url", local.endpoint().toString(), "--output", "json"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("AWS_ACCESS_KEY_ID", "test");
        pb.environment().put("AWS_SECRET_ACCESS_KEY", "test");
        pb.environment().put("AWS_REGION", "us-east-1");
        pb.environment().put("AWS_DEFAULT_REGION", "us-east-1");
        pb.environment().put("AWS_PAGER", "");
        pb.environment().put("HOME", home.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    static JsonNode aws(LocalStepFunctions local, Path home, String... args) throws Exception {
        Run r = run(local, home, args);
        assertThat(r.exit()).as("aws %s: %s", args[0], r.out()).isZero();
        return r.out().isBlank() ? SfnTestSupport.json("{}") : SfnTestSupport.json(r.out());
    }

    /** Runs a command that must fail; returns its output (the error message). */
    static String awsFailing(LocalStepFunctions local, Path home, String... args) throws Exception {
        Run r = run(local, home, args);
        assertThat(r.exit()).as("aws %s should fail: %s", args[0], r.out()).isNotZero();
        return r.out();
    }

    @Test
    void cliDrivesACallbackFlow(@TempDir Path home) throws Exception {
        assumeTrue(Files.isExecutable(AWS), "/usr/bin/aws (AWS CLI v2) is not installed; apt-get install awscli");
        AtomicReference<String> token = new AtomicReference<>();
        LambdaInvoker inbox = (arn, payload) -> {
            token.set(SfnTestSupport.json(new String(payload, StandardCharsets.UTF_8)).get("token").asText());
            return "{}".getBytes(StandardCharsets.UTF_8);
        };
        Path def = home.resolve("flow.asl.json");
        Files.writeString(def, "{\"StartAt\":\"Approve\",\"States\":{\"Approve\":{\"Type\":\"Task\",\"Resource\":"
                + "\"arn:aws:states:::lambda:invoke.waitForTaskToken\",\"Parameters\":{\"FunctionName\":\"Inbox\","
                + "\"Payload\":{\"token.$\":\"$$.Task.Token\"}},\"ResultPath\":\"$.approval\",\"End\":true}}}");
        try (LocalStepFunctions local = LocalStepFunctions.builder().timeScale(0.001).lambdaInvoker(inbox).build()
                .start()) {
            JsonNode created = aws(local, home, "create-state-machine", "--name", "cli-flow", "--definition",
                    "file://" + def, "--role-arn", "arn:aws:iam::123456789012:role/cli");
            String machine = created.get("stateMachineArn").asText();
            assertThat(machine).isEqualTo("arn:aws:states:us-east-1:123456789012:stateMachine:cli-flow");
            JsonNode started = aws(local, home, "start-execution", "--state-machine-arn", machine, "--name", "run-1",
                    "--input", "{\"contract\":\"HT2026000001\"}");
            String exec = started.get("executionArn").asText();
            for (int i = 0; i < 2000 && token.get() == null; i++) {
                SfnTestSupport.sleep(5);
            }
            assertThat(aws(local, home, "describe-execution", "--execution-arn", exec).get("status").asText())
                    .isEqualTo("RUNNING");
            aws(local, home, "send-task-success", "--task-token", token.get(), "--task-output", "{\"ok\":true}");
            JsonNode described = null;
            for (int i = 0; i < 100; i++) {
                described = aws(local, home, "describe-execution", "--execution-arn", exec);
                if (!"RUNNING".equals(described.get("status").asText())) {
                    break;
                }
                SfnTestSupport.sleep(20);
            }
            assertThat(described.get("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(SfnTestSupport.json(described.get("output").asText())).isEqualTo(SfnTestSupport.json(
                    "{\"contract\":\"HT2026000001\",\"approval\":{\"ok\":true}}"));
            JsonNode history = aws(local, home, "get-execution-history", "--execution-arn", exec);
            List<String> types = new ArrayList<>();
            history.get("events").forEach(e -> types.add(e.get("type").asText()));
            assertThat(types).containsExactly("ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted",
                    "TaskSubmitted", "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded");
        }
    }

}
