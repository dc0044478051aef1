package com.rackflow.customerimports;

import com.fasterxml.jackson.core.type.TypeReference;
import com.rackflow.core.json.Json;
import com.rackflow.core.persistence.Items;
import com.rackflow.core.persistence.Key;
import com.rackflow.core.persistence.KeyQuery;
import com.rackflow.core.persistence.Keys;
import com.rackflow.core.persistence.Page;
import com.rackflow.core.persistence.Pager;
import com.rackflow.core.persistence.Table;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * An import's items (keys: docs/keys.md, "Customer imports"), all in its partition {@code CUSTOMER_IMPORT#<id>}: the
 * record, the batches of rows read from the file, the dry run's verdicts per batch, one ledger item per row's result,
 * and one item per committed batch with that batch's counts (the commit's progress).
 */
final class ImportStore {
    private static final int ATTEMPTS = 10;
    static final String PREVIEW_PREFIX = "PREVIEW#";
    static final String DONE_PREFIX = "DONE#";
    private final Table table;

    ImportStore(Table table) {
        this.table = table;
    }

    Optional<CustomerImport> find(String importId) {
        if (importId == null || importId.isBlank() || importId.length() > 64) {
            return Optional.empty();
        }
        return table.get(Keys.record(Keys.CUSTOMER_IMPORT, importId)).map(i -> Items.toRecord(i, CustomerImport.class));
    }

    CustomerImport require(String importId) {
        return find(importId).orElseThrow(() -> new IllegalArgumentException("no customer import " + importId));
    }

    Map<String, AttributeValue> item(CustomerImport i) {
        Map<String, AttributeValue> item = new HashMap<>(Items.fromRecord(i));
        item.putAll(Keys.record(Keys.CUSTOMER_IMPORT, i.importId()).toMap());
        return item;
    }

    void insert(CustomerImport i) {
        if (!table.putIfAbsent(item(i))) {
            throw new IllegalStateException("customer import " + i.importId() + " exists");
        }
    }

    /** Applies {@code change} to the current version until the write is not stale. */
    CustomerImport update(String importId, UnaryOperator<CustomerImport> change) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            CustomerImport current = require(importId);
            CustomerImport next = change.apply(current);
            if (next == current || table.putIfVersion(item(next), current.version())) {
                return next;
            }
        }
        throw new IllegalStateException("customer import " + importId + " kept changing; try again");
    }

    void putBatch(String importId, int run, int batch, List<ImportFile.Row> rows) {
        Map<String, AttributeValue> item = new HashMap<>(Keys.importBatch(importId, run, batch).toMap());
        item.put("rows", Items.s(Json.write(rows)));
        table.put(item);
    }

    List<ImportFile.Row> batch(String importId, int run, int batch) {
        var item = table.get(Keys.importBatch(importId, run, batch))
                .orElseThrow(() -> new IllegalStateException("import " + importId + " has no batch " + batch + " of run " + run));
        return read(item.get("rows").s(), new TypeReference<List<ImportFile.Row>>() { });
    }

    /**
     * Deletes the batches and verdicts of the dry runs before {@code run}: nothing reads them once a later run has
     * started (the file was uploaded again), and they hold the old file's rows. Deleting an already deleted item is a
     * no-op, so a rerun of the step deletes nothing twice.
     */
    void dropRunsBefore(String importId, int run) {
        if (run <= 1) {
            return;
        }
        String pk = recordKey(importId).pk();
        for (String prefix : List.of(Keys.IMPORT_BATCH_PREFIX, PREVIEW_PREFIX)) {
            KeyQuery earlier = KeyQuery.between(null, pk, prefix + run(1) + "#", prefix + run(run - 1) + "#9999");
            table.queryAll(earlier).forEach(i -> table.delete(new Key(i.get("pk").s(), i.get("sk").s())));
        }
    }

    /** The dry run's verdicts on one batch's rows, under the run's number (the same run again writes the same). */
    void putPreview(String importId, int run, int batch, List<RowCheck> checks) {
        Map<String, AttributeValue> item = new HashMap<>(previewKey(importId, run, batch).toMap());
        item.put("checks", Items.s(Json.write(checks.stream()
                .map(c -> new PreviewRow(c.row(), c.verdict(), c.violations(), c.duplicate())).toList())));
        table.put(item);
    }

    /** A page of the dry run {@code run}'s verdicts (no other run's): one batch (up to 100 rows) per page, in row order. */
    Page<List<PreviewRow>> previewPage(String importId, int run, String cursor) {
        KeyQuery q = KeyQuery.on(null, recordKey(importId).pk(), PREVIEW_PREFIX + run(run) + "#").oldestFirst();
        return Pager.page(table, List.of(q), cursor, 1,
                i -> read(i.get("checks").s(), new TypeReference<List<PreviewRow>>() { }), x -> true);
    }

    /** A row's verdict in the dry run, as stored and shown. */
    record PreviewRow(int row, RowCheck.Verdict status, List<RowCheck.RowViolation> violations, Map<String, Object> duplicate) {
    }

    /** The ledger item of a row's result (written once: conditional put, or in the created customer's transaction). */
    Map<String, AttributeValue> rowItem(String importId, RowResult r) {
        Map<String, AttributeValue> item = new HashMap<>(Keys.importRow(importId, r.row()).toMap());
        item.put("result", Items.s(Json.write(r)));
        return item;
    }

    /** Writes a row's result unless the row has one; whether this call wrote it. */
    boolean putRow(String importId, RowResult r) {
        return table.putIfAbsent(rowItem(importId, r));
    }

    /** The results of the rows numbered {@code from} to {@code to} (inclusive), or of all rows when both are null. */
    List<RowResult> rows(String importId, Integer from, Integer to) {
        String pk = recordKey(importId).pk();
        KeyQuery q = from == null ? KeyQuery.on(null, pk, Keys.IMPORT_ROW_PREFIX).oldestFirst()
                : KeyQuery.between(null, pk, Keys.importRow(importId, from).sk(), Keys.importRow(importId, to).sk()).oldestFirst();
        return table.queryAll(q).stream().map(i -> read(i.get("result").s(), RowResult.class)).toList();
    }

    /** A committed batch's counts (from its rows' ledger items, so writing it again writes the same). */
    record BatchDone(int batch, int created, int refused, int duplicate) {
    }

    void putDone(String importId, BatchDone done) {
        Map<String, AttributeValue> item = new HashMap<>(new Key(recordKey(importId).pk(),
                DONE_PREFIX + String.format("%04d", done.batch())).toMap());
        item.put("done", Items.s(Json.write(done)));
        table.put(item);
    }

    List<BatchDone> done(String importId) {
        return table.queryAll(KeyQuery.on(null, recordKey(importId).pk(), DONE_PREFIX).oldestFirst()).stream()
                .map(i -> read(i.get("done").s(), BatchDone.class)).toList();
    }

    /** {@code PREVIEW#<run, 4 digits>#<batch, 4 digits>}. */
    static Key previewKey(String importId, int run, int batch) {
        return new Key(recordKey(importId).pk(), PREVIEW_PREFIX + run(run) + "#" + String.format("%04d", batch));
    }

    private static String run(int run) {
        return String.format("%04d", run);
    }

    static Key recordKey(String importId) {
        return Keys.record(Keys.CUSTOMER_IMPORT, importId);
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return Json.MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return Json.MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
