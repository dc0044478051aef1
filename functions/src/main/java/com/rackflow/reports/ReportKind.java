package com.rackflow.reports;

import com.rackflow.access.RecordKind;

/** The reports (报表), each counting one kind of record; the path segment under /reports names it. */
public enum ReportKind {
    CALL_VOLUME("call-volume", "电话量统计", RecordKind.ACTIVITY),
    CUSTOMER_FUNNEL("customer-funnel", "客户漏斗", RecordKind.CUSTOMER),
    CONTRACTS_SIGNED("contracts-signed", "合同签约统计", RecordKind.CONTRACT),
    CONTRACT_EXPIRY("contract-expiry", "合同到期提醒", RecordKind.CONTRACT),
    RACKING("racking", "上架流程统计", RecordKind.RACKING_FLOW),
    SERVICE("service", "客户服务统计", RecordKind.SERVICE_RECORD);

    private final String path;
    private final String labelZh;
    private final RecordKind counts;

    ReportKind(String path, String labelZh, RecordKind counts) {
        this.path = path;
        this.labelZh = labelZh;
        this.counts = counts;
    }

    public String path() {
        return path;
    }

    public String labelZh() {
        return labelZh;
    }

    /** The kind of record the report counts: its scope is that kind's. */
    public RecordKind counts() {
        return counts;
    }
}
