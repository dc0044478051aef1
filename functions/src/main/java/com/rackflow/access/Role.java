package com.rackflow.access;

/** Staff roles; the role decides which modules a caller may open and how wide their record scope is. */
public enum Role {
    SALES("业务员"),
    REGIONAL_MANAGER("区域市场经理"),
    MAINTENANCE("维护部门"),
    OPERATIONS("运维/技术"),
    ADMIN("系统管理员");

    private final String labelZh;

    Role(String labelZh) {
        this.labelZh = labelZh;
    }

    public String labelZh() {
        return labelZh;
    }

    public static java.util.Optional<Role> parse(String s) {
        for (Role r : values()) {
            if (r.name().equals(s)) {
                return java.util.Optional.of(r);
            }
        }
        return java.util.Optional.empty();
    }
}
