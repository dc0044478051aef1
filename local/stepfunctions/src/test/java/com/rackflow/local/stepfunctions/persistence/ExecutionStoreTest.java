package com.rackflow.local.stepfunctions.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import com.rackflow.local.stepfunctions.engine.EventType;
import com.rackflow.local.stepfunctions.engine.HistoryEvent;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Restoring a history written by concurrent branches, or cut by a crash. */
class ExecutionStoreTest {

    private static HistoryEvent event(long id) {
        return new HistoryEvent(id, id - 1, Instant.EPOCH, EventType.PassStateEntered, null);
    }

    @Test
    void eventsAreRestoredInIdOrderUpToTheFirstGap() {
        assertThat(ExecutionStore.contiguous(List.of(event(1), event(3), event(2), event(5))))
                .extracting(HistoryEvent::id).containsExactly(1L, 2L, 3L);
        assertThat(ExecutionStore.contiguous(List.of(event(2), event(1), event(2))))
                .extracting(HistoryEvent::id).containsExactly(1L, 2L);
    }
}
