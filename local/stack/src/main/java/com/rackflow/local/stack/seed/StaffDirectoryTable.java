package com.rackflow.local.stack.seed;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The staff directory in the application table, in the key scheme of docs/keys.md: users under
 * {@code USER#<userId>/PROFILE}, departments under {@code DEPT#<departmentId>/PROFILE}, with their gsi1 keys.
 */
public final class StaffDirectoryTable {

    private final DynamoDbClient dynamo;
    private final String tableName;

    public StaffDirectoryTable(DynamoDbClient dynamo, String tableName) {
        this.dynamo = dynamo;
        this.tableName = tableName;
    }

    public String tableName() {
        return tableName;
    }

    /**
     * Writes the demo directory. Into a table created just now it goes in batches; otherwise each item is written
     * only if absent, so a persisted directory keeps its changes (a departure, a new role).
     */
    public void seed(DemoStaff staff, boolean freshTable, Instant now) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        staff.departments().forEach(d -> items.add(item(d, now)));
        staff.users().forEach(u -> items.add(item(u, now)));
        if (!freshTable) {
            items.forEach(this::putIfAbsent);
            return;
        }
        for (int from = 0; from < items.size(); from += 25) {
            List<WriteRequest> batch = items.subList(from, Math.min(items.size(), from + 25)).stream()
                    .map(item -> WriteRequest.builder().putRequest(p -> p.item(item)).build()).toList();
            Map<String, List<WriteRequest>> pending = Map.of(tableName, batch);
            while (!pending.isEmpty()) {
                Map<String, List<WriteRequest>> request = pending;
                pending = dynamo.batchWriteItem(b -> b.requestItems(request)).unprocessedItems();
            }
        }
    }

    /** Writes the department unless it exists. @return whether written */
    public boolean putIfAbsent(Department d, Instant now) {
        return putIfAbsent(item(d, now));
    }

    private static Map<String, AttributeValue> item(Department d, Instant now) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("pk", s("DEPT#" + d.departmentId()));
        item.put("sk", s("PROFILE"));
        item.put("departmentId", s(d.departmentId()));
        item.put("name", s(d.name()));
        item.put("nameZh", s(d.nameZh()));
        item.put("kind", s(d.kind().name()));
        item.put("managerId", s(d.managerId()));
        item.put("version", AttributeValue.fromN("1"));
        item.put("createdAt", s(timestamp(now)));
        item.put("updatedAt", s(timestamp(now)));
        item.put("gsi1pk", s("DEPTS"));
        item.put("gsi1sk", s("DEPT#" + d.departmentId()));
        return item;
    }

    /** Writes the user unless it exists. @return whether written */
    public boolean putIfAbsent(StaffMember u, Instant now) {
        return putIfAbsent(item(u, now));
    }

    private static Map<String, AttributeValue> item(StaffMember u, Instant now) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("pk", s("USER#" + u.userId()));
        item.put("sk", s("PROFILE"));
        item.put("userId", s(u.userId()));
        item.put("displayName", s(u.displayName()));
        item.put("role", s(u.role().name()));
        item.put("departmentId", s(u.departmentId()));
        item.put("status", s(u.status().name()));
        item.put("email", s(u.email()));
        item.put("version", AttributeValue.fromN("1"));
        item.put("createdAt", s(timestamp(now)));
        item.put("updatedAt", s(timestamp(now)));
        item.put("gsi1pk", s("DEPT#" + u.departmentId() + "#USERS"));
        item.put("gsi1sk", s("USER#" + u.userId()));
        return item;
    }

    /** The user's status as the directory has it now; empty for an unknown user. */
    public Optional<StaffStatus> status(String userId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tableName).consistentRead(true)
                .key(Map.of("pk", s("USER#" + userId), "sk", s("PROFILE")))).item();
        if (item == null || item.isEmpty() || item.get("status") == null) {
            return Optional.empty();
        }
        return Optional.of(StaffStatus.valueOf(item.get("status").s()));
    }

    /** The user as the directory has them now (name, role, department, status); empty for an unknown user. */
    public Optional<StaffMember> member(String userId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tableName).consistentRead(true)
                .key(Map.of("pk", s("USER#" + userId), "sk", s("PROFILE")))).item();
        if (item == null || item.isEmpty() || item.get("status") == null || item.get("role") == null) {
            return Optional.empty();
        }
        return Optional.of(new StaffMember(userId, text(item, "displayName"), Role.valueOf(item.get("role").s()),
                text(item, "departmentId"), StaffStatus.valueOf(item.get("status").s()), text(item, "email")));
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.s() == null ? "" : value.s();
    }

    private boolean putIfAbsent(Map<String, AttributeValue> item) {
        try {
            dynamo.putItem(b -> b.tableName(tableName).item(item).conditionExpression("attribute_not_exists(pk)"));
            return true;
        } catch (ConditionalCheckFailedException exists) {
            return false;
        }
    }

    private static String timestamp(Instant now) {
        return now.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
