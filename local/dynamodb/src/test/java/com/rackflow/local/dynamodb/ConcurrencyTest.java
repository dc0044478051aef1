package com.rackflow.local.dynamodb;

import static com.rackflow.local.dynamodb.Sdk.key;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Transfers between accounts as transactions, racing with plain writes to the same items, plain reads and
 * transactional reads: every read sees the total unchanged, and claims of one name made in parallel succeed once.
 */
class ConcurrencyTest {
    private static final int ACCOUNTS = 8;
    private static final int START = 100;

    @Test
    void transactionsAreSerializableAgainstEveryOtherOperation() throws Exception {
        DynamoDbClient db = Sdk.client(DynamoFront.shared().endpoint());
        String table = Sdk.table(db);
        for (int i = 0; i < ACCOUNTS; i++) {
            int n = i;
            db.putItem(p -> p.tableName(table).item(Map.of("pk", Sdk.s("acct-" + n), "sk", Sdk.s("A"),
                    "balance", AttributeValue.fromN(Integer.toString(START)), "touches", AttributeValue.fromN("0"))));
        }
        AtomicInteger transfers = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger touches = new AtomicInteger();
        ConcurrentLinkedQueue<Integer> seenTotals = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Future<?>> work = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            work.add(pool.submit(() -> {
                for (int i = 0; i < 25; i++) {
                    int from = ThreadLocalRandom.current().nextInt(ACCOUNTS);
                    int to = (from + 1 + ThreadLocalRandom.current().nextInt(ACCOUNTS - 1)) % ACCOUNTS;
                    int amount = 1 + ThreadLocalRandom.current().nextInt(60);
                    try {
                        db.transactWriteItems(t -> t.transactItems(
                                change(table, from, "balance = balance - :x", "balance >= :x", amount),
                                change(table, to, "balance = balance + :x", null, amount)));
                        transfers.incrementAndGet();
                    } catch (TransactionCanceledException overdrawn) {
                        refused.incrementAndGet();
                    }
                }
            }));
        }
        for (int w = 0; w < 2; w++) {
            work.add(pool.submit(() -> {
                for (int i = 0; i < 30; i++) {
                    int n = ThreadLocalRandom.current().nextInt(ACCOUNTS);
                    db.updateItem(u -> u.tableName(table).key(key("acct-" + n)).updateExpression("ADD touches :one")
                            .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))));
                    touches.incrementAndGet();
                }
            }));
        }
        work.add(pool.submit(() -> {
            for (int i = 0; i < 30; i++) {
                seenTotals.add(db.scan(s -> s.tableName(table).consistentRead(true)).items().stream()
                        .filter(it -> it.containsKey("balance")).mapToInt(it -> Integer.parseInt(it.get("balance").n())).sum());
            }
        }));
        work.add(pool.submit(() -> {
            for (int i = 0; i < 30; i++) {
                seenTotals.add(db.transactGetItems(t -> t.transactItems(accounts(table))).responses().stream()
                        .mapToInt(r -> Integer.parseInt(r.item().get("balance").n())).sum());
            }
        }));
        String[] winners = new String[8];
        for (int c = 0; c < winners.length; c++) {
            int claimant = c;
            work.add(pool.submit(() -> {
                try {
                    db.transactWriteItems(t -> t.transactItems(
                            TransactWriteItem.builder().put(p -> p.tableName(table).item(Map.of("pk", Sdk.s("name#ACME"), "sk", Sdk.s("A"),
                                    "owner", Sdk.s("claimant-" + claimant))).conditionExpression("attribute_not_exists(pk)")).build(),
                            TransactWriteItem.builder().put(p -> p.tableName(table).item(Map.of("pk", Sdk.s("record-" + claimant), "sk", Sdk.s("A"))))
                                    .build()));
                    winners[claimant] = "won";
                } catch (TransactionCanceledException taken) {
                    winners[claimant] = "lost";
                }
            }));
        }
        for (Future<?> f : work) {
            f.get();
        }
        pool.shutdown();

        assertThat(seenTotals).hasSize(60).allMatch(t -> t == ACCOUNTS * START);
        List<Map<String, AttributeValue>> end = db.scan(s -> s.tableName(table).consistentRead(true)).items();
        assertThat(end.stream().filter(it -> it.containsKey("balance")).mapToInt(it -> Integer.parseInt(it.get("balance").n())).sum())
                .isEqualTo(ACCOUNTS * START);
        assertThat(end.stream().filter(it -> it.containsKey("balance")).allMatch(it -> Integer.parseInt(it.get("balance").n()) >= 0)).isTrue();
        assertThat(end.stream().filter(it -> it.containsKey("touches")).mapToInt(it -> Integer.parseInt(it.get("touches").n())).sum())
                .isEqualTo(touches.get());
        assertThat(transfers.get() + refused.get()).isEqualTo(100);
        assertThat(List.of(winners)).containsOnlyOnce("won");
        long records = end.stream().filter(it -> it.get("pk").s().startsWith("record-")).count();
        assertThat(records).isEqualTo(1);
        System.out.printf("transfers %d, refused as overdrawn %d, plain updates %d, totals read %d%n",
                transfers.get(), refused.get(), touches.get(), seenTotals.size());
    }

    private static TransactWriteItem change(String table, int account, String set, String condition, int amount) {
        return TransactWriteItem.builder().update(u -> u.tableName(table).key(key("acct-" + account)).updateExpression("SET " + set)
                .conditionExpression(condition).expressionAttributeValues(Map.of(":x", AttributeValue.fromN(Integer.toString(amount))))).build();
    }

    private static List<software.amazon.awssdk.services.dynamodb.model.TransactGetItem> accounts(String table) {
        List<software.amazon.awssdk.services.dynamodb.model.TransactGetItem> gets = new ArrayList<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            int n = i;
            gets.add(software.amazon.awssdk.services.dynamodb.model.TransactGetItem.builder()
                    .get(g -> g.tableName(table).key(key("acct-" + n))).build());
        }
        return gets;
    }
}
