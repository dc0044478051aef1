package com.rackflow.local.dynamodb;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.backoff.FixedDelayBackoffStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.waiters.DynamoDbWaiter;

/** SDK clients and tables for the front's tests. */
final class Sdk {
    private Sdk() {
    }

    static DynamoDbClient client(URI endpoint) {
        return DynamoDbClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(1)))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    /** A new table keyed by pk (S) + sk (S), with a GSI "byEmail" on email (S). */
    static String table(DynamoDbClient client) {
        String name = "front-test-" + UUID.randomUUID();
        client.createTable(t -> t.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("sk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("email").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH), k -> k.attributeName("sk").keyType(KeyType.RANGE))
                .globalSecondaryIndexes(g -> g.indexName("byEmail").keySchema(k -> k.attributeName("email").keyType(KeyType.HASH))
                        .projection(p -> p.projectionType(ProjectionType.ALL))));
        DynamoDbWaiter.builder().client(client)
                .overrideConfiguration(w -> w.maxAttempts(500).backoffStrategy(FixedDelayBackoffStrategy.create(Duration.ofMillis(10))))
                .build().waitUntilTableExists(r -> r.tableName(name));
        return name;
    }

    static Map<String, AttributeValue> key(String pk) {
        return Map.of("pk", s(pk), "sk", s("A"));
    }

    static Map<String, AttributeValue> item(String pk, String... more) {
        java.util.HashMap<String, AttributeValue> m = new java.util.HashMap<>(key(pk));
        for (int i = 0; i + 1 < more.length; i += 2) {
            m.put(more[i], more[i + 1].matches("-?\\d+") ? AttributeValue.fromN(more[i + 1]) : s(more[i + 1]));
        }
        return m;
    }

    static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }
}
