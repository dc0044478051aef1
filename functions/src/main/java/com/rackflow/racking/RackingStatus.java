package com.rackflow.racking;

import java.util.List;

/** A racking flow runs until the customer is in service, a stage rejects it, or it fails. */
public enum RackingStatus {
    RUNNING("进行中"), COMPLETED("已上架"), REJECTED("已驳回"), FAILED("失败");

    /** The explicit transition table: only a running flow ends, once. */
    public static final List<List<RackingStatus>> TRANSITIONS = List.of(
            List.of(RUNNING, COMPLETED), List.of(RUNNING, REJECTED), List.of(RUNNING, FAILED));

    private final String labelZh;

    RackingStatus(String labelZh) {
        this.labelZh = labelZh;
    }

    public String labelZh() {
        return labelZh;
    }

    public static boolean allowed(RackingStatus from, RackingStatus to) {
        return TRANSITIONS.contains(List.of(from, to));
    }
}
