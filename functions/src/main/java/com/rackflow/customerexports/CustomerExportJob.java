package com.rackflow.customerexports;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.rackflow.access.Owned;

/**
 * An export of the customers a person may see, written to the files bucket off the API request (客户导出任务): the
 * list's filters, the format, who asked (the file holds what they may see when it is written), and the file.
 * QUEUED → RUNNING → DONE, or FAILED with why.
 */
public record CustomerExportJob(String exportId, Status status, String format, String statusFilter, String owner,
                                String q, boolean deleted, String requestedBy, String departmentId, String fileKey,
                                String fileName, Integer rows, String error, String createdAt, String completedAt,
                                long version) implements Owned {

    public enum Status {
        QUEUED("排队中"), RUNNING("生成中"), DONE("已完成"), FAILED("失败");

        private final String labelZh;

        Status(String labelZh) {
            this.labelZh = labelZh;
        }

        public String labelZh() {
            return labelZh;
        }
    }

    @Override
    @JsonIgnore
    public String ownerId() {
        return requestedBy;
    }

    CustomerExportJob running() {
        return with(Status.RUNNING, rows, error, null);
    }

    CustomerExportJob done(int rows, String at) {
        return with(Status.DONE, rows, null, at);
    }

    CustomerExportJob failed(String why, String at) {
        return with(Status.FAILED, rows, why, at);
    }

    private CustomerExportJob with(Status s, Integer rows, String error, String completedAt) {
        return new CustomerExportJob(exportId, s, format, statusFilter, owner, q, deleted, requestedBy, departmentId,
                fileKey, fileName, rows, error, createdAt, completedAt, version + 1);
    }
}
