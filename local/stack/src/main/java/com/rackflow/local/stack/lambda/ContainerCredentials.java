package com.rackflow.local.stack.lambda;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.rackflow.local.stack.log.JsonLog;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The container-credentials endpoint Lambda gives SnapStart functions instead of access-key variables
 * ({@code AWS_CONTAINER_CREDENTIALS_FULL_URI} on loopback, {@code AWS_CONTAINER_AUTHORIZATION_TOKEN} in the
 * {@code Authorization} header): one path per function, answering its role's (local) session credentials.
 */
final class ContainerCredentials implements AutoCloseable {

    static final String ACCESS_KEY_ID = "local";
    static final String SECRET_ACCESS_KEY = "local";
    private static final String PATH = "/2018-06-01/credentials/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonLog LOG = JsonLog.of("lambda");

    private final HttpServer server;
    private final String token;
    private final Map<String, AtomicInteger> served = new ConcurrentHashMap<>();

    ContainerCredentials(ExecutorService threads) {
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        this.token = HexFormat.of().formatHex(secret);
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serve container credentials: " + e.getMessage(), e);
        }
        server.setExecutor(threads);
        server.createContext(PATH, this::handle);
        server.start();
    }

    /** The full URI a function's environment gets. */
    URI uri(String functionName) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + PATH + functionName);
    }

    String authorizationToken() {
        return token;
    }

    /** How many times {@code functionName}'s credentials were fetched. */
    int fetches(String functionName) {
        AtomicInteger n = served.get(functionName);
        return n == null ? 0 : n.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String function = exchange.getRequestURI().getPath().substring(PATH.length());
            if (!token.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                LOG.warn("container credentials refused: wrong or missing authorization token", "function", function);
                send(exchange, 403, Map.of("message", "Forbidden"));
                return;
            }
            served.computeIfAbsent(function, f -> new AtomicInteger()).incrementAndGet();
            send(exchange, 200, Map.of("AccessKeyId", ACCESS_KEY_ID, "SecretAccessKey", SECRET_ACCESS_KEY,
                    "Token", "local-session-" + function,
                    "Expiration", Instant.now().plus(6, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString()));
        }
    }

    private static void send(HttpExchange exchange, int status, Map<String, String> body) throws IOException {
        byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
