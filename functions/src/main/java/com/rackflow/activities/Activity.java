package com.rackflow.activities;

import com.rackflow.core.records.Audited;

import java.time.LocalDate;

/**
 * One contact with a customer (客户活动): a call, visit, meeting, WeChat or e-mail. Owned by the salesperson who
 * logged it; counted per person per day as call volume (电话量). {@code occurredAt} is kept to the second.
 */
public record Activity(String activityId, String customerId, String customerCode, ActivityType type, String occurredAt,
                       Integer durationMinutes, String summary, String outcome, LocalDate nextFollowUpDate,
                       String ownerId, String departmentId, String createdBy, String createdByDepartmentId,
                       String createdAt, String updatedBy, String modifiedByDepartmentId, String updatedAt,
                       String deletedAt, String deletedBy, long version) implements Audited {

    @Override
    public String recordId() {
        return activityId;
    }
}
