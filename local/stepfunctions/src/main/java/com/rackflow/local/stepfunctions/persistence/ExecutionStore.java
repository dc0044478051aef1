package com.rackflow.local.stepfunctions.persistence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.local.stepfunctions.asl.Json;
import com.rackflow.local.stepfunctions.engine.Checkpoint;
import com.rackflow.local.stepfunctions.engine.Execution;
import com.rackflow.local.stepfunctions.engine.ExecutionListener;
import com.rackflow.local.stepfunctions.engine.ExecutionStatus;
import com.rackflow.local.stepfunctions.engine.GroupProgress;
import com.rackflow.local.stepfunctions.engine.HistoryEvent;
import com.rackflow.local.stepfunctions.engine.StateMachine;
import com.rackflow.local.stepfunctions.engine.StateMachineType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Keeps state machines, executions (status, result, checkpoint, pending task token) and their histories under a
 * data folder: {@code state-machines/<name>.json}, {@code executions/<key>/execution.json} (rewritten atomically) and
 * {@code executions/<key>/history.jsonl} (one event per line, appended; a torn last line is ignored on load).
 */
public final class ExecutionStore implements ExecutionListener {

    private final Path root;
    private volatile boolean closed;

    public ExecutionStore(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root.resolve("state-machines"));
            Files.createDirectories(root.resolve("executions"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the Step Functions data folder " + root, e);
        }
    }

    /** A restored execution and its history. */
    public record Restored(Execution execution, List<HistoryEvent> history) {
    }

    private boolean persisted(Execution e) {
        return !closed && e.stateMachine().type() == StateMachineType.STANDARD;
    }

    /**
     * Stops writing: called when the host shuts down, so that executions interrupted by the shutdown stay RUNNING
     * on disk and resume on the next start.
     */
    public void close() {
        closed = true;
    }

    private Path dir(Execution e) {
        return root.resolve("executions").resolve(key(e.arn()));
    }

