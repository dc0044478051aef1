package com.rackflow.customerimports;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.rackflow.access.Owned;

/**
 * An import of customers from a spreadsheet (客户导入): who imported it (whose scope it is in), the file, its rows in
 * {@code batches} of at most 100, how far the commit got, and the counts of its rows' results (from the row ledger).
 */
public record CustomerImport(String importId, ImportStatus status, String fileName, String format, String encoding,
                             String importedBy, String departmentId, String defaultOwnerId, int rows, int emptyRows,
                             int batches, int batchesDone, int created, int refused, int duplicate, String createdAt,
                             String completedAt, long version) implements Owned {

    public enum ImportStatus {
        RUNNING("导入中"), COMPLETED("已完成");

        private final String labelZh;

        ImportStatus(String labelZh) {
            this.labelZh = labelZh;
        }

        public String labelZh() {
            return labelZh;
        }
    }

    @Override
    @JsonIgnore
    public String ownerId() {
        return importedBy;
    }

    CustomerImport withBatchesDone(int done) {
        return new CustomerImport(importId, status, fileName, format, encoding, importedBy, departmentId, defaultOwnerId,
                rows, emptyRows, batches, done, created, refused, duplicate, createdAt, completedAt, version + 1);
    }

    CustomerImport completed(int created, int refused, int duplicate, String at) {
        return new CustomerImport(importId, ImportStatus.COMPLETED, fileName, format, encoding, importedBy, departmentId,
                defaultOwnerId, rows, emptyRows, batches, batches, created, refused, duplicate, createdAt, at, version + 1);
    }
}
