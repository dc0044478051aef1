package com.rackflow.core.history;

import java.util.List;

/** One audit entry: who did what to which record, when, and what changed. */
public record HistoryEntry(String eventId, String at, String recordType, String recordId, String action,
                           String actorId, String actorRole, String actorDepartmentId, String actorName, List<Change> changes,
                           String note) {
}
