package com.rackflow.staffdepartures;

/**
 * The kinds of records a departure moves, in the order they are moved: customers first, so that each customer's
 * activities, contracts and service records follow it to the same colleague. Then what waits in the person's inbox:
 * work items (assigned to them or escalated to them) and reminders.
 */
public enum MovedType {
    CUSTOMER("CUSTOMER", "customerId", "客户"),
    ACTIVITY("ACTIVITY", "activityId", "客户活动"),
    CONTRACT("CONTRACT", "contractId", "合同"),
    SERVICE_RECORD("SERVICE_RECORD", "serviceRecordId", "服务记录"),
    WORK_ITEM("WORK_ITEM", "workItemId", "待办"),
    REMINDER("REMINDER", "reminderId", "提醒");

    /** The CRM records found in the owner partition (gsi1), moved in batches. */
    public static final MovedType[] OWNED = {CUSTOMER, ACTIVITY, CONTRACT, SERVICE_RECORD};

    private final String recordType;
    private final String idField;
    private final String labelZh;

    MovedType(String recordType, String idField, String labelZh) {
        this.recordType = recordType;
        this.idField = idField;
        this.labelZh = labelZh;
    }

    /** The record's type in keys and history ({@code CUSTOMER#<id>} ...). */
    public String recordType() {
        return recordType;
    }

    public String idField() {
        return idField;
    }

    public String labelZh() {
        return labelZh;
    }
}
