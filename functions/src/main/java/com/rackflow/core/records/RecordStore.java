package com.rackflow.core.records;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.core.json.Json;
import com.rackflow.core.persistence.Items;
import com.rackflow.core.persistence.Key;
import com.rackflow.core.persistence.KeyQuery;
import com.rackflow.core.persistence.Keys;
import com.rackflow.core.persistence.Page;
import com.rackflow.core.persistence.Pager;
import com.rackflow.core.persistence.RecordType;
import com.rackflow.core.persistence.Table;
import com.rackflow.core.persistence.UnitOfWork;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * The items of one audited record type: {@code <TYPE>#<id>} / {@code RECORD} plus the index keys the feature gives
 * (docs/keys.md): the store adapter of such a type. Writes go through a {@link UnitOfWork} (see {@code AuditedRecords}).
 */
public final class RecordStore<T extends Audited> implements RecordType<T> {
    /** Puts a record's GSI keys (gsi1pk, gsi1sk ...) and any derived attributes on its item. */
    public interface IndexKeys<T> extends BiConsumer<T, ObjectNode> {
    }

    private final Table table;
    private final String type;
    private final Class<T> recordClass;
    private final IndexKeys<T> indexKeys;

    public RecordStore(Table table, String type, Class<T> recordClass, IndexKeys<T> indexKeys) {
        this.table = table;
        this.type = type;
        this.recordClass = recordClass;
        this.indexKeys = indexKeys;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public String id(T record) {
        return record.recordId();
    }

    @Override
    public long version(T record) {
        return record.version();
    }

    public Table table() {
        return table;
    }

    /** Ids are at most this long; a longer one names no record (and would exceed DynamoDB's key size). */
    public static final int MAX_ID_LENGTH = 128;

    /** The record as it is now (strongly consistent): for a read that decides a write. */
    public Optional<T> find(String id) {
        return read(id, Table.Read.STRONG);
    }

    /**
     * The record to show (eventually consistent, half the read units): GET of one record, never a read that decides a
     * write (a change re-reads it with {@link #find}, and its version condition guards the write).
     */
    public Optional<T> view(String id) {
        return read(id, Table.Read.EVENTUAL);
    }

    private Optional<T> read(String id, Table.Read read) {
        if (id == null || id.isBlank() || id.length() > MAX_ID_LENGTH) {
            return Optional.empty();
        }
        return table.get(Keys.record(type, id), read).map(this::fromItem);
    }

    public T fromItem(Map<String, AttributeValue> item) {
        return Items.toRecord(item, recordClass);
    }

    @Override
    public Map<String, AttributeValue> item(T record) {
        ObjectNode o = (ObjectNode) Json.tree(record);
        Key key = Keys.record(type, record.recordId());
        o.put("pk", key.pk());
        o.put("sk", key.sk());
        indexKeys.accept(record, o);
        return Items.fromObject(o);
    }

    /** One page over the partitions a scope chose; {@code keep} drops what the scope does not include. */
    public Page<T> page(List<KeyQuery> partitions, String cursor, int limit, Predicate<T> keep) {
        return Pager.page(table, partitions, cursor, limit, this::fromItem, keep);
    }

    /** One page of the records a parent's link items point at (e.g. a customer's contracts), newest link first. */
    public Page<T> linked(String parentType, String parentId, String cursor, int limit, Predicate<T> keep) {
        KeyQuery q = KeyQuery.on(null, Keys.record(parentType, parentId).pk(), Keys.linkPrefix(type));
        return Pager.page(table, List.of(q), cursor, limit,
                link -> find(link.get("childId").s()).orElse(null), r -> r != null && keep.test(r));
    }

    /** The link item that lists this record under its parent, written with the record's every write. */
    public void link(UnitOfWork uow, String parentType, String parentId, T record, Map<String, String> attributes) {
        Key k = Keys.link(parentType, parentId, type, record.createdAt() + "#" + record.recordId());
        Map<String, AttributeValue> item = new java.util.HashMap<>(k.toMap());
        item.put("childId", Items.s(record.recordId()));
        attributes.forEach((n, v) -> {
            if (v != null) {
                item.put(n, Items.s(v));
            }
        });
        uow.put(item);
    }

    /** The link items of a parent (their attributes, not the records). */
    public List<Map<String, AttributeValue>> links(String parentType, String parentId) {
        return table.queryAll(KeyQuery.on(null, Keys.record(parentType, parentId).pk(), Keys.linkPrefix(type)).oldestFirst());
    }
}
