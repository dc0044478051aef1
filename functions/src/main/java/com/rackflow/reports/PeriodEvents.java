package com.rackflow.reports;

import com.rackflow.core.history.HistoryEntry;
import com.rackflow.core.persistence.Items;
import com.rackflow.core.persistence.KeyQuery;
import com.rackflow.core.persistence.Keys;
import com.rackflow.core.persistence.Table;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The history entries of one record type in a period, read from that type's day partitions
 * ({@code EVENTS#<UTC day>#<TYPE>} in gsi1) with a sort-key range on the time: what is read is the period's events of
 * that kind, whatever the size of the table and whatever else happened in the period.
 */
final class PeriodEvents {
    private final Table table;

    PeriodEvents(Table table) {
        this.table = table;
    }

    /** Oldest first; only entries of {@code recordType} whose action is one of {@code actions}. */
    List<HistoryEntry> of(Period period, String recordType, List<String> actions) {
        String[] range = period.timestampRange();
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        names.put("#ac", "action");
        List<String> placeholders = new ArrayList<>();
        for (int i = 0; i < actions.size(); i++) {
            values.put(":a" + i, Items.s(actions.get(i)));
            placeholders.add(":a" + i);
        }
        String filter = "#ac IN (" + String.join(", ", placeholders) + ")";
        List<HistoryEntry> out = new ArrayList<>();
        for (LocalDate day : period.utcDays()) {
            KeyQuery q = KeyQuery.between(Keys.GSI_OWNER, Keys.eventTypeDayPartition(day.toString(), recordType), range[0], range[1])
                    .filtered(filter, names, values).oldestFirst();
            table.queryAll(q).forEach(i -> out.add(Items.toRecord(i, HistoryEntry.class)));
        }
        return out;
    }
}
