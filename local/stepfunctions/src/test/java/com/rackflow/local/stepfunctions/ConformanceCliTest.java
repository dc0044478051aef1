package com.rackflow.local.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A sample of the conformance corpus through the AWS CLI (one case in 200, spread over the files, and the first of the
 * validation cases): create-state-machine, start-execution and get-execution-history as a user would.
 */
class ConformanceCliTest extends SfnTestSupport {

    static Stream<ConformanceCorpus.Case> sample() {
        List<ConformanceCorpus.Case> all = ConformanceCorpus.all();
        List<ConformanceCorpus.Case> picked = new ArrayList<>();
        IntStream.range(0, all.size()).filter(i -> i % 200 == 7).forEach(i -> picked.add(all.get(i)));
        all.stream().filter(ConformanceCorpus.Case::expectsInvalidDefinition).findFirst().ifPresent(picked::add);
        return picked.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sample")
    void behavesAsAwsThroughTheCli(ConformanceCorpus.Case c, @TempDir Path home) throws Exception {
        assumeTrue(Files.isExecutable(AwsCliTest.AWS), "/usr/bin/aws (AWS CLI) is not installed; apt-get install "
                + "awscli");
        String name = "cli-" + UUID.randomUUID().toString().substring(0, 8);
        Path def = home.resolve("definition.asl.json");
        Files.writeString(def, c.definitionText());
        if (c.expectsInvalidDefinition()) {
            String out = AwsCliTest.awsFailing(sfnLocal, home, "create-state-machine", "--name", name, "--definition",
                    "file://" + def, "--role-arn", ROLE, "--type", c.type());
            assertThat(out).contains("InvalidDefinition").contains(c.expect().get("message").asText());
            return;
        }
        String machine = AwsCliTest.aws(sfnLocal, home, "create-state-machine", "--name", name, "--definition",
                "file://" + def, "--role-arn", ROLE, "--type", c.type()).get("stateMachineArn").asText();
        Path input = home.resolve("input.json");
        Files.writeString(input, c.inputText());
        String exec = AwsCliTest.aws(sfnLocal, home, "start-execution", "--state-machine-arn", machine, "--input",
                "file://" + input).get("executionArn").asText();
        await(exec);
        JsonNode events = AwsCliTest.aws(sfnLocal, home, "get-execution-history", "--execution-arn", exec)
                .get("events");
        List<String> types = new ArrayList<>();
        events.forEach(e -> types.add(e.get("type").asText()));
        JsonNode last = events.get(events.size() - 1);
        String status = switch (last.get("type").asText()) {
            case "ExecutionSucceeded" -> "SUCCEEDED";
            case "ExecutionFailed" -> "FAILED";
            default -> last.get("type").asText();
        };
        JsonNode succeeded = last.path("executionSucceededEventDetails");
        JsonNode failed = last.path("executionFailedEventDetails");
        ConformanceCorpusTest.check(c, status, succeeded.path("output").asText(null),
                failed.path("error").asText(null), failed.path("cause").asText(null), types);
    }
}
