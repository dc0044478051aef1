package com.rackflow.reports;

/**
 * A reminder in its owner's inbox (提醒), e.g. that a contract expires within 30 days. One per subject and window:
 * written only if absent, so a job run twice (or a retried schedule) reminds once. A staff departure hands it to the
 * colleague who now has the subject (a versioned change with its history entry).
 */
public record Reminder(String reminderId, String kind, String ownerId, String departmentId, String subjectId,
                       String subjectLabel, int windowDays, String dueDate, String message, String messageZh,
                       String createdAt, String runId, String updatedAt, long version) {

    /** The same reminder in another person's inbox. */
    public Reminder withOwner(String toOwnerId, String toDepartmentId, String at) {
        return new Reminder(reminderId, kind, toOwnerId, toDepartmentId, subjectId, subjectLabel, windowDays, dueDate,
                message, messageZh, createdAt, runId, at, version + 1);
    }
}
