package com.rackflow.staffdepartures;

import java.util.EnumMap;
import java.util.Map;

/** How many records of each kind a departure moved. */
public record MovedCounts(int customers, int activities, int contracts, int serviceRecords, int workItems, int reminders) {
    public static final MovedCounts NONE = new MovedCounts(0, 0, 0, 0, 0, 0);

    public int total() {
        return customers + activities + contracts + serviceRecords + workItems + reminders;
    }

    public MovedCounts plus(MovedType type, int n) {
        Map<MovedType, Integer> counts = counts();
        counts.merge(type, n, Integer::sum);
        return new MovedCounts(counts.get(MovedType.CUSTOMER), counts.get(MovedType.ACTIVITY), counts.get(MovedType.CONTRACT),
                counts.get(MovedType.SERVICE_RECORD), counts.get(MovedType.WORK_ITEM), counts.get(MovedType.REMINDER));
    }

    public MovedCounts plus(Map<MovedType, Integer> added) {
        MovedCounts out = this;
        for (var e : added.entrySet()) {
            out = out.plus(e.getKey(), e.getValue());
        }
        return out;
    }

    private Map<MovedType, Integer> counts() {
        Map<MovedType, Integer> m = new EnumMap<>(MovedType.class);
        m.put(MovedType.CUSTOMER, customers);
        m.put(MovedType.ACTIVITY, activities);
        m.put(MovedType.CONTRACT, contracts);
        m.put(MovedType.SERVICE_RECORD, serviceRecords);
        m.put(MovedType.WORK_ITEM, workItems);
        m.put(MovedType.REMINDER, reminders);
        return m;
    }
}
