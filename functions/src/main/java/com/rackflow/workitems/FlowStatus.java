package com.rackflow.workitems;

import java.util.List;

/** A flow runs until its final step (COMPLETED), a stage rejects it (REJECTED), or a step fails for good (FAILED). */
public enum FlowStatus {
    RUNNING("进行中"), COMPLETED("已完成"), REJECTED("已驳回"), FAILED("失败");

    /** The explicit transition table: only a running flow ends, once. */
    public static final List<List<FlowStatus>> TRANSITIONS = List.of(
            List.of(RUNNING, COMPLETED), List.of(RUNNING, REJECTED), List.of(RUNNING, FAILED));

    private final String labelZh;

    FlowStatus(String labelZh) {
        this.labelZh = labelZh;
    }

    public String labelZh() {
        return labelZh;
    }

    /** The label as people say it of this flow type: a completed racking is 已上架, a completed termination 已解约. */
    public String labelZh(FlowType type) {
        if (this == COMPLETED) {
            return type == FlowType.RACKING ? "已上架" : "已解约";
        }
        if (this == REJECTED && type == FlowType.TERMINATION) {
            return "已取消";
        }
        return labelZh;
    }

    public static boolean allowed(FlowStatus from, FlowStatus to) {
        return TRANSITIONS.contains(List.of(from, to));
    }
}
