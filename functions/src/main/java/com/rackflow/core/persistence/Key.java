package com.rackflow.core.persistence;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;

/** The primary key of one item. */
public record Key(String pk, String sk) {
    public Map<String, AttributeValue> toMap() {
        return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk));
    }
}
