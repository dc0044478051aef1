package com.rackflow.core.aws;

import com.amazonaws.xray.interceptors.TracingInterceptor;
import com.rackflow.core.config.Config;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

import java.net.URI;

/**
 * How every AWS client of the functions is built: the function's region, Lambda's credentials and the light
 * URL-connection HTTP client. Lambda hands an execution environment its role's credentials as environment variables,
 * except under SnapStart, where the Java runtime gets a container-credentials endpoint
 * (AWS_CONTAINER_CREDENTIALS_FULL_URI + AWS_CONTAINER_AUTHORIZATION_TOKEN) so that restored snapshots never hold
 * expired keys; the chain covers both. {@code AWS_ENDPOINT_URL_<SERVICE>}, the SDK's standard variable, points a
 * client at another endpoint. When the function is traced (Lambda sets {@code AWS_XRAY_DAEMON_ADDRESS} for Tracing:
 * Active), the X-Ray SDK's interceptor makes each call a subsegment of the invocation's trace.
 */
public final class AwsClients {
    private AwsClients() {
    }

    public static AwsCredentialsProvider credentials() {
        return AwsCredentialsProviderChain.builder()
                .credentialsProviders(EnvironmentVariableCredentialsProvider.create(), ContainerCredentialsProvider.create())
                .reuseLastProviderEnabled(true)
                .build();
    }

    /** {@code endpointVariable}: e.g. AWS_ENDPOINT_URL_DYNAMODB. */
    public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder, String endpointVariable) {
        builder.region(Region.of(Config.region()))
                .credentialsProvider(credentials())
                .httpClient(UrlConnectionHttpClient.create());
        if (Config.optional("AWS_XRAY_DAEMON_ADDRESS").isPresent()) {
            builder.overrideConfiguration(o -> o.addExecutionInterceptor(new TracingInterceptor()));
        }
        Config.optional(endpointVariable).ifPresent(e -> builder.endpointOverride(URI.create(e)));
        return builder.build();
    }
}
