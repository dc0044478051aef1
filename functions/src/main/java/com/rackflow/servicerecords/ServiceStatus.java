package com.rackflow.servicerecords;

/** A service record's progress (服务状态); the allowed moves are {@link ServiceTransitions}. */
public enum ServiceStatus {
    OPEN("待处理"), IN_PROGRESS("处理中"), RESOLVED("已解决"), CLOSED("已关闭"), CANCELLED("已取消");

    private final String labelZh;

    ServiceStatus(String labelZh) {
        this.labelZh = labelZh;
    }

    public String labelZh() {
        return labelZh;
    }

    /** Closed and cancelled records are finished: no more changes. */
    public boolean isFinal() {
        return this == CLOSED || this == CANCELLED;
    }
}
