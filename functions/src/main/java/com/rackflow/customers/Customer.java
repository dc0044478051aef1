package com.rackflow.customers;

import com.rackflow.core.records.Audited;

import java.util.List;

/** A customer record (客户信息). */
public record Customer(String customerId, String code, String companyName, String creditCode, List<Contact> contacts,
                       String region, CustomerSource source, String notes, CustomerStatus status, String lostReason,
                       String ownerId, String departmentId, String createdBy, String createdByDepartmentId,
                       String createdAt, String updatedBy, String modifiedByDepartmentId, String updatedAt,
                       String deletedAt, String deletedBy, long version) implements Audited {

    @Override
    @com.fasterxml.jackson.annotation.JsonIgnore
    public String recordId() {
        return customerId;
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isDeleted() {
        return deletedAt != null;
    }

    public Customer withStatus(CustomerStatus s, String reason) {
        return new Customer(customerId, code, companyName, creditCode, contacts, region, source, notes, s,
                s == CustomerStatus.LOST ? reason : null, ownerId, departmentId, createdBy, createdByDepartmentId, createdAt,
                updatedBy, modifiedByDepartmentId, updatedAt, deletedAt, deletedBy, version);
    }

    public Customer withDetails(String companyName, String creditCode, List<Contact> contacts, String region,
                                CustomerSource source, String notes) {
        return new Customer(customerId, code, companyName, creditCode, contacts, region, source, notes, status, lostReason,
                ownerId, departmentId, createdBy, createdByDepartmentId, createdAt, updatedBy, modifiedByDepartmentId,
                updatedAt, deletedAt, deletedBy, version);
    }

    public Customer withOwner(String ownerId, String departmentId) {
        return new Customer(customerId, code, companyName, creditCode, contacts, region, source, notes, status, lostReason,
                ownerId, departmentId, createdBy, createdByDepartmentId, createdAt, updatedBy, modifiedByDepartmentId,
                updatedAt, deletedAt, deletedBy, version);
    }

    public Customer withDeletion(String deletedAt, String deletedBy) {
        return new Customer(customerId, code, companyName, creditCode, contacts, region, source, notes, status, lostReason,
                ownerId, departmentId, createdBy, createdByDepartmentId, createdAt, updatedBy, modifiedByDepartmentId,
                updatedAt, deletedAt, deletedBy, version);
    }

    /** The next version of this record as changed by someone at a time. */
    public Customer touched(String by, String byDepartmentId, String at) {
        return new Customer(customerId, code, companyName, creditCode, contacts, region, source, notes, status, lostReason,
                ownerId, departmentId, createdBy, createdByDepartmentId, createdAt, by, byDepartmentId, at,
                deletedAt, deletedBy, version + 1);
    }
}
