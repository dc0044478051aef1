package com.rackflow.customerimports;

import com.rackflow.access.AccessPolicy;
import com.rackflow.access.Caller;
import com.rackflow.access.Module;
import com.rackflow.access.RecordKind;
import com.rackflow.core.aws.S3Files;
import com.rackflow.core.http.ApiException;
import com.rackflow.core.http.Violation;
import com.rackflow.core.json.Json;
import com.rackflow.core.persistence.Table;
import com.rackflow.customers.CustomerService;
import com.rackflow.directory.StaffDirectory;
import com.rackflow.directory.StaffUser;
import com.rackflow.workitems.FlowStarter;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Customer imports (客户导入). The browser uploads the file straight to the files bucket with a presigned PUT
 * ({@link #create}); the dry run and the commit run in the import state machine ({@link ImportFlow}), off the API
 * request. The dry run reads the file and checks every row (the customer module's rules, 查重 against the customers and
 * between the rows) and writes no customer: only its verdicts, in the import's partition. The commit creates each OK
 * row's customer through the customer module's own create (one unit of work: the customer, its 查重 guards, its
 * {@code IMPORTED} history entry naming the import, and the row's ledger item), batch by batch in the flow's Map, so a
 * batch run again — a retry, a redrive, after a crash — finds each row done once and creates nothing twice. Who may
 * import for whom is the create's rule: sales for themselves, managers within their department, admins anyone.
 */
public final class ImportService {
    public static final int BATCH = 100;
    /** The largest file: 10 MB (S3 refuses another length than the one signed into the upload URL). */
    public static final long MAX_BYTES = 10L * 1024 * 1024;
    static final Duration UPLOAD_VALID = Duration.ofMinutes(15);
    static final Map<String, String> CONTENT_TYPES = Map.of(
            "csv", "text/csv",
            "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    private static final ZoneId BUSINESS_ZONE = ZoneId.of("Asia/Shanghai");

    private final ImportStore store;
    private final CustomerService customers;
    private final RowChecker checker;
    private final StaffDirectory directory;
    private final S3Files files;
    private final FlowStarter starter;
    private final String stateMachineArn;

    public ImportService(Table table, S3Files files, FlowStarter starter, String stateMachineArn) {
        this.store = new ImportStore(table);
        this.customers = new CustomerService(table);
        this.checker = new RowChecker(customers);
        this.directory = new StaffDirectory(table);
        this.files = files;
        this.starter = starter;
        this.stateMachineArn = stateMachineArn;
    }

    /** A new import and the presigned PUT its file goes to. */
    public record Created(CustomerImport customerImport, S3Files.Upload upload) {
    }

    /**
     * Opens an import (AWAITING_UPLOAD) for a file of {@code size} bytes named {@code fileName} (.csv or .xlsx), and
     * presigns the PUT of exactly that many bytes of that type, valid for {@link #UPLOAD_VALID}.
     */
    public Created create(Caller caller, String fileName, long size, Optional<String> defaultOwnerId) {
        requireImporter(caller, defaultOwnerId);
        String contentType = contentType(fileName);
        String now = Instant.now().toString();
        String id = "CI" + java.time.LocalDate.now(BUSINESS_ZONE).toString().replace("-", "") + "-"
                + UUID.randomUUID().toString().substring(0, 8);
        CustomerImport i = new CustomerImport(id, CustomerImport.ImportStatus.AWAITING_UPLOAD, fileName, "imports/" + id,
                size, null, null, caller.userId(), caller.departmentId(), defaultOwnerId.orElse(null), 0, 0, 0, null, 0,
                0, 0, 0, null, now, null, null, null, 0, null, 0, 1);
        store.insert(i);
        return new Created(i, upload(i));
    }

    /** A fresh upload URL for an import still waiting for its file, or whose preview may run again. */
    public S3Files.Upload upload(CustomerImport i) {
        return files.presignPut(i.fileKey(), contentType(i.fileName()), i.size(), UPLOAD_VALID);
    }

    static String contentType(String fileName) {
        int dot = fileName.lastIndexOf('.');
        String ext = dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
        String type = CONTENT_TYPES.get(ext);
        if (type == null) {
            throw ApiException.invalid("fileName", "extension", "must end in .csv or .xlsx");
        }
        return type;
    }

    /**
     * Starts the dry run of the uploaded file (PREVIEWING; 202): the file must be in the bucket with the size
     * declared. Only the importer runs their import.
     */
    public CustomerImport requestPreview(Caller caller, String importId) {
        CustomerImport i = own(caller, importId);
        if (i.committed()) {
            throw ApiException.conflict("IMPORT_STATUS", "the import was committed; it cannot be previewed again",
                    "导入已提交，不能再次预检", Map.of("status", i.status().name()));
        }
        Optional<Long> size = files.size(i.fileKey());
        if (size.isEmpty()) {
            throw ApiException.conflict("IMPORT_FILE_MISSING", "the file was not uploaded (or its upload expired): PUT it to the upload URL first",
                    "文件尚未上传（或已过期），请先上传文件", Map.of("importId", i.importId()));
        }
        // a new run: the file is read again (it may have been uploaded again), the earlier run's verdicts are not shown
        CustomerImport next = store.update(importId, cur -> cur.previewing(executionName(cur, "preview")));
        start(next, "preview");
        return next;
    }

    /** Starts the commit of a previewed import (COMMITTING; 202), or runs a failed commit again. */
    public CustomerImport requestCommit(Caller caller, String importId) {
        CustomerImport i = own(caller, importId);
        if (i.status() == CustomerImport.ImportStatus.FAILED && !i.committed()) {
            throw ApiException.conflict("IMPORT_STATUS", "the import's dry run failed; run it again before committing",
                    "导入预检失败，请重新预检后再导入", Map.of("status", i.status().name()));
        }
        CustomerImport next = store.update(importId, cur -> cur.committing(Instant.now().toString(), executionName(cur, "commit")));
        start(next, "commit");
        return next;
    }

    /** The execution a change of {@code cur} starts: {@code <id>-<mode>-<the changed record's version>}, so once. */
    private static String executionName(CustomerImport cur, String mode) {
        return cur.importId() + "-" + mode + "-" + (cur.version() + 1);
    }

    private void start(CustomerImport i, String mode) {
        starter.start(stateMachineArn, i.execution(),
                Json.object().put("importId", i.importId()).put("mode", mode.toUpperCase(Locale.ROOT)));
    }

    // --- the flow's steps (ImportFlow) ---

    /**
     * Which execution, and which attempt of it ({@code $$.Execution.RedriveCount}), runs a step or ended: the state
     * machine passes both to every task. Null when not said (taken as the current one).
     */
    public record Attempt(String execution, int redriveCount) {
        static final Attempt UNNAMED = new Attempt(null, 0);
    }

    /** A step of an execution that no longer runs the import (a newer commit was started): it does nothing. */
    static final class NotCurrentExecution extends RuntimeException {
        NotCurrentExecution(String importId, Attempt a, CustomerImport i) {
            super("execution " + a.execution() + " (attempt " + a.redriveCount() + ") no longer runs import " + importId
                    + "; " + i.execution() + " (attempt " + i.redriveCount() + ") does");
        }
    }

    /**
     * The import as the attempt {@code a} of its current execution runs it: a redriven execution's first step after a
     * failure makes a FAILED commit COMMITTING again (and any step notes the attempt, so the earlier attempt's late end
     * event changes nothing). A step of another execution, or of an earlier attempt, is refused.
     */
    private CustomerImport runningFor(String importId, Attempt a) {
        CustomerImport i = store.require(importId);
        if (!i.runBy(a.execution(), a.redriveCount())) {
            throw new NotCurrentExecution(importId, a, i);
        }
        if (a.execution() == null || a.redriveCount() <= i.redriveCount()) {
            return i;
        }
        CustomerImport now = store.update(importId, cur -> cur.runBy(a.execution(), a.redriveCount()) ? cur.redriven(a.redriveCount()) : cur);
        if (!now.runBy(a.execution(), a.redriveCount())) {
            throw new NotCurrentExecution(importId, a, now);
        }
        return now;
    }

    /**
     * Reads the uploaded file into batches (once per dry run, keyed by the run; the commit commits what the dry run
     * read): the batch numbers, or none with the import FAILED when the file cannot be read (its violations name why);
     * empty when another execution runs the import now.
     */
    public Optional<List<Integer>> read(String importId, Attempt a) {
        CustomerImport i = store.require(importId);
        if (!i.runBy(a.execution(), a.redriveCount())) {
            return Optional.empty();
        }
        if (i.status() == CustomerImport.ImportStatus.COMMITTING || i.batches() > 0) {
            return Optional.of(batchNumbers(i.batches()));
        }
        if (i.status() != CustomerImport.ImportStatus.PREVIEWING) {
            return Optional.of(List.of());
        }
        int run = i.previewRun();
        ImportFile file;
        try {
            byte[] content = files.read(i.fileKey(), MAX_BYTES)
                    .orElseThrow(() -> ApiException.invalid("file", "missing", "the uploaded file is gone (uploads expire after a day)"));
            file = ImportFile.read(content);
        } catch (ApiException e) {
            fail(importId, run, e.code(), e.getMessage(), e.violations());
            return Optional.of(List.of());
        } catch (IllegalArgumentException e) {
            fail(importId, run, "INVALID_REQUEST", e.getMessage(), List.of(new Violation("file", "size", e.getMessage())));
            return Optional.of(List.of());
        }
        store.dropRunsBefore(importId, run);
        int batches = (file.rows().size() + BATCH - 1) / BATCH;
        for (int b = 0; b < batches; b++) {
            store.putBatch(importId, run, b, file.rows().subList(b * BATCH, Math.min(file.rows().size(), (b + 1) * BATCH)));
        }
        store.update(importId, cur -> previewing(cur, run)
                ? cur.read(file.format(), file.encoding(), file.rows().size(), file.emptyRows(), batches) : cur);
        return Optional.of(batchNumbers(batches));
    }

    /** Whether the dry run {@code run} is the one running now. */
    private static boolean previewing(CustomerImport cur, int run) {
        return cur.status() == CustomerImport.ImportStatus.PREVIEWING && cur.previewRun() == run;
    }

    private static List<Integer> batchNumbers(int batches) {
        List<Integer> out = new ArrayList<>(batches);
        for (int b = 0; b < batches; b++) {
            out.add(b);
        }
        return out;
    }

    private void fail(String importId, int run, String code, String message, List<Violation> violations) {
        List<Map<String, Object>> v = violations.stream().map(x -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("field", x.field());
            m.put("rule", x.rule());
            m.put("message", x.message());
            return m;
        }).toList();
        store.update(importId, cur -> previewing(cur, run) ? cur.failed(new CustomerImport.Problem(code, message, v)) : cur);
    }

    /**
     * The dry run: every row checked in file order (查重 between the rows needs the order), verdicts stored per batch
     * under the run's number. A step of an execution that no longer runs the import does nothing.
     */
    public CustomerImport preview(String importId, Attempt a) {
        CustomerImport i = store.require(importId);
        if (i.status() != CustomerImport.ImportStatus.PREVIEWING || !i.runBy(a.execution(), a.redriveCount())) {
            return i;
        }
        int run = i.previewRun();
        Caller importer = importer(i);
        Map<String, Integer> seen = new HashMap<>();
        int ok = 0;
        int invalid = 0;
        int duplicate = 0;
        for (int b = 0; b < i.batches(); b++) {
            List<RowCheck> checks = checker.check(importer, i.defaultOwnerId(), store.batch(importId, run, b), seen);
            store.putPreview(importId, run, b, checks);
            for (RowCheck c : checks) {
                switch (c.verdict()) {
                    case OK -> ok++;
                    case INVALID -> invalid++;
                    case DUPLICATE -> duplicate++;
                }
            }
        }
        CustomerImport.PreviewCounts counts = new CustomerImport.PreviewCounts(ok, invalid, duplicate);
        String now = Instant.now().toString();
        return store.update(importId, cur -> previewing(cur, run) ? cur.previewed(counts, now) : cur);
    }

    /** Commits one batch: each row without a result gets one (created, refused or duplicate), exactly once. */
    public ImportStore.BatchDone commitBatch(String importId, int batch, Attempt a) {
        CustomerImport i = runningFor(importId, a);
        boolean completed = i.status() == CustomerImport.ImportStatus.COMPLETED;
        if (i.status() != CustomerImport.ImportStatus.COMMITTING && !completed) {
            throw new IllegalStateException("import " + importId + " is " + i.status() + ", not COMMITTING");
        }
        List<ImportFile.Row> rows = store.batch(importId, i.previewRun(), batch);
        if (rows.isEmpty()) {
            return new ImportStore.BatchDone(batch, 0, 0, 0);
        }
        int first = rows.get(0).number();
        int last = rows.get(rows.size() - 1).number();
        Set<Integer> done = store.rows(importId, first, last).stream().map(RowResult::row).collect(Collectors.toSet());
        // a COMPLETED import has every row's result: a redriven batch only counts them again
        List<ImportFile.Row> pending = completed ? List.of() : rows.stream().filter(r -> !done.contains(r.number())).toList();
        Caller importer = pending.isEmpty() ? null : importer(i);
        String note = "导入 " + importId;
        for (RowCheck c : pending.isEmpty() ? List.<RowCheck>of() : checker.check(importer, i.defaultOwnerId(), pending, new HashMap<>())) {
            switch (c.verdict()) {
                case INVALID -> store.putRow(importId, new RowResult(c.row(), RowResult.Result.REFUSED, null, null, c.violations(), null));
                case DUPLICATE -> store.putRow(importId, new RowResult(c.row(), RowResult.Result.DUPLICATE, null, null, null, c.duplicate()));
                case OK -> create(importId, importer, c, note + " 第" + c.row() + "行");
            }
        }
        Map<RowResult.Result, Long> counts = store.rows(importId, first, last).stream()
                .collect(Collectors.groupingBy(RowResult::result, Collectors.counting()));
        ImportStore.BatchDone d = new ImportStore.BatchDone(batch, counts.getOrDefault(RowResult.Result.CREATED, 0L).intValue(),
                counts.getOrDefault(RowResult.Result.REFUSED, 0L).intValue(),
                counts.getOrDefault(RowResult.Result.DUPLICATE, 0L).intValue());
        store.putDone(importId, d);
        return d;
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

    /** Counts the ledger and completes the import; false while a batch has rows without a result. */
    public CustomerImport finish(String importId, Attempt a) {
        CustomerImport i = runningFor(importId, a);
        if (i.status() != CustomerImport.ImportStatus.COMMITTING) {
            return i;
        }
        List<RowResult> results = store.rows(importId, null, null);
        if (results.size() < i.rows()) {
            throw new IllegalStateException("import " + importId + " has " + (i.rows() - results.size()) + " rows without a result");
        }
        Map<RowResult.Result, Long> counts = results.stream().collect(Collectors.groupingBy(RowResult::result, Collectors.counting()));
        Function<RowResult.Result, Integer> n = r -> counts.getOrDefault(r, 0L).intValue();
        String now = Instant.now().toString();
        return store.update(importId, cur -> cur.status() != CustomerImport.ImportStatus.COMMITTING ? cur
                : cur.completed(cur.batches(), n.apply(RowResult.Result.CREATED), n.apply(RowResult.Result.REFUSED),
                n.apply(RowResult.Result.DUPLICATE), now));
    }

    /**
     * A step failed for good (or the execution ended): the import is FAILED with why; what was created stays. Only the
     * current execution's current (or a later) attempt ends it: an earlier commit's, or an attempt a redrive followed,
     * changes nothing.
     */
    public String endEarly(String importId, Attempt a, String error, String cause) {
        String message = cause == null ? "a step of the import failed after its retries" : cause;
        CustomerImport after = store.update(importId, cur -> cur.runBy(a.execution(), a.redriveCount())
                && (cur.status() == CustomerImport.ImportStatus.PREVIEWING || cur.status() == CustomerImport.ImportStatus.COMMITTING)
                ? cur.failed(new CustomerImport.Problem(error == null ? "IMPORT_STEP_FAILED" : error,
                message.length() > 1000 ? message.substring(0, 1000) : message, List.of())) : cur);
        return after.status().name();
    }

    public CustomerImport.ImportStatus status(String importId) {
        return store.require(importId).status();
    }

    public boolean exists(String importId) {
        return store.find(importId).isPresent();
    }

    /** Whether attempt {@code a} of its execution runs the import now (true for an import that does not exist). */
    public boolean runBy(String importId, Attempt a) {
        return store.find(importId).map(i -> i.runBy(a.execution(), a.redriveCount())).orElse(true);
    }

    // --- reading ---

    public CustomerImport get(Caller caller, String importId) {
        return AccessPolicy.requireVisible(caller, RecordKind.CUSTOMER, store.find(importId).orElse(null), "customer import");
    }

    /** What the commit has done so far: the counts of the batches committed (exact per batch, from the ledger). */
    public ImportStore.BatchDone progress(CustomerImport i) {
        if (i.status() == CustomerImport.ImportStatus.COMPLETED) {
            return new ImportStore.BatchDone(i.batches(), i.created(), i.refused(), i.duplicate());
        }
        if (!i.committed()) {
            return new ImportStore.BatchDone(0, 0, 0, 0);
        }
        List<ImportStore.BatchDone> done = store.done(i.importId());
        return new ImportStore.BatchDone(done.size(), done.stream().mapToInt(ImportStore.BatchDone::created).sum(),
                done.stream().mapToInt(ImportStore.BatchDone::refused).sum(),
                done.stream().mapToInt(ImportStore.BatchDone::duplicate).sum());
    }

    public com.rackflow.core.persistence.Page<List<ImportStore.PreviewRow>> previewRows(CustomerImport i, String cursor) {
        return store.previewPage(i.importId(), i.previewRun(), cursor);
    }

    /** The input rows with each row's result (the import must be visible to the caller). */
    public ResultFile resultFile(Caller caller, String importId) {
        CustomerImport i = get(caller, importId);
        Map<Integer, RowResult> results = store.rows(importId, null, null).stream()
                .collect(Collectors.toMap(RowResult::row, r -> r));
        List<ImportFile.Row> input = new ArrayList<>();
        for (int b = 0; b < i.batches(); b++) {
            input.addAll(store.batch(importId, i.previewRun(), b));
        }
        return ResultFile.of(importId, input, results);
    }

    /** The import, for its importer only (another person who sees it may read it, not run it). */
    private CustomerImport own(Caller caller, String importId) {
        CustomerImport i = get(caller, importId);
        if (!i.importedBy().equals(caller.userId())) {
            throw ApiException.forbidden("only the person who opened the import runs it");
        }
        return i;
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
        return new Caller(u.userId(), u.role(), u.departmentId(), u.displayName());
    }
}
