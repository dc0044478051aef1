package com.rackflow.reports;

/**
 * A reminder in its owner's inbox (提醒), e.g. that a contract expires within 30 days. One per subject and window:
 * written only if absent, so a job run twice (or a retried schedule) reminds once.
 */
public record Reminder(String reminderId, String kind, String ownerId, String departmentId, String subjectId,
                       String subjectLabel, int windowDays, String dueDate, String message, String messageZh,
                       String createdAt, String runId) {
}
