package com.rackflow.directory;

public enum DepartmentKind {
    SALES_REGION("销售区域"), MAINTENANCE("维护部门"), OPERATIONS("运维部门"), MANAGEMENT("管理部门");

    private final String labelZh;

    DepartmentKind(String labelZh) {
        this.labelZh = labelZh;
    }

    public String labelZh() {
        return labelZh;
    }
}
