package com.rackflow.customerimports;

import com.rackflow.access.AccessPolicy;
import com.rackflow.access.Caller;
import com.rackflow.access.Module;
import com.rackflow.access.RecordKind;
import com.rackflow.core.http.ApiException;
import com.rackflow.core.persistence.Table;
import com.rackflow.customers.CustomerService;
import com.rackflow.directory.StaffDirectory;
import com.rackflow.directory.StaffUser;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Customer imports (客户导入). A preview reads the file and checks every row (the customer module's rules, 查重
 * against the customers and between the rows) and writes nothing. A commit stores the file's rows in batches of
 * {@link #BATCH} and creates each OK row's customer through the customer module's own create (one unit of work:
 * the customer, its 查重 guards, its {@code IMPORTED} history entry naming the import, and the row's ledger item),
 * so a batch run again — after a crash, or a retried request — finds each row done once and creates nothing twice.
 * Who may import for whom is the create's rule: sales for themselves, managers within their department, admins anyone.
 */
public final class ImportService {
    public static final int BATCH = 100;
    private static final ZoneId BUSINESS_ZONE = ZoneId.of("Asia/Shanghai");

    private final ImportStore store;
    private final CustomerService customers;
    private final RowChecker checker;
    private final StaffDirectory directory;

    public ImportService(Table table) {
        this.store = new ImportStore(table);
        this.customers = new CustomerService(table);
        this.checker = new RowChecker(customers);
        this.directory = new StaffDirectory(table);
    }

    /** The file and the verdict on each row; nothing is written. */
    public record Preview(ImportFile file, List<RowCheck> rows) {
        public Map<RowCheck.Verdict, Long> counts() {
            Map<RowCheck.Verdict, Long> counts = new java.util.EnumMap<>(RowCheck.Verdict.class);
            for (RowCheck.Verdict v : RowCheck.Verdict.values()) {
                counts.put(v, rows.stream().filter(r -> r.verdict() == v).count());
            }
            return counts;
        }
    }

    public Preview preview(Caller caller, byte[] content, Optional<String> defaultOwnerId) {
        requireImporter(caller, defaultOwnerId);
        ImportFile file = ImportFile.read(content);
        Map<String, Integer> seen = new HashMap<>();
        List<RowCheck> checks = new java.util.ArrayList<>();
        for (int from = 0; from < file.rows().size(); from += BATCH) {
            checks.addAll(checker.check(caller, defaultOwnerId.orElse(null),
                    file.rows().subList(from, Math.min(file.rows().size(), from + BATCH)), seen));
        }
        return new Preview(file, checks);
    }

    /** Stores the file's rows and the import (RUNNING); {@link #run} then commits them. */
    public CustomerImport open(Caller caller, String fileName, byte[] content, Optional<String> defaultOwnerId) {
        requireImporter(caller, defaultOwnerId);
        ImportFile file = ImportFile.read(content);
        String now = Instant.now().toString();
        String id = "CI" + java.time.LocalDate.now(BUSINESS_ZONE).toString().replace("-", "") + "-"
                + UUID.randomUUID().toString().substring(0, 8);
        int batches = (file.rows().size() + BATCH - 1) / BATCH;
        for (int b = 0; b < batches; b++) {
            store.putBatch(id, b, file.rows().subList(b * BATCH, Math.min(file.rows().size(), (b + 1) * BATCH)));
        }
        CustomerImport i = new CustomerImport(id, CustomerImport.ImportStatus.RUNNING, fileName, file.format(), file.encoding(),
                caller.userId(), caller.departmentId(), defaultOwnerId.orElse(null), file.rows().size(), file.emptyRows(),
                batches, 0, 0, 0, 0, now, null, 1);
        store.insert(i);
        return i;
    }

    /**
     * Commits the import's batches that are not done, in order, until {@code budget} is spent (a function has a
     * timeout); then, when all are done, completes it with the counts of its ledger. Safe to run again at any time.
     */
    public CustomerImport run(String importId, Duration budget) {
        Instant until = Instant.now().plus(budget);
        CustomerImport i = store.require(importId);
        while (i.status() == CustomerImport.ImportStatus.RUNNING && i.batchesDone() < i.batches()) {
            if (Instant.now().isAfter(until)) {
                return i;
            }
            int batch = i.batchesDone();
            runBatch(importId, batch);
            i = store.update(importId, cur -> cur.batchesDone() > batch ? cur : cur.withBatchesDone(batch + 1));
        }
        return i.status() == CustomerImport.ImportStatus.RUNNING ? finish(importId) : i;
    }

    /** Commits one batch: each row without a result gets one (created, refused or duplicate), exactly once. */
    public void runBatch(String importId, int batch) {
        CustomerImport i = store.require(importId);
        Caller importer = importer(i);
        List<ImportFile.Row> rows = store.batch(importId, batch);
        if (rows.isEmpty()) {
            return;
        }
        Set<Integer> done = store.rows(importId, rows.get(0).number(), rows.get(rows.size() - 1).number()).stream()
                .map(RowResult::row).collect(Collectors.toSet());
        List<ImportFile.Row> pending = rows.stream().filter(r -> !done.contains(r.number())).toList();
        String note = "导入 " + importId;
        for (RowCheck c : checker.check(importer, i.defaultOwnerId(), pending, new HashMap<>())) {
            switch (c.verdict()) {
                case INVALID -> store.putRow(importId, new RowResult(c.row(), RowResult.Result.REFUSED, null, null, c.violations(), null));
                case DUPLICATE -> store.putRow(importId, new RowResult(c.row(), RowResult.Result.DUPLICATE, null, null, null, c.duplicate()));
                case OK -> create(importId, importer, c, note + " 第" + c.row() + "行");
            }
        }
    }

    private void create(String importId, Caller importer, RowCheck c, String note) {
        try {
            customers.create(importer, c.details(), Optional.ofNullable(c.ownerId()), "IMPORTED", note, (customer, uow) ->
                    uow.putIfAbsent(store.rowItem(importId, new RowResult(c.row(), RowResult.Result.CREATED,
                            customer.customerId(), customer.code(), null, null)), RowDone::new));
        } catch (RowDone e) {
            // an earlier run wrote this row's result: nothing to do
        } catch (ApiException e) {
            if ("DUPLICATE_CUSTOMER".equals(e.code())) {
                store.putRow(importId, new RowResult(c.row(), RowResult.Result.DUPLICATE, null, null, null, e.details()));
            } else if (e.status() == 400 || e.status() == 403) {
                store.putRow(importId, new RowResult(c.row(), RowResult.Result.REFUSED, null, null,
                        List.of(new RowCheck.RowViolation(ImportColumn.OWNER.field(), ImportColumn.OWNER.headingZh(),
                                e.status() == 403 ? "forbidden" : "assignable", e.getMessage())), null));
            } else {
                throw e;
            }
        }
    }

    /** The row's result is written already (by an earlier run of its batch). */
    static final class RowDone extends RuntimeException {
        RowDone() {
            super(null, null, false, false);
        }
    }

    /** Counts the ledger and completes the import. */
    public CustomerImport finish(String importId) {
        Map<RowResult.Result, Long> counts = store.rows(importId, null, null).stream()
                .collect(Collectors.groupingBy(RowResult::result, Collectors.counting()));
        Function<RowResult.Result, Integer> n = r -> counts.getOrDefault(r, 0L).intValue();
        String now = Instant.now().toString();
        return store.update(importId, cur -> cur.status() == CustomerImport.ImportStatus.COMPLETED ? cur
                : cur.completed(n.apply(RowResult.Result.CREATED), n.apply(RowResult.Result.REFUSED),
                n.apply(RowResult.Result.DUPLICATE), now));
    }

    public CustomerImport get(Caller caller, String importId) {
        return AccessPolicy.requireVisible(caller, RecordKind.CUSTOMER, store.find(importId).orElse(null), "customer import");
    }

    /** The input rows with each row's result (the import must be visible to the caller). */
    public ResultFile resultFile(Caller caller, String importId) {
        CustomerImport i = get(caller, importId);
        Map<Integer, RowResult> results = store.rows(importId, null, null).stream()
                .collect(Collectors.toMap(RowResult::row, r -> r));
        List<ImportFile.Row> input = new java.util.ArrayList<>();
        for (int b = 0; b < i.batches(); b++) {
            input.addAll(store.batch(importId, b));
        }
        return ResultFile.of(importId, input, results);
    }

    /** The caller may create customers, and give them to the default owner if one is named (400/403 otherwise). */
    private void requireImporter(Caller caller, Optional<String> defaultOwnerId) {
        AccessPolicy.requireModule(caller, Module.CUSTOMERS);
        AccessPolicy.requireCreator(caller, RecordKind.CUSTOMER, "customer");
        defaultOwnerId.ifPresent(o -> customers.requireAssignableOwner(caller, o, "defaultOwnerId"));
    }

    /** The importer as the directory knows them now: their current rights decide what the commit may create. */
    private Caller importer(CustomerImport i) {
        StaffUser u = directory.user(i.importedBy()).filter(StaffUser::isActive)
                .orElseThrow(() -> new IllegalStateException("the importer " + i.importedBy() + " is no longer active"));
        return new Caller(u.userId(), u.role(), u.departmentId());
    }
}
