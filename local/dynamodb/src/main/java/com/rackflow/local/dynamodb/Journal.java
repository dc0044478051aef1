package com.rackflow.local.dynamodb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Pre-images of the items a transaction is about to change, on disk (fsync'd) before the first change. A transaction
 * whose entry is still there after a crash is rolled back to its pre-images at the next start. Without a folder the
 * entries live in memory only (no crash safety, still all-or-nothing while the process lives).
 */
final class Journal {

    /** The saved state of one item: {@code before} null when the item did not exist. */
    record PreImage(String table, ObjectNode key, ObjectNode before) {
    }

    record Entry(String id, List<PreImage> items, Path file) {
    }

    private final Path dir;
    private final AtomicLong sequence = new AtomicLong();

    Journal(Path dir) {
        this.dir = dir;
        if (dir != null) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the transaction journal folder " + dir, e);
            }
        }
    }

    Path dir() {
        return dir;
    }

    Entry begin(List<PreImage> items) {
        String id = System.currentTimeMillis() + "-" + ProcessHandle.current().pid() + "-" + sequence.incrementAndGet();
        if (dir == null) {
            return new Entry(id, items, null);
        }
        ObjectNode json = DynaliteHttp.JSON.createObjectNode().put("id", id);
        ArrayNode list = json.putArray("items");
        for (PreImage p : items) {
            ObjectNode o = list.addObject().put("TableName", p.table());
            o.set("Key", p.key());
            if (p.before() != null) {
                o.set("Before", p.before());
            }
        }
        Path file = dir.resolve("tx-" + id + ".json");
        try {
            writeDurably(file, DynaliteHttp.JSON.writeValueAsBytes(json), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the transaction journal " + file, e);
        }
        return new Entry(id, items, file);
    }

    /** The transaction is settled (committed or rolled back): its pre-images are no longer needed. */
    void end(Entry entry) {
        if (entry.file() != null) {
            try {
                Files.deleteIfExists(entry.file());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove the transaction journal " + entry.file(), e);
            }
        }
    }

    /** Entries left by a process that stopped mid-transaction; those in {@code committed} are only removed. */
    List<Entry> unfinished(Set<String> committed) {
        List<Entry> out = new ArrayList<>();
        if (dir == null) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("tx-")).sorted().toList()) {
                JsonNode json;
                try {
                    json = DynaliteHttp.JSON.readTree(f.toFile());
                } catch (IOException torn) {
                    // written only partly: the process stopped before the fsync, so nothing was applied
                    Files.deleteIfExists(f);
                    continue;
                }
                if (json == null || !json.has("items") || committed.contains(json.path("id").asText())) {
                    Files.deleteIfExists(f);
                    continue;
                }
                List<PreImage> items = new ArrayList<>();
                json.path("items").forEach(i -> items.add(new PreImage(i.path("TableName").asText(), (ObjectNode) i.get("Key"),
                        i.has("Before") ? (ObjectNode) i.get("Before") : null)));
                out.add(new Entry(json.path("id").asText(), items, f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the transaction journal " + dir, e);
        }
        return out;
    }

    static void writeDurably(Path file, byte[] bytes, boolean append) throws IOException {
        StandardOpenOption mode = append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        try (FileChannel d = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException notSupported) {
            // some file systems cannot sync a folder; the file itself is synced
        }
    }
}
