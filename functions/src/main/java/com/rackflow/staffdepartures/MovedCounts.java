package com.rackflow.staffdepartures;

import java.util.Map;

/** How many records of each kind a departure moved. */
public record MovedCounts(int customers, int activities, int contracts, int serviceRecords, int workItems) {
    public static final MovedCounts NONE = new MovedCounts(0, 0, 0, 0, 0);

    public int total() {
        return customers + activities + contracts + serviceRecords + workItems;
    }

    public MovedCounts plus(MovedType type, int n) {
        return switch (type) {
            case CUSTOMER -> new MovedCounts(customers + n, activities, contracts, serviceRecords, workItems);
            case ACTIVITY -> new MovedCounts(customers, activities + n, contracts, serviceRecords, workItems);
            case CONTRACT -> new MovedCounts(customers, activities, contracts + n, serviceRecords, workItems);
            case SERVICE_RECORD -> new MovedCounts(customers, activities, contracts, serviceRecords + n, workItems);
            case WORK_ITEM -> new MovedCounts(customers, activities, contracts, serviceRecords, workItems + n);
        };
    }

    public MovedCounts plus(Map<MovedType, Integer> added) {
        MovedCounts out = this;
        for (var e : added.entrySet()) {
            out = out.plus(e.getKey(), e.getValue());
        }
        return out;
    }

    public int of(MovedType type) {
        return switch (type) {
            case CUSTOMER -> customers;
            case ACTIVITY -> activities;
            case CONTRACT -> contracts;
            case SERVICE_RECORD -> serviceRecords;
            case WORK_ITEM -> workItems;
        };
    }
}
