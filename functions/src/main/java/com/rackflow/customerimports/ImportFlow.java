package com.rackflow.customerimports;

import com.rackflow.workitems.FlowSteps;

import java.util.Map;

/**
 * The customer import state machine's steps (statemachines/customer-import.asl.json): {@code read} the uploaded file
 * into batches, {@code preview} (the dry run), {@code commitBatch} (one batch of the Map), {@code finish} (the counts
 * from the row ledger), {@code compensate} (FAILED with why). Each is safe to run again.
 */
public final class ImportFlow implements FlowSteps {
    static final String SYSTEM = "system:customer-import";
    private final ImportService imports;

    public ImportFlow(ImportService imports) {
        this.imports = imports;
    }

    @Override
    public Map<String, Step> steps() {
        return Map.of(
                "read", (id, event, out) -> {
                    var batches = out.putArray("batches");
                    imports.read(id).forEach(batches::add);
                    out.put("readable", imports.status(id) != CustomerImport.ImportStatus.FAILED);
                },
                "preview", (id, event, out) -> out.put("status", imports.preview(id).status().name()),
                "commitBatch", (id, event, out) -> {
                    ImportStore.BatchDone d = imports.commitBatch(id, event.path("batch").asInt());
                    out.put("batch", d.batch()).put("created", d.created()).put("refused", d.refused()).put("duplicate", d.duplicate());
                },
                "finish", (id, event, out) -> out.put("status", imports.finish(id).status().name()),
                "compensate", (id, event, out) -> out.put("status",
                        imports.endEarly(id, com.rackflow.workitems.FlowTaskHandler.error(event),
                                com.rackflow.workitems.FlowTaskHandler.cause(event))));
    }

    @Override
    public String endEarly(String flowId, String error, String cause) {
        return imports.endEarly(flowId, error, cause);
    }

    @Override
    public boolean exists(String flowId) {
        return imports.exists(flowId);
    }
}
