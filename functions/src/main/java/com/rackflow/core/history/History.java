package com.rackflow.core.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.core.json.Json;
import com.rackflow.core.persistence.Items;
import com.rackflow.core.persistence.KeyQuery;
import com.rackflow.core.persistence.Keys;
import com.rackflow.core.persistence.Page;
import com.rackflow.core.persistence.Pager;
import com.rackflow.core.persistence.Table;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The audit trail: every create, change, transition, reassignment, deletion and restore of a record is written
 * next to the record (same partition, sort key HISTORY#...) and indexed by day for reports. Entries are written by
 * {@link com.rackflow.core.persistence.UnitOfWork}, in the same transaction as the change they describe.
 */
public final class History {
    private final Table table;

    public History(Table table) {
        this.table = table;
    }

    /** A new entry, stamped now with a fresh event id (written by the unit of work with the change it describes). */
    public static HistoryEntry entry(String recordType, String recordId, String action, Actor actor, List<Change> changes,
                                     String note) {
        return new HistoryEntry(UUID.randomUUID().toString(), Instant.now().toString(), recordType, recordId, action,
                actor.id(), actor.role(), actor.departmentId(), actor.name(), changes, note);
    }

    /** The item of an entry: in its record's partition, indexed by day (gsi3) and by record type and day (gsi1). */
    public static Map<String, AttributeValue> item(HistoryEntry e) {
        ObjectNode item = (ObjectNode) Json.tree(e);
        String at = e.at();
        var key = Keys.record(e.recordType(), e.recordId());
        item.put("pk", key.pk());
        item.put("sk", Keys.historySortKey(at, e.eventId()));
        item.put("gsi3pk", Keys.eventDayPartition(at.substring(0, 10)));
        item.put("gsi3sk", at + "#" + e.recordType() + "#" + e.recordId() + "#" + e.eventId());
        item.put("gsi1pk", Keys.eventTypeDayPartition(at.substring(0, 10), e.recordType()));
        item.put("gsi1sk", at + "#" + e.recordId() + "#" + e.eventId());
        return Items.fromObject(item);
    }

    /** Newest first. */
    public Page<HistoryEntry> list(String recordType, String recordId, String cursor, int limit) {
        // a history page is only shown: eventually consistent (half the read units)
        KeyQuery q = KeyQuery.on(null, Keys.record(recordType, recordId).pk(), Keys.HISTORY_PREFIX).eventually();
        return Pager.page(table, List.of(q), cursor, limit, History::entry, e -> true);
    }

    private static HistoryEntry entry(Map<String, AttributeValue> item) {
        return Items.toRecord(item, HistoryEntry.class);
    }

    /** The fields whose values differ between two versions of a record, ignoring bookkeeping fields. */
    public static List<Change> diff(Object before, Object after, Set<String> ignored) {
        JsonNode b = before == null ? Json.object() : Json.tree(before);
        JsonNode a = after == null ? Json.object() : Json.tree(after);
        Set<String> fields = new TreeSet<>();
        b.fieldNames().forEachRemaining(fields::add);
        a.fieldNames().forEachRemaining(fields::add);
        List<Change> out = new ArrayList<>();
        for (Iterator<String> it = fields.iterator(); it.hasNext(); ) {
            String f = it.next();
            if (ignored.contains(f)) {
                continue;
            }
            JsonNode bv = b.get(f);
            JsonNode av = a.get(f);
            if (bv == null ? av != null : !bv.equals(av)) {
                out.add(new Change(f, bv, av));
            }
        }
        return out;
    }
}
