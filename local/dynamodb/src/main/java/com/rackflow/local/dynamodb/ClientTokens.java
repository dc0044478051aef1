package com.rackflow.local.dynamodb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code ClientRequestToken}s of committed transactions, for 10 minutes after the commit: the request they came with,
 * the answer, and what reading the items costs (a repeat answers with read units). Kept in a file next to the journal
 * (appended and fsync'd before the commit is acknowledged) so a restart does not forget them.
 */
final class ClientTokens {
    static final Duration WINDOW = Duration.ofMinutes(10);

    record Committed(String token, String transactionId, JsonNode request, ObjectNode response, ObjectNode readUnits,
            long committedAtMillis) {
    }

    private final Path file;
    private final LongSupplier clock;
    private final Map<String, Committed> byToken = new ConcurrentHashMap<>();
    private final Set<String> committedAtStart = new HashSet<>();

    ClientTokens(Path dir, LongSupplier clock) {
        this.file = dir == null ? null : dir.resolve("client-request-tokens.jsonl");
        this.clock = clock;
        load();
    }

    Committed find(String token) {
        Committed c = byToken.get(token);
        if (c != null && clock.getAsLong() - c.committedAtMillis() >= WINDOW.toMillis()) {
            byToken.remove(token);
            return null;
        }
        return c;
    }

    void remember(Committed c) {
        if (file != null) {
            ObjectNode line = DynaliteHttp.JSON.createObjectNode().put("token", c.token()).put("transactionId", c.transactionId())
                    .put("at", c.committedAtMillis());
            line.set("request", c.request());
            line.set("response", c.response());
            line.set("readUnits", c.readUnits());
            try {
                Journal.writeDurably(file, (DynaliteHttp.JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8), true);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot record the client request token in " + file, e);
            }
        }
        byToken.put(c.token(), c);
    }

    /** Transactions recorded as committed (their journal entries must not be rolled back). */
    Set<String> committedTransactions() {
        Set<String> ids = new HashSet<>(committedAtStart);
        byToken.values().forEach(c -> ids.add(c.transactionId()));
        return ids;
    }

    private void load() {
        if (file == null || !Files.exists(file)) {
            return;
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            long now = clock.getAsLong();
            StringBuilder live = new StringBuilder();
            for (String l : lines) {
                JsonNode j;
                try {
                    j = DynaliteHttp.JSON.readTree(l);
                } catch (IOException torn) {
                    continue; // the last line, cut by a crash before its fsync: that commit was never acknowledged
                }
                if (j == null) {
                    continue;
                }
                committedAtStart.add(j.path("transactionId").asText());
                if (now - j.path("at").asLong() >= WINDOW.toMillis()) {
                    continue;
                }
                byToken.put(j.path("token").asText(), new Committed(j.path("token").asText(), j.path("transactionId").asText(),
                        j.get("request"), (ObjectNode) j.get("response"), (ObjectNode) j.get("readUnits"), j.path("at").asLong()));
                live.append(l).append('\n');
            }
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Journal.writeDurably(tmp, live.toString().getBytes(StandardCharsets.UTF_8), false);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read client request tokens from " + file, e);
        }
    }
}
