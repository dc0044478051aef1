package com.rackflow.customers;

import java.util.EnumSet;
import java.util.Set;

/** The customer pipeline (客户状态). Which moves are allowed, and for whom, is {@link CustomerTransitions}. */
public enum CustomerStatus {
    ENTERED("完成录入"),
    CONTACTED("初步接触"),
    NEGOTIATING("洽谈中"),
    SIGNED("签约"),
    IN_SERVICE("维护中"),
    TERMINATED("解约"),
    LOST("流失");

    /** Customers that hold or held a contract: they cannot be deleted, only terminated. */
    public static final Set<CustomerStatus> SIGNED_OR_LATER = EnumSet.of(SIGNED, IN_SERVICE, TERMINATED);
    /** Customers contracts and service records may be opened for (the signed-customer picker). */
    public static final Set<CustomerStatus> SERVICEABLE = EnumSet.of(SIGNED, IN_SERVICE);

    private final String labelZh;

    CustomerStatus(String labelZh) {
        this.labelZh = labelZh;
    }

    public String labelZh() {
        return labelZh;
    }
}
