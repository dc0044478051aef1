package com.rackflow.local.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.rackflow.local.stack.idp.LocalIdentityProvider;
import com.rackflow.local.stack.tables.LocalDynamoDb;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/** {@code --persist}: data, directory changes, DynamoDB client request tokens and the token signing key survive a restart. */
class LocalStackPersistenceTest {

    @TempDir
    Path dataDir;

    private LocalStack start() {
        return LocalStack.start(TestStacks.options(dataDir, true, 1.0));
    }

    @Test
    void aSecondStackOnTheSameDataFolderIsRefusedNamingTheFolderAndTheRunningStacksPorts() {
        try (LocalStackArguments.DataFolderLock running = LocalStackArguments.DataFolderLock.take(dataDir, 4100)) {
            assertThat(LocalStackArguments.DataFolderLock.holder(dataDir)).isPresent();
            assertThatThrownBy(this::start).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(dataDir.toString()).hasMessageContaining("API port 4100")
                    .hasMessageContaining("DynamoDB port 4101").hasMessageContaining("Step Functions port 4102");
        }
        assertThat(LocalStackArguments.DataFolderLock.holder(dataDir)).isEmpty();
    }

    @Test
    void restartKeepsTheDirectoryAsChangedAndTheSigningKey() {
        TransactWriteItemsRequest depart = TransactWriteItemsRequest.builder().clientRequestToken(UUID.randomUUID().toString())
                .transactItems(TransactWriteItem.builder().update(u -> u.tableName("RackFlowTable")
                        .key(Map.of("pk", AttributeValue.fromS("USER#zhao.min"), "sk", AttributeValue.fromS("PROFILE")))
                        .updateExpression("SET #s = :departed")
                        .conditionExpression("#s <> :departed")
                        .expressionAttributeNames(Map.of("#s", "status"))
                        .expressionAttributeValues(Map.of(":departed", AttributeValue.fromS("DEPARTED")))).build())
                .build();
        String kid;
        try (LocalStack first = start()) {
            kid = first.identityProvider().publicKeys().getKeys().get(0).getKeyID();
            assertThat(first.identityProvider().issue("zhao.min").accessToken()).isNotBlank();
            try (DynamoDbClient dynamo = LocalDynamoDb.client(first.dynamoEndpoint())) {
                dynamo.transactWriteItems(depart);
            }
        }
        assertThat(dataDir.resolve("dynamodb-journal")).isDirectory();

        try (LocalStack second = start()) {
            try (DynamoDbClient dynamo = LocalDynamoDb.client(second.dynamoEndpoint())) {
                // the DynamoDB endpoint remembers the transaction's ClientRequestToken across the restart: a retry is
                // answered as done, not run again (its condition would now fail)
                dynamo.transactWriteItems(depart);
            }
            assertThat(second.identityProvider().publicKeys().getKeys().get(0).getKeyID()).isEqualTo(kid);
            assertThatThrownBy(() -> second.identityProvider().issue("zhao.min"))
                    .isInstanceOf(LocalIdentityProvider.TokenRefused.class).hasMessageContaining("DEPARTED");
            assertThat(second.identityProvider().issue("li.lei").accessToken()).isNotBlank();
            // the departed owner's demo customer is not re-sent; the others are replayed by their Idempotency-Key
            assertThat(second.customerSeed()).hasValueSatisfying(seed -> {
                assertThat(seed.failed()).isEqualTo(1);
                assertThat(seed.ready()).isEqualTo(5);
            });
        }
    }
}
