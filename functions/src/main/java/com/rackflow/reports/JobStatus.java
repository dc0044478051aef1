package com.rackflow.reports;

/** A report job run: STARTED is written first, FINISHED or FAILED after; a run that never got further failed. */
public enum JobStatus {
    STARTED("运行中"), FINISHED("已完成"), FAILED("失败");

    private final String labelZh;

    JobStatus(String labelZh) {
        this.labelZh = labelZh;
    }

    public String labelZh() {
        return labelZh;
    }
}
