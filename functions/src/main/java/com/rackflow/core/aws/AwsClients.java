package com.rackflow.core.aws;

import com.amazonaws.xray.interceptors.TracingInterceptor;
import com.rackflow.core.config.Config;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

import java.net.URI;

/**
 * How every AWS SDK client of the functions is built (once per container, so captured in the SnapStart snapshot):
 * explicit region, environment credentials (what Lambda provides), the light URL-connection HTTP client, the SDK's
 * standard endpoint variable of the service ({@code AWS_ENDPOINT_URL_<SERVICE>}) when one is set, and, when the
 * function is traced (Lambda sets {@code AWS_XRAY_DAEMON_ADDRESS} for Tracing: Active), the X-Ray SDK's interceptor:
 * each call becomes a subsegment of the invocation's trace.
 */
public final class AwsClients {
    private AwsClients() {
    }

    public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder, String endpointVariable) {
        builder.region(Region.of(Config.region()))
                .credentialsProvider(AwsCredentialsProviderChain.of(
                        EnvironmentVariableCredentialsProvider.create(), SystemPropertyCredentialsProvider.create()))
                .httpClient(UrlConnectionHttpClient.create());
        if (Config.optional("AWS_XRAY_DAEMON_ADDRESS").isPresent()) {
            builder.overrideConfiguration(o -> o.addExecutionInterceptor(new TracingInterceptor()));
        }
        Config.optional(endpointVariable).ifPresent(e -> builder.endpointOverride(URI.create(e)));
        return builder.build();
    }
}
