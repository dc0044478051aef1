package com.rackflow.inventory;

/** The life of an allocation; allowed moves are {@link AllocationTransitions}. */
public enum AllocationStatus {
    RESERVED("已预留"), OCCUPIED("已占用"), RELEASED("已释放");

    private final String labelZh;

    AllocationStatus(String labelZh) {
        this.labelZh = labelZh;
    }

    public String labelZh() {
        return labelZh;
    }
}