    static String key(String arn) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(arn.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Override
    public void onEvent(Execution execution, HistoryEvent event) {
        if (!persisted(execution)) {
            return;
        }
        Path d = dir(execution);
        try {
            if (event.id() == 1) {
                Files.createDirectories(d);
                writeExecution(execution);
            }
            Files.writeString(d.resolve("history.jsonl"), Json.write(event.toJson()) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean recordsChildProgress() {
        return true;
    }

    /** Progress of a Map or Parallel attempt, appended to {@code children.jsonl} (read back on restart). */
    @Override
    public void onChildProgress(Execution execution, ObjectNode record) {
        if (!persisted(execution)) {
            return;
        }
        try {
            Files.writeString(dir(execution).resolve("children.jsonl"), Json.write(record) + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void onCheckpoint(Execution execution) {
        if (persisted(execution)) {
            writeExecution(execution);
        }
    }

    @Override
    public void onFinish(Execution execution) {
        if (persisted(execution)) {
            writeExecution(execution); // with the redrive point and its finished children
            try {
                Files.deleteIfExists(dir(execution).resolve("children.jsonl")); // needed only while it runs
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private synchronized void writeExecution(Execution e) {
        ObjectNode n = Json.object();
        n.put("arn", e.arn());
        n.put("name", e.name());
        n.set("stateMachine", stateMachineJson(e.stateMachine()));
        n.put("input", e.input());
        n.put("startDate", e.startDate().toEpochMilli());
        n.put("status", e.status().name());
        n.put("output", e.output());
        n.put("error", e.error());
        n.put("cause", e.cause());
        if (e.stopDate() != null) {
            n.put("stopDate", e.stopDate().toEpochMilli());
        }
        n.put("redriveCount", e.redriveCount());
        if (e.redriveDate() != null) {
            n.put("redriveDate", e.redriveDate().toEpochMilli());
        }
        if (e.checkpoint() != null) {
            n.set("checkpoint", e.checkpoint().toJson());
        }
        if (e.redrivePoint() != null) {
            n.set("redrivePoint", e.redrivePoint().toJson());
            ObjectNode children = n.putObject("redriveChildren");
            e.redriveChildren().forEach((index, result) -> children.set(String.valueOf(index), result));
        }
        atomicWrite(dir(e).resolve("execution.json"), Json.write(n));
    }

    private void atomicWrite(Path target, String text) {
        try {
            Files.createDirectories(target.getParent());
            Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode stateMachineJson(StateMachine m) {
        ObjectNode n = Json.object();
        n.put("arn", m.arn());
        n.put("name", m.name());
        n.put("definition", m.definition());
        n.put("roleArn", m.roleArn());
        n.put("type", m.type().name());
        n.put("creationDate", m.creationDate().toEpochMilli());
        n.put("updateDate", m.updateDate().toEpochMilli());
        n.put("revisionId", m.revisionId());
        return n;
    }

    static StateMachine stateMachine(JsonNode n) {
        return new StateMachine(n.get("arn").asText(), n.get("name").asText(), n.get("definition").asText(),
                n.get("roleArn").asText(), StateMachineType.valueOf(n.get("type").asText()),
                Instant.ofEpochMilli(n.get("creationDate").asLong()), Instant.ofEpochMilli(n.get("updateDate")
                .asLong()), n.get("revisionId").asText());
    }

    public void saveStateMachine(StateMachine m) {
        atomicWrite(root.resolve("state-machines").resolve(key(m.arn()) + ".json"), Json.write(stateMachineJson(m)));
    }

    public void deleteStateMachine(StateMachine m) {
        try {
            Files.deleteIfExists(root.resolve("state-machines").resolve(key(m.arn()) + ".json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<StateMachine> loadStateMachines() {
        List<StateMachine> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(root.resolve("state-machines"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                out.add(stateMachine(Json.parse(Files.readString(p))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    public List<Restored> loadExecutions() {
        List<Restored> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root.resolve("executions"))) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                Path meta = d.resolve("execution.json");
                if (!Files.exists(meta)) {
                    continue;
                }
                JsonNode n = Json.parse(Files.readString(meta));
                Execution e = new Execution(n.get("arn").asText(), n.get("name").asText(),
                        stateMachine(n.get("stateMachine")), n.get("input").asText(),
                        Instant.ofEpochMilli(n.get("startDate").asLong()));
                e.restoreOutcome(ExecutionStatus.valueOf(n.get("status").asText()), text(n, "output"),
                        text(n, "error"), text(n, "cause"), n.has("stopDate") ? Instant.ofEpochMilli(
                                n.get("stopDate").asLong()) : null);
                if (e.status() == ExecutionStatus.RUNNING) {
                    e.checkpoint(Checkpoint.fromJson(n.get("checkpoint")));
                }
                e.restoreRedrive(n.path("redriveCount").asInt(0), n.hasNonNull("redriveDate")
                        ? Instant.ofEpochMilli(n.get("redriveDate").asLong()) : null,
                        e.status() == ExecutionStatus.RUNNING ? null : Checkpoint.fromJson(n.get("redrivePoint")),
                        indexed(n.path("redriveChildren")));
                List<HistoryEvent> history = new ArrayList<>();
                for (JsonNode event : lines(d.resolve("history.jsonl"))) {
                    history.add(HistoryEvent.fromJson(event));
                }
                if (e.status() == ExecutionStatus.RUNNING) {
                    e.restoreGroups(GroupProgress.fold(lines(d.resolve("children.jsonl"))));
                }
                out.add(new Restored(e, contiguous(history)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The JSON lines of an appended file, up to a torn last line (a crash while it was written). */
    private static List<JsonNode> lines(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            try {
                out.add(Json.parse(line));
            } catch (IllegalArgumentException torn) {
                break;
            }
        }
        return out;
    }

    /**
     * Events of parallel branches may reach the file out of id order; a crash may leave a gap. Keeps events 1..n in
     * id order, up to the first missing one.
     */
    static List<HistoryEvent> contiguous(List<HistoryEvent> events) {
        List<HistoryEvent> sorted = new ArrayList<>(events);
        sorted.sort(java.util.Comparator.comparingLong(HistoryEvent::id));
        List<HistoryEvent> out = new ArrayList<>();
        for (HistoryEvent ev : sorted) {
            if (ev.id() == out.size() + 1) {
                out.add(ev);
            } else if (ev.id() > out.size() + 1) {
                break;
            }
        }
        return out;
    }

    /** Rewrites a history after it was cut back to a checkpoint on restore. */
    public void rewriteHistory(Execution e) {
        StringBuilder b = new StringBuilder();
        for (HistoryEvent ev : e.history()) {
            b.append(Json.write(ev.toJson())).append('\n');
        }
        atomicWrite(dir(e).resolve("history.jsonl"), b.toString());
    }

    private static java.util.Map<Integer, JsonNode> indexed(JsonNode object) {
        java.util.Map<Integer, JsonNode> out = new java.util.HashMap<>();
        object.fields().forEachRemaining(f -> out.put(Integer.parseInt(f.getKey()), f.getValue()));
        return out;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
