package com.rackflow.reports;

/** What started a report job: the EventBridge schedule, or a manager or admin through the API. */
public enum JobTrigger {
    SCHEDULE("定时"), ON_DEMAND("手动");

    private final String labelZh;

    JobTrigger(String labelZh) {
        this.labelZh = labelZh;
    }

    public String labelZh() {
        return labelZh;
    }
}
