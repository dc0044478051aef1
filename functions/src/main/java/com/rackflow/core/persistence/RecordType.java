package com.rackflow.core.persistence;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * How one type of record is stored: its type name (key prefix, history's recordType), its id and version, and its
 * item with every index key. Implemented by the store adapters ({@code RecordStore}, the directory's), so the
 * {@link UnitOfWork} writes records without services ever building an item.
 */
public interface RecordType<T> {
    /** Bookkeeping fields a history entry never lists as changes. */
    Set<String> BOOKKEEPING = Set.of("version", "updatedAt", "updatedBy", "modifiedByDepartmentId");

    /** A type made of its parts, for a store adapter that needs nothing more (history leaves out {@link #BOOKKEEPING}). */
    static <T> RecordType<T> of(String type, String what, Function<T, String> id, ToLongFunction<T> version,
                                Function<T, Map<String, AttributeValue>> item) {
        return new Parts<>(type, what, id, version, item, BOOKKEEPING);
    }

    /** See {@link #of}. */
    record Parts<T>(String type, String what, Function<T, String> ids, ToLongFunction<T> versions,
                    Function<T, Map<String, AttributeValue>> items, Set<String> notAudited) implements RecordType<T> {
        @Override
        public String id(T record) {
            return ids.apply(record);
        }

        @Override
        public long version(T record) {
            return versions.applyAsLong(record);
        }

        @Override
        public Map<String, AttributeValue> item(T record) {
            return items.apply(record);
        }
    }

    /** The key prefix and the history's {@code recordType}, e.g. {@code CUSTOMER}. */
    String type();

    String id(T record);

    long version(T record);

    /** The stored item: {@code pk}, {@code sk}, index keys and the record's fields. */
    Map<String, AttributeValue> item(T record);

    /** What the record is called in answers ({@code "customer"}: "customer not found"). */
    default String what() {
        return type().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }

    /** Fields kept out of history entries (bookkeeping, or fields some readers of the history may not see). */
    default Set<String> notAudited() {
        return BOOKKEEPING;
    }

    /** This type under another name in answers, with other fields kept out of its history. */
    default RecordType<T> described(String what, Set<String> notAudited) {
        return new Parts<>(type(), what, this::id, this::version, this::item, notAudited);
    }
}
