package com.rackflow.terminations;

import com.fasterxml.jackson.databind.JsonNode;
import com.rackflow.access.Caller;
import com.rackflow.core.http.Input;
import com.rackflow.core.json.Json;
import com.rackflow.core.persistence.Table;
import com.rackflow.core.persistence.UnitOfWork;
import com.rackflow.workitems.Stage;
import com.rackflow.workitems.StageCompletion;
import com.rackflow.workitems.WorkItem;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/** The termination stages' forms: the removal confirmation lists the serials of the devices taken out. */
public final class TerminationStages {
    private static final Pattern SERIAL = Pattern.compile("[A-Za-z0-9._/-]{1,64}");

    private TerminationStages() {
    }

    public static Map<Stage, StageCompletion> completions(Table table) {
        var store = TerminationService.flows(table);
        return Map.of(Stage.REMOVAL_CONFIRMATION, new StageCompletion() {
            @Override
            public Set<String> fields() {
                return Set.of("removedDevices");
            }

            @Override
            public Function<UnitOfWork, JsonNode> read(WorkItem item, String attempt, Input in, Caller caller) {
                List<String> serials = in.strings("removedDevices", 100, SERIAL, "format", "1-64 letters, digits or . _ / -")
                        .orElse(List.of());
                Termination t = store.require(item.flowId());
                return uow -> {
                    uow.change(store.records(), t, t.withRemoved(serials, Instant.now().toString()), "DEVICES_REMOVED", null);
                    return Json.object().put("removedDevices", serials.size());
                };
            }
        });
    }
}
