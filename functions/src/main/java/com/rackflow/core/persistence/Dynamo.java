package com.rackflow.core.persistence;

import com.rackflow.core.config.Config;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

import java.net.URI;

/**
 * The DynamoDB client, built once per container (and so captured in the SnapStart snapshot): explicit region,
 * environment credentials (what Lambda provides), the light URL-connection HTTP client. AWS_ENDPOINT_URL_DYNAMODB,
 * the SDK's standard variable, points it at another endpoint (the local dynalite).
 */
public final class Dynamo {
    private static volatile DynamoDbClient client;
    private static volatile Table table;

    private Dynamo() {
    }

    public static DynamoDbClient client() {
        DynamoDbClient c = client;
        if (c == null) {
            synchronized (Dynamo.class) {
                if (client == null) {
                    client = build();
                }
                c = client;
            }
        }
        return c;
    }

    /** The application's one table, named by TABLE_NAME. */
    public static Table table() {
        Table t = table;
        if (t == null) {
            synchronized (Dynamo.class) {
                if (table == null) {
                    table = new Table(client(), Config.tableName());
                }
                t = table;
            }
        }
        return t;
    }

    private static DynamoDbClient build() {
        DynamoDbClientBuilder b = DynamoDbClient.builder()
                .region(Region.of(Config.region()))
                .credentialsProvider(AwsCredentialsProviderChain.of(
                        EnvironmentVariableCredentialsProvider.create(), SystemPropertyCredentialsProvider.create()))
                .httpClient(UrlConnectionHttpClient.create());
        Config.optional("AWS_ENDPOINT_URL_DYNAMODB").ifPresent(e -> b.endpointOverride(URI.create(e)));
        return b.build();
    }
}
