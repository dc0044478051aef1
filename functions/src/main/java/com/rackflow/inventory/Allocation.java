package com.rackflow.inventory;

import com.rackflow.access.Owned;

import java.math.BigDecimal;
import java.util.List;

/**
 * Resources held for a contract: a U range on a rack, addresses of a prefix, or an uplink port. Owned (for scope)
 * by the contract's owner and department.
 */
public record Allocation(String allocationId, AllocationKind kind, AllocationStatus status, String siteId,
                         String rackId, Integer uFrom, Integer uTo, Mount mount, BigDecimal powerKw,
                         String prefixId, List<String> addresses, Integer port, Integer bandwidthMbps,
                         String contractId, String contractSerial, String customerId, String customerCode, String flowId,
                         String ownerId, String departmentId, String createdAt, String createdBy,
                         String updatedAt, String updatedBy, long version) implements Owned {

    /** The resource the allocation draws on: its rack, or its prefix. */
    public String resourceId() {
        return kind == AllocationKind.IP_ADDRESSES ? prefixId : rackId;
    }

    public Allocation moved(AllocationStatus to, String by, String at) {
        return new Allocation(allocationId, kind, to, siteId, rackId, uFrom, uTo, mount, powerKw, prefixId, addresses,
                port, bandwidthMbps, contractId, contractSerial, customerId, customerCode, flowId, ownerId, departmentId,
                createdAt, createdBy, at, by, version + 1);
    }

    public Allocation withUnits(String rackId, int uFrom, int uTo, Mount mount, BigDecimal powerKw) {
        return new Allocation(allocationId, kind, status, siteId, rackId, uFrom, uTo, mount, powerKw, prefixId, addresses,
                port, bandwidthMbps, contractId, contractSerial, customerId, customerCode, flowId, ownerId, departmentId,
                createdAt, createdBy, updatedAt, updatedBy, version);
    }

    public Allocation withAddresses(String prefixId, List<String> addresses) {
        return new Allocation(allocationId, kind, status, siteId, rackId, uFrom, uTo, mount, powerKw, prefixId, List.copyOf(addresses),
                port, bandwidthMbps, contractId, contractSerial, customerId, customerCode, flowId, ownerId, departmentId,
                createdAt, createdBy, updatedAt, updatedBy, version);
    }

    public Allocation withPort(String rackId, int port, int bandwidthMbps) {
        return new Allocation(allocationId, kind, status, siteId, rackId, uFrom, uTo, mount, powerKw, prefixId, addresses,
                port, bandwidthMbps, contractId, contractSerial, customerId, customerCode, flowId, ownerId, departmentId,
                createdAt, createdBy, updatedAt, updatedBy, version);
    }

    public int unitCount() {
        return uFrom == null ? 0 : uTo - uFrom + 1;
    }
}
