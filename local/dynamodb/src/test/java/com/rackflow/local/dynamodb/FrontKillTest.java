package com.rackflow.local.dynamodb;

import static com.rackflow.local.dynamodb.Sdk.item;
import static com.rackflow.local.dynamodb.Sdk.key;
import static com.rackflow.local.dynamodb.Sdk.s;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.rackflow.local.dynalite.Dynalite;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/** The front as a process of its own, killed with SIGKILL half-way through a transaction and started again. */
class FrontKillTest {

    @TempDir
    Path dir;

    @Test
    void aTransactionKilledHalfWayIsWhollyUndoneAtTheNextStart() throws Exception {
        DynamoDbClient direct = Sdk.client(Dynalite.shared().endpoint());
        String table = Sdk.table(direct);
        direct.putItem(p -> p.tableName(table).item(item("k-update", "v", "old")));
        direct.putItem(p -> p.tableName(table).item(item("k-delete")));
        List<TransactWriteItem> tx = List.of(
                TransactWriteItem.builder().put(p -> p.tableName(table).item(item("k-new", "v", "new")).conditionExpression("attribute_not_exists(pk)")).build(),
                TransactWriteItem.builder().update(u -> u.tableName(table).key(key("k-update")).updateExpression("SET v = :v")
                        .expressionAttributeValues(Map.of(":v", s("new")))).build(),
                TransactWriteItem.builder().delete(d -> d.tableName(table).key(key("k-delete"))).build());

        Front paused = launch(dir.resolve("journal"), "60000");
        try {
            DynamoDbClient viaFront = Sdk.client(await(paused));
            CompletableFuture<?> inFlight = CompletableFuture.runAsync(() -> viaFront.transactWriteItems(t -> t.transactItems(tx)));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (get(direct, table, "k-new").isEmpty()) {
                assertThat(System.nanoTime()).as("the first action reached dynalite").isLessThan(deadline);
                Thread.sleep(20);
            }
            assertThat(get(direct, table, "k-update")).as("half-way: the second action is not applied yet").containsEntry("v", s("old"));
            paused.process().destroyForcibly(); // SIGKILL: no shutdown hook runs
            assertThat(paused.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(inFlight).failsWithin(30, TimeUnit.SECONDS);
        } finally {
            paused.process().destroyForcibly();
        }

        Front restarted = launch(dir.resolve("journal"), null);
        try {
            DynamoDbClient viaFront = Sdk.client(await(restarted));
            assertThat(get(viaFront, table, "k-new")).isEmpty();
            assertThat(get(viaFront, table, "k-update")).containsEntry("v", s("old"));
            assertThat(get(viaFront, table, "k-delete")).isNotEmpty();
            try (var files = Files.list(dir.resolve("journal"))) {
                assertThat(files.filter(f -> f.getFileName().toString().startsWith("tx-"))).isEmpty();
            }

            String token = UUID.randomUUID().toString();
            viaFront.transactWriteItems(t -> t.clientRequestToken(token).transactItems(tx));
            assertThat(get(viaFront, table, "k-new")).containsEntry("v", s("new"));
            assertThat(get(viaFront, table, "k-update")).containsEntry("v", s("new"));
            assertThat(get(viaFront, table, "k-delete")).isEmpty();
            restarted.process().destroyForcibly();
            assertThat(restarted.process().waitFor(10, TimeUnit.SECONDS)).isTrue();

            // the token outlives the process: the retry is answered as done, not re-applied (its Put would now fail)
            Front third = launch(dir.resolve("journal"), null);
            try {
                DynamoDbClient again = Sdk.client(await(third));
                again.transactWriteItems(t -> t.clientRequestToken(token).transactItems(tx));
                assertThat(get(again, table, "k-new")).containsEntry("v", s("new"));
            } finally {
                third.process().destroyForcibly();
            }
        } finally {
            restarted.process().destroyForcibly();
        }
    }

    /** A front process; what it prints goes to {@code log}. */
    private record Front(Process process, Path log) {
    }

    private static Front launch(Path journal, String pauseMs) throws IOException {
        Path log = journal.resolveSibling("front-" + System.nanoTime() + ".log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), DynamoFront.class.getName(),
                "--dynalite", Dynalite.shared().endpoint().toString(), "--port", "0", "--journal", journal.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().remove(Transactions.PAUSE_ENV);
        if (pauseMs != null) {
            pb.environment().put(Transactions.PAUSE_ENV, pauseMs);
        }
        return new Front(pb.start(), log);
    }

    /** The front's endpoint once it serves (after replaying its journal). */
    private static URI await(Front front) throws Exception {
        Process p = front.process();
        Path log = front.log();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                if (line.startsWith("DynamoDB front listening on ")) {
                    return URI.create(line.substring("DynamoDB front listening on ".length()).trim());
                }
            }
            assertThat(p.isAlive()).as("front process: %s", Files.readString(log)).isTrue();
            Thread.sleep(50);
        }
        throw new AssertionError("the front did not start: " + Files.readString(log));
    }

    private static Map<String, AttributeValue> get(DynamoDbClient db, String table, String pk) {
        return db.getItem(g -> g.tableName(table).key(key(pk)).consistentRead(true)).item();
    }
}
