package com.rackflow.servicerecords;

/** What kind of service a record is about (服务类型). */
public enum ServiceType {
    FAULT("故障处理"), REMOTE_HANDS("远程协助"), CHANGE("变更"), INSPECTION("巡检"), OTHER("其他");

    private final String labelZh;

    ServiceType(String labelZh) {
        this.labelZh = labelZh;
    }

    public String labelZh() {
        return labelZh;
    }
}
