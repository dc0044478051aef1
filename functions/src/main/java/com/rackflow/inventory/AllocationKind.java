package com.rackflow.inventory;

/** What an allocation holds. */
public enum AllocationKind {
    RACK_UNITS("机柜U位"), IP_ADDRESSES("IP地址"), UPLINK_PORT("上联端口");

    private final String labelZh;

    AllocationKind(String labelZh) {
        this.labelZh = labelZh;
    }

    public String labelZh() {
        return labelZh;
    }
}
