package com.rackflow.customerimports;

import com.fasterxml.jackson.databind.JsonNode;
import com.rackflow.workitems.FlowSteps;
import com.rackflow.workitems.FlowTaskHandler;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The customer import state machine's steps (statemachines/customer-import.asl.json): {@code read} the uploaded file
 * into batches, {@code preview} (the dry run), {@code commitBatch} (one batch of the Map), {@code finish} (the counts
 * from the row ledger), {@code compensate} (FAILED with why). Each is safe to run again. Every payload names the
 * execution and its attempt ({@code execution}, {@code redriveCount}): only the execution that runs the import now acts,
 * and a redriven attempt of a failed commit takes it up again.
 */
public final class ImportFlow implements FlowSteps {
    static final String SYSTEM = "system:customer-import";
    private final ImportService imports;

    public ImportFlow(ImportService imports) {
        this.imports = imports;
    }

    static ImportService.Attempt attempt(JsonNode event) {
        return new ImportService.Attempt(event.path("execution").asText(null), event.path("redriveCount").asInt(0));
    }

    @Override
    public Map<String, Step> steps() {
        return Map.of(
                "read", (id, event, out) -> {
                    Optional<List<Integer>> read = imports.read(id, attempt(event));
                    var batches = out.putArray("batches");
                    read.orElse(List.of()).forEach(batches::add);
                    out.put("readable", read.isPresent() && imports.status(id) != CustomerImport.ImportStatus.FAILED);
                },
                "preview", (id, event, out) -> out.put("status", imports.preview(id, attempt(event)).status().name()),
                "commitBatch", (id, event, out) -> {
                    ImportStore.BatchDone d = imports.commitBatch(id, event.path("batch").asInt(), attempt(event));
                    out.put("batch", d.batch()).put("created", d.created()).put("refused", d.refused()).put("duplicate", d.duplicate());
                },
                "finish", (id, event, out) -> out.put("status", imports.finish(id, attempt(event)).status().name()),
                "compensate", (id, event, out) -> out.put("status",
                        imports.endEarly(id, attempt(event), FlowTaskHandler.error(event), FlowTaskHandler.cause(event))));
    }

    @Override
    public String endEarly(String flowId, String error, String cause) {
        return imports.endEarly(flowId, ImportService.Attempt.UNNAMED, error, cause);
    }

    @Override
    public String endEarly(String flowId, String executionName, int redriveCount, String error, String cause) {
        return imports.endEarly(flowId, new ImportService.Attempt(executionName, redriveCount), error, cause);
    }

    @Override
    public boolean exists(String flowId) {
        return imports.exists(flowId);
    }

    @Override
    public boolean isCurrentExecution(String flowId, String executionName, int redriveCount) {
        return imports.runBy(flowId, new ImportService.Attempt(executionName, redriveCount));
    }
}
