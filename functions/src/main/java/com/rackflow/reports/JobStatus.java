package com.rackflow.reports;

/**
 * A report job run: an on-demand run is QUEUED by the API and STARTED by the job function (a scheduled one starts
 * STARTED), FINISHED or FAILED after; a run that never got further failed.
 */
public enum JobStatus {
    QUEUED("排队中"), STARTED("运行中"), FINISHED("已完成"), FAILED("失败");

    private final String labelZh;

    JobStatus(String labelZh) {
        this.labelZh = labelZh;
    }

    public String labelZh() {
        return labelZh;
    }
}
