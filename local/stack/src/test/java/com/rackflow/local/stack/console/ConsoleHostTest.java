package com.rackflow.local.stack.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The console's own origin: the bundle, config.json beside it, and index.html for every deep link. */
class ConsoleHostTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpResponse<String> get(URI base, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesTheBundleConfigAndDeepLinks(@TempDir Path dist) throws Exception {
        Files.writeString(dist.resolve("index.html"), "<!doctype html><title>console</title>");
        Files.createDirectories(dist.resolve("assets"));
        Files.writeString(dist.resolve("assets/index-abc.js"), "console.log(1)");
        Files.writeString(dist.resolve(".source-hash"), "x");
        Files.writeString(dist.getParent().resolve("secret.txt"), "outside");
        try (ConsoleHost host = ConsoleHost.startIfBuilt(dist, 0,
                Map.of("apiUrl", "http://127.0.0.1:3000", "oidc", Map.of("clientId", "rackflow-console"))).orElseThrow()) {
            URI base = host.url();

            HttpResponse<String> script = get(base, "/assets/index-abc.js");
            assertThat(script.statusCode()).isEqualTo(200);
            assertThat(script.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/javascript");
            assertThat(script.headers().firstValue("Cache-Control").orElseThrow()).contains("immutable");

            JsonNode config = new ObjectMapper().readTree(get(base, "/config.json").body());
            assertThat(config.path("apiUrl").asText()).isEqualTo("http://127.0.0.1:3000");
            assertThat(config.path("oidc").path("clientId").asText()).isEqualTo("rackflow-console");

            for (String deepLink : new String[] {"/", "/customers/5fd59fb4", "/work-items/RF-HT2026000001-1.OPS_REVIEW?x=1"}) {
                HttpResponse<String> page = get(base, deepLink);
                assertThat(page.statusCode()).as(deepLink).isEqualTo(200);
                assertThat(page.body()).as(deepLink).contains("<title>console</title>");
                assertThat(page.headers().firstValue("Cache-Control").orElseThrow()).isEqualTo("no-cache");
            }
            assertThat(get(base, "/assets/missing.js").statusCode()).isEqualTo(404);
            assertThat(get(base, "/.source-hash").body()).doesNotContain("x\n").contains("<title>console</title>");
            assertThat(get(base, "/../secret.txt").body()).doesNotContain("outside");
            assertThat(get(base, "/%2e%2e/secret.txt").body()).doesNotContain("outside");
        }
    }

    @Test
    void nothingIsServedWhenTheConsoleIsNotBuilt(@TempDir Path dist) {
        assertThat(ConsoleHost.startIfBuilt(dist, 0, Map.of())).isEmpty();
    }
}
