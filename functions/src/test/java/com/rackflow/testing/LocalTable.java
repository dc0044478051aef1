package com.rackflow.testing;

import java.time.Duration;

import software.amazon.awssdk.services.dynamodb.waiters.DynamoDbWaiter;

import software.amazon.awssdk.core.retry.backoff.FixedDelayBackoffStrategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.rackflow.core.persistence.Table;
import com.rackflow.local.dynalite.Dynalite;
import com.rackflow.local.dynamodb.DynamoFront;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A fresh copy of the template's table in the JVM's shared dynalite, reached through the local DynamoDB front (which
 * adds transactions), never a DynamoDB mock.
 */
public final class LocalTable {
    private static DynamoDbClient client;

    private LocalTable() {
    }

    public static synchronized DynamoDbClient client() {
        if (client == null) {
            client = DynamoDbClient.builder().endpointOverride(DynamoFront.shared().endpoint()).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                    .httpClient(UrlConnectionHttpClient.create()).build();
        }
        return client;
    }

    public static Path repositoryRoot() {
        return Dynalite.repositoryRoot();
    }

    public static JsonNode template() {
        return com.rackflow.core.json.Json.MAPPER.valueToTree(
                com.rackflow.local.cloudformation.CloudFormationYaml.read(repositoryRoot().resolve("template.yaml")));
    }

    /** Creates a new table with the key schema and GSIs of template.yaml's RackFlowTable. */
    public static Table create() {
        JsonNode props = template().path("Resources").path("RackFlowTable").path("Properties");
        String name = "rackflow-test-" + UUID.randomUUID();
        List<AttributeDefinition> attrs = new ArrayList<>();
        props.path("AttributeDefinitions").forEach(a -> attrs.add(AttributeDefinition.builder()
                .attributeName(a.path("AttributeName").asText()).attributeType(a.path("AttributeType").asText()).build()));
        List<GlobalSecondaryIndex> gsis = new ArrayList<>();
        props.path("GlobalSecondaryIndexes").forEach(g -> gsis.add(GlobalSecondaryIndex.builder()
                .indexName(g.path("IndexName").asText()).keySchema(keys(g.path("KeySchema")))
                .projection(Projection.builder().projectionType(ProjectionType.fromValue(g.path("Projection").path("ProjectionType").asText())).build())
                .build()));
        client().createTable(CreateTableRequest.builder().tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attrs).keySchema(keys(props.path("KeySchema"))).globalSecondaryIndexes(gsis).build());
        // dynalite answers CreateTable while the table is still CREATING (ACTIVE a moment later); a write in between
        // is refused with ResourceNotFound, so wait for ACTIVE
        DynamoDbWaiter.builder().client(client())
                .overrideConfiguration(w -> w.maxAttempts(500).backoffStrategy(FixedDelayBackoffStrategy.create(Duration.ofMillis(10))))
                .build().waitUntilTableExists(r -> r.tableName(name));
        return new Table(client(), name);
    }

    private static List<KeySchemaElement> keys(JsonNode schema) {
        List<KeySchemaElement> out = new ArrayList<>();
        schema.forEach(k -> out.add(KeySchemaElement.builder().attributeName(k.path("AttributeName").asText())
                .keyType(k.path("KeyType").asText()).build()));
        return out;
    }
}
