package com.rackflow.staffdepartures;

/** How a departing person's customers are shared among the receiving colleagues. */
public enum SplitRule {
    /** Customer by customer, each receiver in turn. */
    ROUND_ROBIN("轮流分配"),
    /** The listed customers to the named colleague, every other customer to the default receiver. */
    ASSIGNED("指定分配");

    private final String labelZh;

    SplitRule(String labelZh) {
        this.labelZh = labelZh;
    }

    public String labelZh() {
        return labelZh;
    }
}
