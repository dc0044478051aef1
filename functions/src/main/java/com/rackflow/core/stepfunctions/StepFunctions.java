package com.rackflow.core.stepfunctions;

import com.rackflow.core.aws.AwsClients;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The Step Functions client, built once per container like {@code Dynamo}'s (see {@link AwsClients});
 * AWS_ENDPOINT_URL_SFN points it at the local engine.
 */
public final class StepFunctions {
    private static volatile SfnClient client;

    private StepFunctions() {
    }

    public static SfnClient client() {
        SfnClient c = client;
        if (c == null) {
            synchronized (StepFunctions.class) {
                if (client == null) {
                    client = build();
                }
                c = client;
            }
        }
        return c;
    }

    private static SfnClient build() {
        return AwsClients.build(SfnClient.builder(), "AWS_ENDPOINT_URL_SFN");
    }
}
