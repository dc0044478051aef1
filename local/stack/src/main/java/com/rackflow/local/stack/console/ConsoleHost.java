package com.rackflow.local.stack.console;

import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.rackflow.local.stack.idp.LocalIdentityProvider;
import com.rackflow.local.stack.log.JsonLog;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Serves the built web console (web/dist) on its own origin, as CloudFront serves it from S3 in AWS: the API is then
 * another origin and every call crosses CORS. {@code /config.json} beside the bundle names the API and the OpenID
 * provider, as the deploy step writes it for AWS. Unknown paths answer index.html (deep links; CloudFront's 403/404
 * error responses do the same).
 */
public final class ConsoleHost implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonLog LOG = JsonLog.of("console");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8",
            "json", "application/json", "svg", "image/svg+xml", "png", "image/png", "ico", "image/x-icon",
            "woff2", "font/woff2", "woff", "font/woff", "ttf", "font/ttf");

    private final HttpServer server;
    private final ExecutorService threads;
    private final Path dist;
    private final byte[] config;

    private ConsoleHost(HttpServer server, Path dist, byte[] config) {
        this.server = server;
        this.dist = dist;
        this.config = config;
        this.threads = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "console");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The console's config.json: the API origin and the OpenID Connect settings of the local provider. */
    public static Map<String, Object> configuration(URI api, LocalIdentityProvider idp) {
        Map<String, Object> oidc = new LinkedHashMap<>();
        oidc.put("authority", idp.issuer());
        oidc.put("clientId", LocalIdentityProvider.CONSOLE_CLIENT_ID);
        oidc.put("scope", "openid profile email");
        oidc.put("roleClaim", "cognito:groups");
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("apiUrl", api.toString());
        config.put("oidc", oidc);
        return config;
    }

    /**
     * Starts on the port (0: any free one) when the console is built ({@code dist/index.html}); empty otherwise.
     */
    public static Optional<ConsoleHost> startIfBuilt(Path dist, int port, Map<String, Object> configuration) {
        if (!Files.isRegularFile(dist.resolve("index.html"))) {
            LOG.info("console not built; run web/build.sh (local/start.sh does)", "dist", dist.toString());
            return Optional.empty();
        }
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
            return Optional.of(new ConsoleHost(server, dist.toRealPath(), JSON.writeValueAsBytes(configuration)));
        } catch (BindException e) {
            throw new IllegalStateException("port " + port + " (the console) is already in use; choose another port with --port");
        } catch (IOException e) {
            throw new IllegalStateException("cannot serve the console on port " + port + ": " + e.getMessage(), e);
        }
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!List.of("GET", "HEAD").contains(exchange.getRequestMethod())) {
                send(exchange, 405, "text/plain; charset=utf-8", "no-store", "GET only".getBytes());
                return;
            }
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/config.json")) {
                send(exchange, 200, "application/json", "no-store", config);
                return;
            }
            Path file = dist.resolve(path.substring(1)).normalize();
            if (file.startsWith(dist) && Files.isRegularFile(file) && !file.getFileName().toString().startsWith(".")) {
                String name = file.getFileName().toString();
                String type = TYPES.getOrDefault(name.substring(name.lastIndexOf('.') + 1), "application/octet-stream");
                // hashed bundle files never change; index.html always revalidates
                String cache = path.startsWith("/assets/") ? "public, max-age=31536000, immutable" : "no-cache";
                send(exchange, 200, type, cache, Files.readAllBytes(file));
                return;
            }
            if (path.startsWith("/assets/")) {
                send(exchange, 404, "text/plain; charset=utf-8", "no-store", "not found".getBytes());
                return;
            }
            send(exchange, 200, TYPES.get("html"), "no-cache", Files.readAllBytes(dist.resolve("index.html")));
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String cache, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", cache);
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
