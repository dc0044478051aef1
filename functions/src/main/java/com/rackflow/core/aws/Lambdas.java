package com.rackflow.core.aws;

import software.amazon.awssdk.services.lambda.LambdaClient;

/** The Lambda client (to invoke another function), built once per container by {@link AwsClients}. */
public final class Lambdas {
    private static volatile LambdaClient client;

    private Lambdas() {
    }

    public static LambdaClient client() {
        LambdaClient c = client;
        if (c == null) {
            synchronized (Lambdas.class) {
                if (client == null) {
                    client = AwsClients.build(LambdaClient.builder(), "AWS_ENDPOINT_URL_LAMBDA");
                }
                c = client;
            }
        }
        return c;
    }
}
