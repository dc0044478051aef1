package com.rackflow.servicerecords;

import com.rackflow.core.records.Audited;

/**
 * A service record (客户服务): a fault, remote hands, a change or an inspection for a signed customer. Owner and
 * department are the customer's (so sales see their customers' records); only the customer's code and name are
 * copied onto it, nothing else of the customer.
 */
public record ServiceRecord(String serviceRecordId, String ticketNumber, String customerId, String customerCode,
                            String customerName, ServiceType type, Priority priority, String title, String description,
                            String assigneeId, ServiceStatus status, String statusReason, String resolution,
                            String respondedAt, String resolvedAt, String closedAt,
                            String ownerId, String departmentId, String createdBy, String createdByDepartmentId,
                            String createdAt, String updatedBy, String modifiedByDepartmentId, String updatedAt,
                            String deletedAt, String deletedBy, long version) implements Audited {

    @Override
    public String recordId() {
        return serviceRecordId;
    }
}
