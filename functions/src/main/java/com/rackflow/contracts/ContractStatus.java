package com.rackflow.contracts;

/** A contract's life (合同状态). Which moves are allowed, and for whom, is {@link ContractTransitions}. */
public enum ContractStatus {
    DRAFT("草稿"),
    ACTIVE("生效"),
    TERMINATED("已解约"),
    EXPIRED("已到期"),
    VOID("作废");

    private final String labelZh;

    ContractStatus(String labelZh) {
        this.labelZh = labelZh;
    }

    public String labelZh() {
        return labelZh;
    }
}
