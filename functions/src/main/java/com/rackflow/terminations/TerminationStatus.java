package com.rackflow.terminations;

import java.util.List;

/** A termination runs until the contract is terminated, or it is cancelled at a stage (REJECTED), or it fails. */
public enum TerminationStatus {
    RUNNING("进行中"), COMPLETED("已解约"), REJECTED("已取消"), FAILED("失败");

    /** The explicit transition table: only a running termination ends, once. */
    public static final List<List<TerminationStatus>> TRANSITIONS = List.of(
            List.of(RUNNING, COMPLETED), List.of(RUNNING, REJECTED), List.of(RUNNING, FAILED));

    private final String labelZh;

    TerminationStatus(String labelZh) {
        this.labelZh = labelZh;
    }

    public String labelZh() {
        return labelZh;
    }
}
