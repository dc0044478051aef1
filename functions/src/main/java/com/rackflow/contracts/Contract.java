package com.rackflow.contracts;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.rackflow.core.records.Audited;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * A contract (合同): what the customer buys (cabinets, U, power, bandwidth, IPs), the monthly fee in CNY, the term.
 * Owner and department are the customer's; customer code and name are copied for lists and the racking flow.
 */
public record Contract(String contractId, String serial, String customerId, String customerCode, String customerName,
                       int cabinets, @JsonProperty("uCount") int uCount, BigDecimal powerKw, int bandwidthMbps, int ipCount,
                       BigDecimal monthlyFee, String currency, LocalDate startDate, LocalDate endDate, String notes,
                       ContractStatus status, String statusReason, String activatedAt, String endedAt,
                       String ownerId, String departmentId, String createdBy, String createdByDepartmentId,
                       String createdAt, String updatedBy, String modifiedByDepartmentId, String updatedAt,
                       String deletedAt, String deletedBy, long version) implements Audited {

    @Override
    public String recordId() {
        return contractId;
    }

    Contract withTerms(ContractTerms t) {
        return new Contract(contractId, serial, customerId, customerCode, customerName, t.cabinets(), t.uCount(),
                t.powerKw(), t.bandwidthMbps(), t.ipCount(), t.monthlyFee(), currency, t.startDate(), t.endDate(),
                t.notes(), status, statusReason, activatedAt, endedAt, ownerId, departmentId, createdBy,
                createdByDepartmentId, createdAt, updatedBy, modifiedByDepartmentId, updatedAt, deletedAt, deletedBy, version);
    }

    ContractTerms terms() {
        return new ContractTerms(cabinets, uCount, powerKw, bandwidthMbps, ipCount, monthlyFee, startDate, endDate, notes);
    }
}
