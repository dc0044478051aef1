package com.rackflow.workitems;

import com.rackflow.core.persistence.Table;

import java.util.EnumMap;
import java.util.Map;

/** The stage forms and effects of every flow, for the inbox API. */
public final class FlowStages {
    private FlowStages() {
    }

    public static Map<Stage, StageCompletion> completions(Table table) {
        Map<Stage, StageCompletion> m = new EnumMap<>(Stage.class);
        m.putAll(com.rackflow.racking.RackingStages.completions(table));
        m.putAll(com.rackflow.terminations.TerminationStages.completions(table));
        return m;
    }
}
