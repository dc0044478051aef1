package com.rackflow.workitems;

/** The long-running flows that hand out work items; the record type is also the partition type of the flow. */
public enum FlowType {
    RACKING("RACKING_FLOW", "RF", "上架流程"), TERMINATION("TERMINATION", "TF", "解约流程");

    private final String recordType;
    private final String idPrefix;
    private final String labelZh;

    FlowType(String recordType, String idPrefix, String labelZh) {
        this.recordType = recordType;
        this.idPrefix = idPrefix;
        this.labelZh = labelZh;
    }

    public String recordType() {
        return recordType;
    }

    public String idPrefix() {
        return idPrefix;
    }

    public String labelZh() {
        return labelZh;
    }

    /** The conflict code when a contract already has an open flow of this type. */
    public String runningCode() {
        return this == RACKING ? "RACKING_FLOW_RUNNING" : "TERMINATION_RUNNING";
    }

    /** The flow type of a flow id ({@code RF-...}, {@code TF-...}). */
    public static java.util.Optional<FlowType> ofFlowId(String flowId) {
        for (FlowType t : values()) {
            if (flowId != null && flowId.startsWith(t.idPrefix + "-")) {
                return java.util.Optional.of(t);
            }
        }
        return java.util.Optional.empty();
    }
}
