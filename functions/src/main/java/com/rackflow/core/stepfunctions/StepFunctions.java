package com.rackflow.core.stepfunctions;

import com.rackflow.core.config.Config;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.SfnClientBuilder;

import java.net.URI;

/**
 * The Step Functions client, built once per container like {@code Dynamo}'s: explicit region, environment (or system
 * property) credentials, the URL-connection HTTP client; AWS_ENDPOINT_URL_SFN points it at the local engine.
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
        SfnClientBuilder b = SfnClient.builder()
                .region(Region.of(Config.region()))
                .credentialsProvider(AwsCredentialsProviderChain.of(
                        EnvironmentVariableCredentialsProvider.create(), SystemPropertyCredentialsProvider.create()))
                .httpClient(UrlConnectionHttpClient.create());
        Config.optional("AWS_ENDPOINT_URL_SFN").ifPresent(e -> b.endpointOverride(URI.create(e)));
        return b.build();
    }
}
