package com.rackflow.core.persistence;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;

/**
 * A Query on one partition of the table ({@code index} null) or of a GSI, optionally narrowed by a sort-key prefix
 * or an inclusive sort-key range, and a filter. Built by the feature's repository from {@link Keys}. A Query on the
 * table is strongly consistent unless {@link #eventually()} says it only shows what it reads (half the read units);
 * a GSI's is always eventually consistent.
 */
public record KeyQuery(String index, String partitionValue, String sortPrefix, boolean ascending,
                       String filter, Map<String, String> filterNames, Map<String, AttributeValue> filterValues,
                       String sortFrom, String sortTo, boolean eventual) {

    public KeyQuery(String index, String partitionValue, String sortPrefix, boolean ascending,
                    String filter, Map<String, String> filterNames, Map<String, AttributeValue> filterValues) {
        this(index, partitionValue, sortPrefix, ascending, filter, filterNames, filterValues, null, null, false);
    }

    public KeyQuery(String index, String partitionValue, String sortPrefix, boolean ascending,
                    String filter, Map<String, String> filterNames, Map<String, AttributeValue> filterValues,
                    String sortFrom, String sortTo) {
        this(index, partitionValue, sortPrefix, ascending, filter, filterNames, filterValues, sortFrom, sortTo, false);
    }

    /**
     * The same Query eventually consistent: for a page that is only shown (a list, a history), never for a read that
     * decides a write (that one stays strong, or the write's condition guards it).
     */
    public KeyQuery eventually() {
        return new KeyQuery(index, partitionValue, sortPrefix, ascending, filter, filterNames, filterValues, sortFrom, sortTo, true);
    }

    /** Whether DynamoDB reads it strongly consistent: the table's own partitions, unless {@link #eventually()}. */
    public boolean consistent() {
        return index == null && !eventual;
    }

    public static KeyQuery on(String index, String partitionValue, String sortPrefix) {
        return new KeyQuery(index, partitionValue, sortPrefix, false, null, Map.of(), Map.of());
    }

    /** Sort keys from {@code from} to {@code to}, both inclusive (e.g. one person's activities of a period). */
    public static KeyQuery between(String index, String partitionValue, String from, String to) {
        return new KeyQuery(index, partitionValue, null, false, null, Map.of(), Map.of(), from, to);
    }

    public KeyQuery oldestFirst() {
        return new KeyQuery(index, partitionValue, sortPrefix, true, filter, filterNames, filterValues, sortFrom, sortTo, eventual);
    }

    public KeyQuery filtered(String expression, Map<String, String> names, Map<String, AttributeValue> values) {
        return new KeyQuery(index, partitionValue, sortPrefix, ascending, expression, names, values, sortFrom, sortTo, eventual);
    }

    public String partitionAttribute() {
        return index == null ? "pk" : index + "pk";
    }

    public String sortAttribute() {
        return index == null ? "sk" : index + "sk";
    }
}
