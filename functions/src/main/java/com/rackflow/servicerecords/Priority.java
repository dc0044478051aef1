package com.rackflow.servicerecords;

/** How urgent a service record is (优先级), P1 the most urgent. */
public enum Priority {
    P1("紧急"), P2("高"), P3("中"), P4("低");

    private final String labelZh;

    Priority(String labelZh) {
        this.labelZh = labelZh;
    }

    public String labelZh() {
        return labelZh;
    }
}
