package com.rackflow.local.stack.template;

import java.util.Map;

/** An {@code AWS::DynamoDB::Table}: its name and its evaluated properties. */
public record TableSpec(String logicalId, String tableName, Map<String, Object> properties) {
}
