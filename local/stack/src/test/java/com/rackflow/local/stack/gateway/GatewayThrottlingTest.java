package com.rackflow.local.stack.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rackflow.local.dynalite.Dynalite;
import com.rackflow.local.stack.template.SamApplication;
import com.sun.net.httpserver.HttpServer;

/**
 * The stage throttle of template.yaml (MethodSettings: 100 requests a second, bursts of 200) as API Gateway applies
 * it: a token bucket in front of the authorizer, a throttled request answered 429 in the one error shape.
 */
class GatewayThrottlingTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void requestsBeyondTheBurstAreThrottledInTheOneErrorShapeUntilTheRateRefills() throws Exception {
        SamApplication application = SamApplication.load(Dynalite.repositoryRoot().resolve("template.yaml"), Map.of());
        var api = application.apis().stream().filter(a -> a.throttle() != null).findFirst().orElseThrow();
        assertThat(api.throttle().burstLimit()).isEqualTo(200);
        assertThat(api.throttle().rateLimit()).isEqualTo(100.0);
        AtomicInteger invocations = new AtomicInteger();
        MutableClock clock = new MutableClock();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", new RestApiGateway(application, (arn, payload) -> {
            invocations.incrementAndGet();
            throw new IllegalStateException("no function is called: the requests carry no token");
        }, clock));
        server.start();
        try {
            URI customers = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/customers");
            for (int i = 0; i < 200; i++) {
                assertThat(get(customers).statusCode()).as("request %d of the burst", i + 1).isEqualTo(401);
            }
            HttpResponse<String> throttled = get(customers);
            assertThat(throttled.statusCode()).isEqualTo(429);
            JsonNode error = new ObjectMapper().readTree(throttled.body()).path("error");
            assertThat(error.path("status").asInt()).isEqualTo(429);
            assertThat(error.path("code").asText()).isEqualTo("THROTTLED");
            assertThat(error.path("message").asText()).isEqualTo("Too Many Requests");
            assertThat(error.path("messageZh").asText()).isNotBlank();
            assertThat(new ObjectMapper().readTree(throttled.body()).path("requestId").asText()).isNotBlank();

            clock.advance(Duration.ofMillis(100)); // 10 tokens at 100 a second
            for (int i = 0; i < 10; i++) {
                assertThat(get(customers).statusCode()).as("refilled request %d", i + 1).isEqualTo(401);
            }
            assertThat(get(customers).statusCode()).isEqualTo(429);
            assertThat(invocations.get()).isZero();
        } finally {
            server.stop(0);
        }
    }

    private static HttpResponse<String> get(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
