package com.rackflow.local.stepfunctions;

import java.time.Duration;

import software.amazon.awssdk.services.dynamodb.waiters.DynamoDbWaiter;

import software.amazon.awssdk.core.retry.backoff.FixedDelayBackoffStrategy;

import static org.assertj.core.api.Assertions.assertThat;

import com.rackflow.local.dynalite.Dynalite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

/** The DynamoDB integrations (optimised getItem/putItem/updateItem/deleteItem and aws-sdk query) on a real dynalite. */
class DynamoDbIntegrationTest {

    private static final String TABLE = "sfn-integration-items";
    private static DynamoDbClient ddb;
    private static LocalStepFunctions local;
    private static SfnClient sfn;

    @BeforeAll
    static void start() {
        Dynalite dynalite = Dynalite.shared();
        ddb = DynamoDbClient.builder().endpointOverride(dynalite.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("t", "t")))
                .httpClient(UrlConnectionHttpClient.create()).build();
        if (!ddb.listTables().tableNames().contains(TABLE)) {
            ddb.createTable(b -> b.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                            a -> a.attributeName("sk").attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH),
                            k -> k.attributeName("sk").keyType(KeyType.RANGE)));
            // dynalite answers CreateTable before the table is ACTIVE; writes in between get ResourceNotFound
            DynamoDbWaiter.builder().client(ddb)
                    .overrideConfiguration(w -> w.maxAttempts(500).backoffStrategy(FixedDelayBackoffStrategy.create(Duration.ofMillis(10))))
                    .build().waitUntilTableExists(r -> r.tableName(TABLE));
        }
        local = LocalStepFunctions.builder().timeScale(0.001).dynamoDbEndpoint(dynalite.endpoint()).build().start();
        sfn = SfnTestSupport.client(local);
    }

    @AfterAll
    static void stop() {
        sfn.close();
        local.close();
        ddb.close();
    }

    private static DescribeExecutionResponse run(String def, String input) {
        String machine = sfn.createStateMachine(b -> b.name("ddb-" + System.nanoTime()).definition(def)
                .roleArn("arn:aws:iam::123456789012:role/r")).stateMachineArn();
        String exec = sfn.startExecution(b -> b.stateMachineArn(machine).input(input)).executionArn();
        for (int i = 0; i < 2000; i++) {
            DescribeExecutionResponse d = sfn.describeExecution(b -> b.executionArn(exec));
            if (d.status() != ExecutionStatus.RUNNING) {
                return d;
            }
            SfnTestSupport.sleep(5);
        }
        throw new AssertionError("still running");
    }

    @Test
    void putGetUpdateQueryDelete() {
        String def = "{\"StartAt\":\"Put\",\"States\":{"
                + "\"Put\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::dynamodb:putItem\",\"Parameters\":{"
                + "\"TableName\":\"" + TABLE + "\",\"Item\":{\"pk\":{\"S.$\":\"$.id\"},\"sk\":{\"S\":\"A\"},"
                + "\"name\":{\"S.$\":\"$.name\"},\"n\":{\"N\":\"1\"}}},\"ResultPath\":null,\"Next\":\"Get\"},"
                + "\"Get\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::dynamodb:getItem\",\"Parameters\":{"
                + "\"TableName\":\"" + TABLE + "\",\"Key\":{\"pk\":{\"S.$\":\"$.id\"},\"sk\":{\"S\":\"A\"}}},"
                + "\"ResultSelector\":{\"name.$\":\"$.Item.name.S\"},\"ResultPath\":\"$.got\",\"Next\":\"Update\"},"
                + "\"Update\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::dynamodb:updateItem\",\"Parameters\":{"
                + "\"TableName\":\"" + TABLE + "\",\"Key\":{\"pk\":{\"S.$\":\"$.id\"},\"sk\":{\"S\":\"A\"}},"
                + "\"UpdateExpression\":\"SET n = n + :one\",\"ExpressionAttributeValues\":{\":one\":{\"N\":\"1\"}},"
                + "\"ReturnValues\":\"ALL_NEW\"},\"ResultSelector\":{\"n.$\":\"$.Attributes.n.N\"},"
                + "\"ResultPath\":\"$.updated\",\"Next\":\"Query\"},"
                + "\"Query\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::aws-sdk:dynamodb:query\",\"Parameters\":{"
                + "\"TableName\":\"" + TABLE + "\",\"KeyConditionExpression\":\"pk = :pk\",\"ExpressionAttributeValues\":"
                + "{\":pk\":{\"S.$\":\"$.id\"}}},\"ResultSelector\":{\"count.$\":\"$.Count\"},\"ResultPath\":\"$.query\","
                + "\"Next\":\"Delete\"},"
                + "\"Delete\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::dynamodb:deleteItem\",\"Parameters\":{"
                + "\"TableName\":\"" + TABLE + "\",\"Key\":{\"pk\":{\"S.$\":\"$.id\"},\"sk\":{\"S\":\"A\"}}},"
                + "\"ResultPath\":null,\"End\":true}}}";
        DescribeExecutionResponse d = run(def, "{\"id\":\"c-1\",\"name\":\"Rack A\"}");
        assertThat(d.status()).as("%s %s", d.error(), d.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(SfnTestSupport.json(d.output())).isEqualTo(SfnTestSupport.json("{\"id\":\"c-1\",\"name\":"
                + "\"Rack A\",\"got\":{\"name\":\"Rack A\"},\"updated\":{\"n\":\"2\"},\"query\":{\"count\":1}}"));
        assertThat(ddb.getItem(b -> b.tableName(TABLE).key(java.util.Map.of("pk", AttributeValue.fromS("c-1"),
                "sk", AttributeValue.fromS("A")))).hasItem()).isFalse();
        var types = sfn.getExecutionHistory(b -> b.executionArn(d.executionArn())).events().stream()
                .filter(e -> e.type() == HistoryEventType.TASK_SCHEDULED)
                .map(e -> e.taskScheduledEventDetails().resourceType() + ":" + e.taskScheduledEventDetails()
                        .resource()).toList();
        assertThat(types).containsExactly("dynamodb:putItem", "dynamodb:getItem", "dynamodb:updateItem",
                "aws-sdk:dynamodb:query", "dynamodb:deleteItem");
    }

    @Test
    void conditionalCheckFailureIsACatchableDynamoDbError() {
        ddb.putItem(b -> b.tableName(TABLE).item(java.util.Map.of("pk", AttributeValue.fromS("taken"),
                "sk", AttributeValue.fromS("A"))));
        String def = "{\"StartAt\":\"Put\",\"States\":{\"Put\":{\"Type\":\"Task\",\"Resource\":"
                + "\"arn:aws:states:::dynamodb:putItem\",\"Parameters\":{\"TableName\":\"" + TABLE + "\",\"Item\":{"
                + "\"pk\":{\"S\":\"taken\"},\"sk\":{\"S\":\"A\"}},\"ConditionExpression\":\"attribute_not_exists(pk)\"},"
                + "\"Catch\":[{\"ErrorEquals\":[\"DynamoDB.ConditionalCheckFailedException\"],\"Next\":\"Dup\"}],"
                + "\"End\":true},\"Dup\":{\"Type\":\"Pass\",\"End\":true}}}";
        DescribeExecutionResponse d = run(def, "{}");
        assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(SfnTestSupport.json(d.output()).get("Error").asText())
                .isEqualTo("DynamoDB.ConditionalCheckFailedException");
    }

    @Test
    void missingTableIsResourceNotFound() {
        String def = "{\"StartAt\":\"G\",\"States\":{\"G\":{\"Type\":\"Task\",\"Resource\":"
                + "\"arn:aws:states:::dynamodb:getItem\",\"Parameters\":{\"TableName\":\"no-such-table\",\"Key\":{"
                + "\"pk\":{\"S\":\"x\"}}},\"End\":true}}}";
        assertThat(run(def, "{}").error()).isEqualTo("DynamoDB.ResourceNotFoundException");
    }
}
