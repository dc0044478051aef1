package com.rackflow.workitems;

/** What the person completing a stage decided. */
public enum Decision {
    APPROVE("通过"), REJECT("驳回");

    private final String labelZh;

    Decision(String labelZh) {
        this.labelZh = labelZh;
    }

    public String labelZh() {
        return labelZh;
    }
}
