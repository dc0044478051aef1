package com.rackflow.core.persistence;

import com.rackflow.core.config.Config;
import com.rackflow.core.aws.AwsClients;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The DynamoDB client, built once per container (and so captured in the SnapStart snapshot) as {@link AwsClients}
 * builds every client; the SDK's standard AWS_ENDPOINT_URL_DYNAMODB, when set, points it at another endpoint.
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
        return AwsClients.build(DynamoDbClient.builder(), "AWS_ENDPOINT_URL_DYNAMODB");
    }
}
