package com.rackflow.workitems;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.core.config.Config;
import com.rackflow.core.json.Json;

/**
 * The stage deadlines a flow execution starts with (its input's {@code deadlines}, read by the stages'
 * TimeoutSecondsPath): the stage defaults, overridden per stage by {@code STAGE_DEADLINES}, e.g.
 * {@code OPS_REVIEW=3600,ACCEPTANCE=7200} (seconds).
 */
public final class Deadlines {
    private Deadlines() {
    }

    public static ObjectNode forFlow(FlowType flow) {
        ObjectNode out = Json.object();
        for (Stage s : Stage.values()) {
            if (s.flow() == flow) {
                out.put(s.name(), s.defaultDeadlineSeconds());
            }
        }
        Config.optional("STAGE_DEADLINES").ifPresent(spec -> {
            for (String part : spec.split(",")) {
                String[] kv = part.trim().split("=");
                if (kv.length == 2 && out.has(kv[0].trim())) {
                    out.put(kv[0].trim(), Long.parseLong(kv[1].trim()));
                }
            }
        });
        return out;
    }
}
