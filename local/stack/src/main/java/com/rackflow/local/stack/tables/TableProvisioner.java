package com.rackflow.local.stack.tables;

import java.time.Duration;

import software.amazon.awssdk.services.dynamodb.waiters.DynamoDbWaiter;

import software.amazon.awssdk.core.retry.backoff.FixedDelayBackoffStrategy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.rackflow.local.stack.log.JsonLog;
import com.rackflow.local.stack.template.TableSpec;
import com.rackflow.local.cloudformation.TemplateException;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/**
 * Creates the template's {@code AWS::DynamoDB::Table}s in dynalite: keys, attribute definitions, indexes and billing
 * mode. Settings dynalite does not have (point-in-time recovery, encryption, TTL, streams, tags ...) are skipped
 * with a log line. A table that already exists (persisted data folder) is left as it is.
 */
public final class TableProvisioner {

    private static final JsonLog LOG = JsonLog.of("tables");
    private static final Set<String> CREATED_FROM = Set.of("TableName", "AttributeDefinitions", "KeySchema",
            "GlobalSecondaryIndexes", "LocalSecondaryIndexes", "BillingMode", "ProvisionedThroughput");

    private final DynamoDbClient dynamo;

    public TableProvisioner(DynamoDbClient dynamo) {
        this.dynamo = dynamo;
    }

    /** @return whether the table was created (false: it existed) */
    public boolean provision(TableSpec table) {
        try {
            dynamo.describeTable(b -> b.tableName(table.tableName()));
            LOG.info("table exists, kept with its data", "table", table.tableName());
            return false;
        } catch (ResourceNotFoundException absent) {
            dynamo.createTable(createRequest(table));
            awaitActive(table.tableName());
            List<String> skipped = table.properties().keySet().stream().filter(p -> !CREATED_FROM.contains(p)).sorted().toList();
            LOG.info("table created", "table", table.tableName(), "notAvailableLocally", skipped);
            return true;
        }
    }

    /**
     * dynalite answers CreateTable while the table is still CREATING and refuses writes with ResourceNotFound until
     * it is ACTIVE a moment later (seen as a rare failure of the first directory write at start).
     */
    private void awaitActive(String tableName) {
        DynamoDbWaiter.builder().client(dynamo)
                .overrideConfiguration(w -> w.maxAttempts(500).backoffStrategy(FixedDelayBackoffStrategy.create(Duration.ofMillis(10))))
                .build().waitUntilTableExists(r -> r.tableName(tableName));
    }

    static CreateTableRequest createRequest(TableSpec table) {
        Map<String, Object> p = table.properties();
        CreateTableRequest.Builder request = CreateTableRequest.builder()
                .tableName(table.tableName())
                .attributeDefinitions(list(p, "AttributeDefinitions", table).stream()
                        .map(a -> AttributeDefinition.builder()
                                .attributeName(text(a, "AttributeName", table))
                                .attributeType(text(a, "AttributeType", table)).build())
                        .toList())
                .keySchema(keySchema(list(p, "KeySchema", table), table));
        List<GlobalSecondaryIndex> gsis = new ArrayList<>();
        if (p.get("GlobalSecondaryIndexes") != null) {
            for (Map<String, Object> index : list(p, "GlobalSecondaryIndexes", table)) {
                GlobalSecondaryIndex.Builder gsi = GlobalSecondaryIndex.builder()
                        .indexName(text(index, "IndexName", table))
                        .keySchema(keySchema(list(index, "KeySchema", table), table))
                        .projection(projection(index, table));
                if (!payPerRequest(p)) {
                    gsi.provisionedThroughput(throughput(index));
                }
                gsis.add(gsi.build());
            }
            request.globalSecondaryIndexes(gsis);
        }
        if (p.get("LocalSecondaryIndexes") != null) {
            List<LocalSecondaryIndex> lsis = new ArrayList<>();
            for (Map<String, Object> index : list(p, "LocalSecondaryIndexes", table)) {
                lsis.add(LocalSecondaryIndex.builder()
                        .indexName(text(index, "IndexName", table))
                        .keySchema(keySchema(list(index, "KeySchema", table), table))
                        .projection(projection(index, table)).build());
            }
            request.localSecondaryIndexes(lsis);
        }
        if (payPerRequest(p)) {
            request.billingMode(BillingMode.PAY_PER_REQUEST);
        } else {
            request.billingMode(BillingMode.PROVISIONED).provisionedThroughput(throughput(p));
        }
        return request.build();
    }

    private static boolean payPerRequest(Map<String, Object> p) {
        return "PAY_PER_REQUEST".equals(p.get("BillingMode"));
    }

    private static ProvisionedThroughput throughput(Map<String, Object> p) {
        long read = 5;
        long write = 5;
        if (p.get("ProvisionedThroughput") instanceof Map<?, ?> t) {
            read = Long.parseLong(String.valueOf(t.get("ReadCapacityUnits")));
            write = Long.parseLong(String.valueOf(t.get("WriteCapacityUnits")));
        }
        return ProvisionedThroughput.builder().readCapacityUnits(read).writeCapacityUnits(write).build();
    }

    private static Projection projection(Map<String, Object> index, TableSpec table) {
        if (!(index.get("Projection") instanceof Map<?, ?> projection)) {
            throw new TemplateException(table.logicalId() + ": index " + index.get("IndexName") + " has no Projection");
        }
        Projection.Builder builder = Projection.builder().projectionType(String.valueOf(projection.get("ProjectionType")));
        if (projection.get("NonKeyAttributes") instanceof List<?> attributes) {
            builder.nonKeyAttributes(attributes.stream().map(String::valueOf).toList());
        }
        return builder.build();
    }

    private static List<KeySchemaElement> keySchema(List<Map<String, Object>> elements, TableSpec table) {
        return elements.stream().map(k -> KeySchemaElement.builder()
                .attributeName(text(k, "AttributeName", table))
                .keyType(text(k, "KeyType", table)).build()).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> p, String name, TableSpec table) {
        if (!(p.get(name) instanceof List<?> list)) {
            throw new TemplateException(table.logicalId() + ": " + name + " must be a list");
        }
        return (List<Map<String, Object>>) list;
    }

    private static String text(Map<String, Object> p, String name, TableSpec table) {
        Object value = p.get(name);
        if (value == null) {
            throw new TemplateException(table.logicalId() + ": " + name + " is missing");
        }
        return String.valueOf(value);
    }
}
