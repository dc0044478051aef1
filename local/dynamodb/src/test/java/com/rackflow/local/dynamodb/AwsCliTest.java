package com.rackflow.local.dynamodb;

import static com.rackflow.local.dynamodb.Sdk.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** {@code aws dynamodb transact-write-items / transact-get-items} against the front. */
class AwsCliTest {

    private record Result(int exit, String out) {
    }

    @Test
    void cliTransactionsCommitCancelAndRead(@TempDir Path home) throws Exception {
        Optional<Path> aws = awsCli();
        assumeTrue(aws.isPresent(), "the AWS CLI is not installed (/usr/bin/aws, e.g. apt-get install awscli): CLI conformance skipped");
        DynamoDbClient db = Sdk.client(DynamoFront.shared().endpoint());
        String table = Sdk.table(db);

        Path ok = home.resolve("ok.json");
        Files.writeString(ok, "[{\"Put\":{\"TableName\":\"" + table + "\",\"Item\":{\"pk\":{\"S\":\"cli-1\"},\"sk\":{\"S\":\"A\"},\"n\":{\"N\":\"1\"}},"
                + "\"ConditionExpression\":\"attribute_not_exists(pk)\"}},"
                + "{\"Put\":{\"TableName\":\"" + table + "\",\"Item\":{\"pk\":{\"S\":\"cli-2\"},\"sk\":{\"S\":\"A\"}}}}]");
        Result written = aws(aws.get(), home, "transact-write-items", "--transact-items", "file://" + ok,
                "--return-consumed-capacity", "TOTAL", "--client-request-token", "cli-token-1");
        assertThat(written.exit()).as(written.out()).isZero();
        JsonNode capacity = DynaliteHttp.JSON.readTree(written.out()).path("ConsumedCapacity").get(0);
        assertThat(capacity.path("TableName").asText()).isEqualTo(table);
        assertThat(capacity.path("WriteCapacityUnits").asDouble()).isEqualTo(4.0);
        assertThat(db.getItem(g -> g.tableName(table).key(key("cli-2")).consistentRead(true)).item()).isNotEmpty();

        Result repeated = aws(aws.get(), home, "transact-write-items", "--transact-items", "file://" + ok,
                "--client-request-token", "cli-token-1");
        assertThat(repeated.exit()).as(repeated.out()).isZero();

        Result cancelled = aws(aws.get(), home, "transact-write-items", "--transact-items", "file://" + ok);
        assertThat(cancelled.exit()).isNotZero();
        assertThat(cancelled.out()).contains("TransactionCanceledException")
                .contains("Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None]");

        Path get = home.resolve("get.json");
        Files.writeString(get, "[{\"Get\":{\"TableName\":\"" + table + "\",\"Key\":{\"pk\":{\"S\":\"cli-1\"},\"sk\":{\"S\":\"A\"}}}},"
                + "{\"Get\":{\"TableName\":\"" + table + "\",\"Key\":{\"pk\":{\"S\":\"cli-none\"},\"sk\":{\"S\":\"A\"}}}}]");
        Result read = aws(aws.get(), home, "transact-get-items", "--transact-items", "file://" + get);
        assertThat(read.exit()).as(read.out()).isZero();
        JsonNode responses = DynaliteHttp.JSON.readTree(read.out()).path("Responses");
        assertThat(responses.get(0).path("Item").path("n").path("N").asText()).isEqualTo("1");
        assertThat(responses.get(1).has("Item")).isFalse();

        Path other = home.resolve("other.json");
        Files.writeString(other, "[{\"Put\":{\"TableName\":\"" + table + "\",\"Item\":{\"pk\":{\"S\":\"cli-3\"},\"sk\":{\"S\":\"A\"}}}}]");
        Result mismatch = aws(aws.get(), home, "transact-write-items", "--transact-items", "file://" + other,
                "--client-request-token", "cli-token-1");
        assertThat(mismatch.exit()).isNotZero();
        assertThat(mismatch.out()).contains("IdempotentParameterMismatchException");
        assertThat(db.getItem(g -> g.tableName(table).key(key("cli-3")).consistentRead(true)).item()).isEmpty();
    }

    private static Result aws(Path cli, Path home, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(cli.toString(), "dynamodb"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--endpoint-url", DynamoFront.shared().endpoint().toString(), "--output", "json"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("AWS_ACCESS_KEY_ID", "local");
        pb.environment().put("AWS_SECRET_ACCESS_KEY", "local");
        pb.environment().put("AWS_DEFAULT_REGION", "us-east-1");
        pb.environment().put("AWS_REGION", "us-east-1");
        pb.environment().put("AWS_PAGER", "");
        pb.environment().put("AWS_MAX_ATTEMPTS", "1");
        pb.environment().put("HOME", home.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    /** Debian's awscli at /usr/bin/aws (what CI installs), else an {@code aws} on PATH. */
    private static Optional<Path> awsCli() {
        Path debian = Path.of("/usr/bin/aws");
        if (Files.isExecutable(debian)) {
            return Optional.of(debian);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, "aws");
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
