package com.rackflow.workitems;

import com.fasterxml.jackson.databind.JsonNode;
import com.rackflow.access.Caller;
import com.rackflow.core.http.Input;
import com.rackflow.core.json.Json;
import com.rackflow.core.persistence.UnitOfWork;

import java.util.Set;
import java.util.function.Function;

/**
 * What completing (approving) one stage takes: the form fields besides decision / reason / note, their validation,
 * and the stage's effect (e.g. reserving resources), written in the completion's own unit of work — the decision, its
 * effect and the pending answer to the flow are one transaction. The effect's result goes to the flow.
 */
public interface StageCompletion {
    Set<String> fields();

    /**
     * Reads and checks the form (violations go into {@code in}); returns the effect, which adds its writes to the
     * completion's unit of work. {@code attempt} names this completion attempt: ids made from it are the same when the
     * same decision is tried again, so a retried write recognises what is its own.
     */
    Function<UnitOfWork, JsonNode> read(WorkItem item, String attempt, Input in, Caller caller);

    /** A stage whose form is only decision / reason / note. */
    StageCompletion PLAIN = new StageCompletion() {
        @Override
        public Set<String> fields() {
            return Set.of();
        }

        @Override
        public Function<UnitOfWork, JsonNode> read(WorkItem item, String attempt, Input in, Caller caller) {
            return uow -> Json.object();
        }
    };
}
