package com.rackflow.staffdepartures;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.access.Scope;
import com.rackflow.core.history.Actor;
import com.rackflow.core.json.Json;
import com.rackflow.core.persistence.Items;
import com.rackflow.core.persistence.KeyQuery;
import com.rackflow.core.persistence.Keys;
import com.rackflow.core.persistence.Page;
import com.rackflow.core.persistence.Pager;
import com.rackflow.core.persistence.RecordType;
import com.rackflow.core.persistence.Table;
import com.rackflow.core.persistence.UnitOfWork;
import com.rackflow.core.records.ScopedQuery;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

/**
 * Departure records (keys: docs/keys.md, "Staff departures"), written by units of work: the store adapter of the
 * type, its move ledger's counts, its lists.
 */
final class DepartureStore {
    static final String TYPE = "STAFF_DEPARTURE";
    private static final int ATTEMPTS = 10;

    /** Departures as units of work write them (history: {@code STAFF_DEPARTURE#<id>}). */
    static final RecordType<StaffDeparture> RECORDS = RecordType.of(TYPE, "staff departure", StaffDeparture::departureId,
            StaffDeparture::version, DepartureStore::item);
    /** A running departure's bookkeeping (counts so far, its execution): written without a history entry. */
    static final RecordType<StaffDeparture> BOOKKEEPING = RECORDS.described("staff departure",
            Set.of("version", "updatedAt", "moved", "executionArn"));

    private final Table table;

    DepartureStore(Table table) {
        this.table = table;
    }

    Optional<StaffDeparture> find(String departureId) {
        if (departureId == null || departureId.isBlank() || departureId.length() > 64) {
            return Optional.empty();
        }
        return table.get(Keys.record(TYPE, departureId)).map(i -> Items.toRecord(i, StaffDeparture.class));
    }

    StaffDeparture require(String departureId) {
        return find(departureId).orElseThrow(() -> new IllegalArgumentException("no staff departure " + departureId));
    }

    /** A change of the departure record alone (see below). */
    StaffDeparture update(String departureId, Actor actor, RecordType<StaffDeparture> type, String action, String note,
                          UnaryOperator<StaffDeparture> change) {
        return update(departureId, actor, type, action, note, change, (d, uow) -> {
        });
    }

    /**
     * Applies {@code change} to the current version as one unit of work of {@code actor} — the record under
     * {@code type} (its history entry under {@code action}, with {@code note}) and what {@code with} adds — read again
     * and tried again when it was changed meanwhile; the stored result ({@code change} answering its input: nothing
     * written).
     */
    StaffDeparture update(String departureId, Actor actor, RecordType<StaffDeparture> type, String action, String note,
                          UnaryOperator<StaffDeparture> change, BiConsumer<StaffDeparture, UnitOfWork> with) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            StaffDeparture current = require(departureId);
            StaffDeparture next = change.apply(current);
            if (next == current) {
                return next;
            }
            UnitOfWork uow = new UnitOfWork(table, actor).change(type, current, next, action, note);
            with.accept(next, uow);
            if (uow.commitIfCurrent()) {
                return next;
            }
        }
        throw new IllegalStateException("staff departure " + departureId + " kept changing; try again");
    }

    /** What a departure's move ledger holds: each record it moved, once. */
    record Tally(MovedCounts moved, Map<String, MovedCounts> perReceiver) {
    }

    /** Counts the MOVED ledger items, per kind and per receiver (one Query of the departure's partition). */
    Tally tally(String departureId) {
        MovedCounts moved = MovedCounts.NONE;
        Map<String, MovedCounts> perReceiver = new HashMap<>();
        for (var item : table.queryAll(KeyQuery.on(null, Keys.record(TYPE, departureId).pk(), Keys.departureMovePrefix(null)))) {
            MovedType type = MovedType.valueOf(item.get("type").s());
            moved = moved.plus(type, 1);
            perReceiver.compute(item.get("receiverId").s(), (r, c) -> (c == null ? MovedCounts.NONE : c).plus(type, 1));
        }
        return new Tally(moved, perReceiver);
    }

    /** Managers: their department's departures (gsi2); admins: every status partition (gsi3). */
    Page<StaffDeparture> list(Scope scope, String cursor, int limit) {
        List<String> statuses = Arrays.stream(DepartureStatus.values()).map(Enum::name).toList();
        List<KeyQuery> parts = ScopedQuery.deleted(false).partitions(scope, TYPE, null, statuses);
        return Pager.page(table, parts, cursor, limit, i -> Items.toRecord(i, StaffDeparture.class), scope::includes);
    }

    private static Map<String, AttributeValue> item(StaffDeparture d) {
        ObjectNode o = (ObjectNode) Json.tree(d);
        var key = Keys.record(TYPE, d.departureId());
        o.put("pk", key.pk());
        o.put("sk", key.sk());
        // no owner partition (gsi1): that one holds only what the departing person owns and is being emptied
        String sort = Keys.typedSortKey(TYPE, d.startedAt(), d.departureId());
        o.put("gsi2pk", Keys.departmentPartition(d.departmentId()));
        o.put("gsi2sk", sort);
        o.put("gsi3pk", Keys.statusPartition(TYPE, d.status().name()));
        o.put("gsi3sk", d.startedAt() + "#" + d.departureId());
        return Items.fromObject(o);
    }
}
