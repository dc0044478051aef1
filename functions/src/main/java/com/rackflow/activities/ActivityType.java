package com.rackflow.activities;

/** How the salesperson was in touch with the customer (活动类型). */
public enum ActivityType {
    CALL("电话"), VISIT("拜访"), MEETING("会议"), WECHAT("微信"), EMAIL("邮件"), OTHER("其他");

    private final String labelZh;

    ActivityType(String labelZh) {
        this.labelZh = labelZh;
    }

    public String labelZh() {
        return labelZh;
    }
}
