package com.rackflow.core.persistence;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;
import java.util.Set;

/**
 * How one type of record is stored: its type name (key prefix, history's recordType), its id and version, and its
 * item with every index key. Implemented by the store adapters ({@code RecordStore}, the directory's), so the
 * {@link UnitOfWork} writes records without services ever building an item.
 */
public interface RecordType<T> {
    /** Bookkeeping fields a history entry never lists as changes. */
    Set<String> BOOKKEEPING = Set.of("version", "updatedAt", "updatedBy", "modifiedByDepartmentId");

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
        RecordType<T> stored = this;
        return new RecordType<>() {
            @Override
            public String type() {
                return stored.type();
            }

            @Override
            public String id(T record) {
                return stored.id(record);
            }

            @Override
            public long version(T record) {
                return stored.version(record);
            }

            @Override
            public Map<String, AttributeValue> item(T record) {
                return stored.item(record);
            }

            @Override
            public String what() {
                return what;
            }

            @Override
            public Set<String> notAudited() {
                return notAudited;
            }
        };
    }
}
