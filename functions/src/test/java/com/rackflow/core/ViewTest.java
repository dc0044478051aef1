package com.rackflow.core;

import com.rackflow.core.json.View;
import com.rackflow.workitems.WorkItemService;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Answers are views that list what they show: a field a record gains stays out of answers until a view names it. */
class ViewTest {
    record Stored(String id, String name, String taskToken, String guardName, Integer count) {
    }

    @Test
    void aViewShowsOnlyTheFieldsItNamesInItsOrder() {
        var o = View.of(new Stored("r1", "名称", "secret-token", "GUARD#X", null), "name", "id", "count");
        assertThat(o.toString()).isEqualTo("{\"name\":\"名称\",\"id\":\"r1\"}");
    }

    @Test
    void aWorkItemAnswerNeverCarriesItsTaskTokenOrLock() {
        var item = com.rackflow.core.json.Json.MAPPER.convertValue(java.util.Map.of(
                "workItemId", "RF-HT2026000001-1.OPS_REVIEW", "flowType", "RACKING", "flowId", "RF-HT2026000001-1",
                "stage", "OPS_REVIEW", "status", "OPEN", "taskToken", "AQCEAAAAKgAAAA-token", "lockedUntil", "2026-12-02T00:00:00Z",
                "escalatedForDue", "2026-12-01T00:00:00Z", "version", 1), com.rackflow.workitems.WorkItem.class);
        var view = WorkItemService.view(item);
        assertThat(view.has("taskToken")).isFalse();
        assertThat(view.has("lockedUntil")).isFalse();
        assertThat(view.has("escalatedForDue")).isFalse();
        assertThat(view.path("workItemId").asText()).isEqualTo("RF-HT2026000001-1.OPS_REVIEW");
    }
}
