package com.rackflow.core.persistence;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;

/**
 * A Query on one partition of the table ({@code index} null) or of a GSI, optionally narrowed by a sort-key prefix
 * and a filter. Built by the feature's repository from {@link Keys}.
 */
public record KeyQuery(String index, String partitionValue, String sortPrefix, boolean ascending,
                       String filter, Map<String, String> filterNames, Map<String, AttributeValue> filterValues) {

    public static KeyQuery on(String index, String partitionValue, String sortPrefix) {
        return new KeyQuery(index, partitionValue, sortPrefix, false, null, Map.of(), Map.of());
    }

    public KeyQuery oldestFirst() {
        return new KeyQuery(index, partitionValue, sortPrefix, true, filter, filterNames, filterValues);
    }

    public KeyQuery filtered(String expression, Map<String, String> names, Map<String, AttributeValue> values) {
        return new KeyQuery(index, partitionValue, sortPrefix, ascending, expression, names, values);
    }

    public String partitionAttribute() {
        return index == null ? "pk" : index + "pk";
    }

    public String sortAttribute() {
        return index == null ? "sk" : index + "sk";
    }
}
