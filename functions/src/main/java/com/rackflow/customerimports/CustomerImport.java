package com.rackflow.customerimports;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.rackflow.access.Owned;
import com.rackflow.core.http.ApiException;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An import of customers from a spreadsheet (客户导入): who imported it (whose scope it is in), the uploaded file
 * ({@code fileKey} in the files bucket, its declared {@code size}), what was read from it (format, encoding, rows in
 * {@code batches} of at most 100), the dry run's counts, how far the commit got, the counts of its rows' results
 * (from the row ledger), and why it failed, if it did. {@code previewRun} numbers the dry runs (the batches and
 * verdicts of a run are keyed by it, so a dry run of a smaller file never shows an earlier run's rows);
 * {@code execution} names the state machine execution that runs the import now and {@code redriveCount} which attempt
 * of it ({@code $$.Execution.RedriveCount}): a step or an end event of another execution, or of an earlier attempt,
 * changes nothing.
 */
public record CustomerImport(String importId, ImportStatus status, String fileName, String fileKey, long size,
                             String format, String encoding, String importedBy, String departmentId,
                             String defaultOwnerId, int rows, int emptyRows, int batches, PreviewCounts preview,
                             int batchesDone, int created, int refused, int duplicate, Problem problem,
                             String createdAt, String previewedAt, String committedAt, String completedAt,
                             int previewRun, String execution, int redriveCount, long version) implements Owned {

    /** The dry run's verdict counts. */
    public record PreviewCounts(int ok, int invalid, int duplicate) {
    }

    /** Why the import stopped: the file could not be read (its violations), or a step failed after its retries. */
    public record Problem(String code, String message, List<Map<String, Object>> violations) {
    }

    /**
     * AWAITING_UPLOAD → PREVIEWING (the file is read and checked, nothing written) → PREVIEWED → COMMITTING (the flow
     * creates the OK rows' customers) → COMPLETED; a file that cannot be read, or a step failing for good, → FAILED. A
     * preview may run again (PREVIEWED or FAILED before the commit → PREVIEWING, a new run); a failed commit runs again
     * (FAILED after a commit → COMMITTING, the rows done stay done): a new commit execution, or the failed one redriven.
     */
    public enum ImportStatus {
        AWAITING_UPLOAD("待上传"), PREVIEWING("预检中"), PREVIEWED("已预检"), COMMITTING("导入中"), COMPLETED("已完成"),
        FAILED("失败");

        private final String labelZh;

        ImportStatus(String labelZh) {
            this.labelZh = labelZh;
        }

        public String labelZh() {
            return labelZh;
        }
    }

    /** The explicit transition table. */
    static final Map<ImportStatus, Set<ImportStatus>> TRANSITIONS = Map.of(
            ImportStatus.AWAITING_UPLOAD, EnumSet.of(ImportStatus.PREVIEWING),
            ImportStatus.PREVIEWING, EnumSet.of(ImportStatus.PREVIEWED, ImportStatus.FAILED),
            ImportStatus.PREVIEWED, EnumSet.of(ImportStatus.PREVIEWING, ImportStatus.COMMITTING),
            ImportStatus.COMMITTING, EnumSet.of(ImportStatus.COMPLETED, ImportStatus.FAILED),
            ImportStatus.COMPLETED, EnumSet.noneOf(ImportStatus.class),
            ImportStatus.FAILED, EnumSet.of(ImportStatus.PREVIEWING, ImportStatus.COMMITTING));

    @Override
    @JsonIgnore
    public String ownerId() {
        return importedBy;
    }

    /** Whether the commit started once (a failed commit is retried as a commit, never previewed again). */
    @JsonIgnore
    public boolean committed() {
        return committedAt != null;
    }

    /**
     * Whether a step or an end event of {@code executionName}'s attempt {@code attempt} speaks for this import: the
     * execution running it now, this attempt or a later one (a redrive). An import recorded before executions were
     * named, or a caller that does not say, is taken as current.
     */
    boolean runBy(String executionName, int attempt) {
        return execution == null || executionName == null || (execution.equals(executionName) && attempt >= redriveCount);
    }

    CustomerImport to(ImportStatus next) {
        if (!TRANSITIONS.get(status).contains(next)) {
            throw ApiException.conflict("IMPORT_STATUS", "the import is " + status + "; it cannot become " + next,
                    "导入当前状态为" + status.labelZh() + "，不能变为" + next.labelZh(), Map.of("status", status.name(), "allowed", TRANSITIONS.get(status).stream().map(Enum::name).toList()));
        }
        return new CustomerImport(importId, next, fileName, fileKey, size, format, encoding, importedBy, departmentId,
                defaultOwnerId, rows, emptyRows, batches, preview, batchesDone, created, refused, duplicate,
                next == ImportStatus.FAILED ? problem : null, createdAt, previewedAt, committedAt, completedAt,
                previewRun, execution, redriveCount, version + 1);
    }

    /**
     * A new dry run (PREVIEWING, the next run number) by the execution named: the file is read again (it may have been
     * uploaded again), and nothing of the earlier run — its counts, its verdicts — is shown any more.
     */
    CustomerImport previewing(String executionName) {
        CustomerImport n = to(ImportStatus.PREVIEWING);
        return new CustomerImport(importId, n.status, fileName, fileKey, size, null, null, importedBy, departmentId,
                defaultOwnerId, 0, 0, 0, null, batchesDone, created, refused, duplicate, null,
                createdAt, null, committedAt, completedAt, previewRun + 1, executionName, 0, n.version);
    }

    CustomerImport read(String format, String encoding, int rows, int emptyRows, int batches) {
        return new CustomerImport(importId, status, fileName, fileKey, size, format, encoding, importedBy, departmentId,
                defaultOwnerId, rows, emptyRows, batches, preview, batchesDone, created, refused, duplicate, problem,
                createdAt, previewedAt, committedAt, completedAt, previewRun, execution, redriveCount, version + 1);
    }

    CustomerImport previewed(PreviewCounts counts, String at) {
        CustomerImport n = to(ImportStatus.PREVIEWED);
        return new CustomerImport(importId, n.status, fileName, fileKey, size, format, encoding, importedBy, departmentId,
                defaultOwnerId, rows, emptyRows, batches, counts, batchesDone, created, refused, duplicate, null,
                createdAt, at, committedAt, completedAt, previewRun, execution, redriveCount, n.version);
    }

    /** The commit, run by the execution named (a new one: its first attempt). */
    CustomerImport committing(String at, String executionName) {
        CustomerImport n = to(ImportStatus.COMMITTING);
        return new CustomerImport(importId, n.status, fileName, fileKey, size, format, encoding, importedBy, departmentId,
                defaultOwnerId, rows, emptyRows, batches, preview, batchesDone, created, refused, duplicate, null,
                createdAt, previewedAt, committedAt == null ? at : committedAt, completedAt, previewRun, executionName, 0,
                n.version);
    }

    /**
     * The current execution's attempt {@code attempt} runs: a redriven commit whose failure made the import FAILED is
     * COMMITTING again; a COMMITTING one notes the attempt (so the earlier attempt's late end event is known as such).
     */
    CustomerImport redriven(int attempt) {
        if (attempt <= redriveCount) {
            return this;
        }
        CustomerImport n = status == ImportStatus.FAILED && committed() ? to(ImportStatus.COMMITTING) : this;
        return new CustomerImport(importId, n.status, fileName, fileKey, size, format, encoding, importedBy, departmentId,
                defaultOwnerId, rows, emptyRows, batches, preview, batchesDone, created, refused, duplicate, n.problem,
                createdAt, previewedAt, committedAt, completedAt, previewRun, execution, attempt, version + 1);
    }

    CustomerImport failed(Problem why) {
        CustomerImport n = to(ImportStatus.FAILED);
        return new CustomerImport(importId, n.status, fileName, fileKey, size, format, encoding, importedBy, departmentId,
                defaultOwnerId, rows, emptyRows, batches, preview, batchesDone, created, refused, duplicate, why,
                createdAt, previewedAt, committedAt, completedAt, previewRun, execution, redriveCount, n.version);
    }

    CustomerImport completed(int batchesDone, int created, int refused, int duplicate, String at) {
        CustomerImport n = to(ImportStatus.COMPLETED);
        return new CustomerImport(importId, n.status, fileName, fileKey, size, format, encoding, importedBy, departmentId,
                defaultOwnerId, rows, emptyRows, batches, preview, batchesDone, created, refused, duplicate, null,
                createdAt, previewedAt, committedAt, at, previewRun, execution, redriveCount, n.version);
    }
}
