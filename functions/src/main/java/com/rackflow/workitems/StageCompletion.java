package com.rackflow.workitems;

import com.fasterxml.jackson.databind.JsonNode;
import com.rackflow.access.Caller;
import com.rackflow.core.http.Input;

import java.util.Set;
import java.util.function.Supplier;

/**
 * What completing (approving) one stage takes: the form fields besides decision / reason / note, their validation,
 * and the stage's effect (e.g. reserving resources), run once the work item is locked; its result goes to the flow.
 */
public interface StageCompletion {
    Set<String> fields();

    /** Reads and checks the form (violations go into {@code in}); returns the effect to run. */
    Supplier<JsonNode> read(WorkItem item, Input in, Caller caller);

    /** A stage whose form is only decision / reason / note. */
    StageCompletion PLAIN = new StageCompletion() {
        @Override
        public Set<String> fields() {
            return Set.of();
        }

        @Override
        public Supplier<JsonNode> read(WorkItem item, Input in, Caller caller) {
            return com.rackflow.core.json.Json::object;
        }
    };
}
