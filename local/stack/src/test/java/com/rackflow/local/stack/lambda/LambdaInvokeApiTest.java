package com.rackflow.local.stack.lambda;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Invoke API as the AWS SDK's LambdaClient sees it: synchronous, asynchronous (with Lambda's retries), dry run, unknown. */
class LambdaInvokeApiTest {
    HttpServer server;
    LambdaClient lambda;
    final List<String> calls = new CopyOnWriteArrayList<>();
    final CountDownLatch threeCalls = new CountDownLatch(3);

    @BeforeEach
    void start() throws Exception {
        LambdaInvokeApi api = new LambdaInvokeApi((function, payload) -> {
            String body = new String(payload, StandardCharsets.UTF_8);
            calls.add(function + " " + body);
            threeCalls.countDown();
            if (body.contains("fail")) {
                throw new LambdaInvocationException("job", "java.lang.IllegalStateException", "it failed", null);
            }
            return ("{\"echo\":" + body + "}").getBytes(StandardCharsets.UTF_8);
        }, function -> function.startsWith("arn:aws:lambda:us-east-1:123456789012:function:job") || function.startsWith("job")
                ? new LambdaInvokeApi.Target("job", 2) : null, 0.001);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(LambdaInvokeApi.PATH, api);
        server.start();
        lambda = LambdaClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build();
    }

    @AfterEach
    void stop() {
        lambda.close();
        server.stop(0);
    }

    @Test
    void requestResponseAnswersTheResultOrTheFunctionError() {
        InvokeResponse ok = lambda.invoke(b -> b.functionName("job").payload(SdkBytes.fromUtf8String("{\"a\":1}")));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.payload().asUtf8String()).isEqualTo("{\"echo\":{\"a\":1}}");
        assertThat(ok.functionError()).isNull();
        InvokeResponse failed = lambda.invoke(b -> b.functionName("job").payload(SdkBytes.fromUtf8String("{\"fail\":1}")));
        assertThat(failed.statusCode()).isEqualTo(200);
        assertThat(failed.functionError()).isEqualTo("Unhandled");
        assertThat(failed.payload().asUtf8String()).contains("\"errorMessage\":\"it failed\"");
        assertThat(lambda.invoke(b -> b.functionName("job").invocationType(InvocationType.DRY_RUN)).statusCode()).isEqualTo(204);
        assertThatThrownBy(() -> lambda.invoke(b -> b.functionName("nobody").payload(SdkBytes.fromUtf8String("{}"))))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void anEventIsAcceptedAtOnceRunLaterAndRetriedTwiceWhenItFails() throws Exception {
        String arn = "arn:aws:lambda:us-east-1:123456789012:function:job:live";
        InvokeResponse accepted = lambda.invoke(b -> b.functionName(arn).invocationType(InvocationType.EVENT)
                .payload(SdkBytes.fromUtf8String("{\"fail\":true}")));
        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(threeCalls.await(10, TimeUnit.SECONDS)).as("first try and Lambda's two retries").isTrue();
        Thread.sleep(300);
        assertThat(calls).hasSize(3).allMatch(c -> c.equals(arn + " {\"fail\":true}"));
    }
}
