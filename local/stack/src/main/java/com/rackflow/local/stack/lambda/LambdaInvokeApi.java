package com.rackflow.local.stack.lambda;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.rackflow.local.stack.log.JsonLog;
import com.rackflow.local.stack.log.Redaction;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * Lambda's Invoke API ({@code POST /2015-03-31/functions/{FunctionName}/invocations}) over the stack's functions, so
 * that a function's {@code LambdaClient} (pointed here by {@code AWS_ENDPOINT_URL_LAMBDA}) works as in AWS:
 * {@code RequestResponse} answers the function's result (200, {@code X-Amz-Function-Error} when it failed);
 * {@code Event} queues the invocation and answers 202 at once, then runs it in the background and, when it fails,
 * retries it as Lambda does for asynchronous invocations (the function's {@code EventInvokeConfig.MaximumRetryAttempts},
 * default 2, after 1 and 2 minutes); {@code DryRun} answers 204. An unknown function is a 404 ResourceNotFoundException.
 */
public final class LambdaInvokeApi implements HttpHandler {
    public static final String PATH = "/2015-03-31/functions/";

    private static final JsonLog LOG = JsonLog.of("lambda");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long[] RETRY_DELAYS_SECONDS = {60, 120};

    /** Invokes a function by name or ARN (qualified or not) with Lambda's JSON payload; throws when it failed. */
    @FunctionalInterface
    public interface Invoker {
        byte[] invoke(String functionArnOrName, byte[] payload);
    }

    /** What the template says of a function an Invoke names; null when it names none. */
    public record Target(String functionName, int maximumRetryAttempts) {
    }

    private final Invoker invoker;
    private final Function<String, Target> targets;
    private final double timeScale;
    private final ScheduledExecutorService queue = Executors.newScheduledThreadPool(2, runnable -> {
        Thread t = new Thread(runnable, "lambda-async");
        t.setDaemon(true);
        return t;
    });

    /** @param timeScale 1.0 waits Lambda's retry delays; smaller waits less (tests) */
    public LambdaInvokeApi(Invoker invoker, Function<String, Target> targets, double timeScale) {
        this.invoker = invoker;
        this.targets = targets;
        this.timeScale = timeScale;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            if (!"POST".equals(exchange.getRequestMethod()) || !path.startsWith(PATH) || !path.endsWith("/invocations")) {
                send(exchange, 404, Map.of("X-Amzn-ErrorType", "UnknownOperationException"), error("UnknownOperationException", "Unknown operation"));
                return;
            }
            String name = URLDecoder.decode(path.substring(PATH.length(), path.length() - "/invocations".length()), StandardCharsets.UTF_8);
            String qualifier = query(exchange, "Qualifier");
            String function = qualifier == null ? name : name + ":" + qualifier;
            Target target = targets.apply(function);
            if (target == null) {
                send(exchange, 404, Map.of("X-Amzn-ErrorType", "ResourceNotFoundException"),
                        error("ResourceNotFoundException", "Function not found: " + function));
                return;
            }
            byte[] payload = exchange.getRequestBody().readAllBytes();
            String type = exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type");
            switch (type == null ? "RequestResponse" : type) {
                case "Event" -> {
                    queue.execute(() -> runAsync(function, payload, target, 0));
                    send(exchange, 202, Map.of(), new byte[0]);
                }
                case "DryRun" -> send(exchange, 204, Map.of(), null);
                case "RequestResponse" -> {
                    try {
                        send(exchange, 200, Map.of("X-Amz-Executed-Version", "$LATEST"), invoker.invoke(function, payload));
                    } catch (LambdaInvocationException e) {
                        if ("ResourceNotFoundException".equals(e.errorType())) {
                            send(exchange, 404, Map.of("X-Amzn-ErrorType", e.errorType()), error(e.errorType(), e.errorMessage()));
                        } else {
                            send(exchange, 200, Map.of("X-Amz-Function-Error", "Unhandled", "X-Amz-Executed-Version", "$LATEST"),
                                    JSON.writeValueAsBytes(e.payload()));
                        }
                    }
                }
                default -> send(exchange, 400, Map.of("X-Amzn-ErrorType", "InvalidParameterValueException"),
                        error("InvalidParameterValueException", "X-Amz-Invocation-Type must be RequestResponse, Event or DryRun"));
            }
        }
    }

    private void runAsync(String function, byte[] payload, Target target, int attempt) {
        try {
            invoker.invoke(function, payload);
        } catch (LambdaInvocationException e) {
            boolean retry = attempt < Math.min(target.maximumRetryAttempts(), RETRY_DELAYS_SECONDS.length);
            LOG.warn("asynchronous invocation failed", "function", target.functionName(), "attempt", attempt + 1,
                    "errorType", e.errorType(), "errorMessage", Redaction.mask(e.errorMessage()), "retried", retry);
            if (retry) {
                long delayMs = Math.round(RETRY_DELAYS_SECONDS[attempt] * 1000 * timeScale);
                queue.schedule(() -> runAsync(function, payload, target, attempt + 1), delayMs, TimeUnit.MILLISECONDS);
            }
        } catch (RuntimeException e) {
            LOG.error("asynchronous invocation could not run", "function", target.functionName(), "error", e.toString());
        }
    }

    private static String query(HttpExchange exchange, String name) {
        String q = exchange.getRequestURI().getRawQuery();
        if (q == null) {
            return null;
        }
        for (String pair : q.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static byte[] error(String type, String message) throws IOException {
        return JSON.writeValueAsBytes(Map.of("Type", "User", "message", message, "__type", type));
    }

    private static void send(HttpExchange exchange, int status, Map<String, String> headers, byte[] body) throws IOException {
        headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
        if (body == null) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    public void close() {
        queue.shutdownNow();
    }
}
