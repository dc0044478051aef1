package com.rackflow.workitems;

import java.util.List;

/** A work item is OPEN until someone completes (approves) or rejects it, or its flow ends without it (CANCELLED). */
public enum WorkItemStatus {
    OPEN("待处理"), COMPLETED("已完成"), REJECTED("已驳回"), CANCELLED("已取消");

    /** The explicit transition table: only an open item moves. */
    public static final List<List<WorkItemStatus>> TRANSITIONS = List.of(
            List.of(OPEN, COMPLETED), List.of(OPEN, REJECTED), List.of(OPEN, CANCELLED));

    private final String labelZh;

    WorkItemStatus(String labelZh) {
        this.labelZh = labelZh;
    }

    public String labelZh() {
        return labelZh;
    }

    public static boolean allowed(WorkItemStatus from, WorkItemStatus to) {
        return TRANSITIONS.contains(List.of(from, to));
    }

    /** The inbox sort-key prefix: open items first. */
    public String inboxBucket() {
        return this == OPEN ? "OPEN" : "DONE";
    }
}
