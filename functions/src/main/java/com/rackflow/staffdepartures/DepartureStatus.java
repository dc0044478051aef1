package com.rackflow.staffdepartures;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** Where a staff departure stands: moving records, done, or stopped by a failure (what moved stays moved; it may be retried). */
public enum DepartureStatus {
    RUNNING("交接中"), COMPLETED("已完成"), FAILED("失败");

    /** The only moves: RUNNING ends, COMPLETED or FAILED; a FAILED one may be run again (retry). */
    private static final Map<DepartureStatus, Set<DepartureStatus>> TRANSITIONS = Map.of(
            RUNNING, EnumSet.of(COMPLETED, FAILED),
            COMPLETED, EnumSet.noneOf(DepartureStatus.class),
            FAILED, EnumSet.of(RUNNING));

    private final String labelZh;

    DepartureStatus(String labelZh) {
        this.labelZh = labelZh;
    }

    public String labelZh() {
        return labelZh;
    }

    public boolean mayMoveTo(DepartureStatus to) {
        return TRANSITIONS.get(this).contains(to);
    }
}
