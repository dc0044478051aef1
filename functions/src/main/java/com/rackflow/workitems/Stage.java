package com.rackflow.workitems;

import com.rackflow.access.Role;

/** The human stages of the flows: each is a callback task that opens one work item for a role and waits. */
public enum Stage {
    OPS_REVIEW(FlowType.RACKING, Role.OPERATIONS, "运维审核", 86_400),
    RESOURCE_ALLOCATION(FlowType.RACKING, Role.OPERATIONS, "资源分配", 172_800),
    PHYSICAL_RACKING(FlowType.RACKING, Role.OPERATIONS, "上架确认", 259_200),
    ACCEPTANCE(FlowType.RACKING, Role.SALES, "客户验收", 172_800),
    UNRACKING(FlowType.TERMINATION, Role.OPERATIONS, "下架安排", 172_800),
    REMOVAL_CONFIRMATION(FlowType.TERMINATION, Role.OPERATIONS, "下架确认", 259_200);

    private final FlowType flow;
    private final Role role;
    private final String labelZh;
    private final long defaultDeadlineSeconds;

    Stage(FlowType flow, Role role, String labelZh, long defaultDeadlineSeconds) {
        this.flow = flow;
        this.role = role;
        this.labelZh = labelZh;
        this.defaultDeadlineSeconds = defaultDeadlineSeconds;
    }

    public FlowType flow() {
        return flow;
    }

    public Role role() {
        return role;
    }

    public String labelZh() {
        return labelZh;
    }

    public long defaultDeadlineSeconds() {
        return defaultDeadlineSeconds;
    }
}
