package com.rackflow.customers;

/** Where a lead came from (客户来源). */
public enum CustomerSource {
    PHONE_INBOUND("来电咨询"), COLD_CALL("电话开发"), REFERRAL("客户介绍"), WEBSITE("网站"), EXHIBITION("展会"),
    PARTNER("合作伙伴"), EXISTING_CUSTOMER("老客户"), OTHER("其他");

    private final String labelZh;

    CustomerSource(String labelZh) {
        this.labelZh = labelZh;
    }

    public String labelZh() {
        return labelZh;
    }
}
