package com.rackflow.local.stepfunctions.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.local.stepfunctions.asl.Json;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

/** The AWS JSON 1.0 protocol over the JDK HTTP server: POST with X-Amz-Target `AWSStepFunctions.<Operation>`. */
public final class ApiServer implements AutoCloseable {
    static {
        // TCP_NODELAY for this API: see DynamoFront
        System.getProperties().putIfAbsent("sun.net.httpserver.nodelay", "true");
    }


    private static final String TARGET_PREFIX = "AWSStepFunctions.";
    private static final int MAX_REQUEST_BYTES = 1024 * 1024;

    private final HttpServer server;
    private final Map<String, Function<JsonNode, ObjectNode>> operations;

    public ApiServer(StepFunctionsService service, String host, int port, ExecutorService executor)
            throws IOException {
        this.operations = Map.ofEntries(
                Map.entry("CreateStateMachine", service::createStateMachine),
                Map.entry("DescribeStateMachine", service::describeStateMachine),
                Map.entry("ListStateMachines", service::listStateMachines),
                Map.entry("UpdateStateMachine", service::updateStateMachine),
                Map.entry("DeleteStateMachine", service::deleteStateMachine),
                Map.entry("ValidateStateMachineDefinition", service::validateStateMachineDefinition),
                Map.entry("StartExecution", service::startExecution),
                Map.entry("StartSyncExecution", service::startSyncExecution),
                Map.entry("DescribeExecution", service::describeExecution),
                Map.entry("DescribeStateMachineForExecution", service::describeStateMachineForExecution),
                Map.entry("ListExecutions", service::listExecutions),
                Map.entry("GetExecutionHistory", service::getExecutionHistory),
                Map.entry("StopExecution", service::stopExecution),
                Map.entry("RedriveExecution", service::redriveExecution),
                Map.entry("SendTaskSuccess", service::sendTaskSuccess),
                Map.entry("SendTaskFailure", service::sendTaskFailure),
                Map.entry("SendTaskHeartbeat", service::sendTaskHeartbeat),
                Map.entry("CreateActivity", service::createActivity),
                Map.entry("DescribeActivity", service::describeActivity),
                Map.entry("ListActivities", service::listActivities),
                Map.entry("DeleteActivity", service::deleteActivity),
                Map.entry("GetActivityTask", service::getActivityTask));
        this.server = HttpServer.create(new InetSocketAddress(host, port), 128);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
    }

    public void start() {
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                respond(exchange, 400, error("UnknownOperationException", "Only POST is supported"));
                return;
            }
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            Function<JsonNode, ObjectNode> op = target == null || !target.startsWith(TARGET_PREFIX) ? null
                    : operations.get(target.substring(TARGET_PREFIX.length()));
            if (op == null) {
                respond(exchange, 400, error("UnknownOperationException", "Unknown operation " + target));
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(MAX_REQUEST_BYTES + 1);
            }
            if (body.length > MAX_REQUEST_BYTES) {
                respond(exchange, 413, error("ValidationException", "Request too large"));
                return;
            }
            JsonNode request;
            try {
                request = body.length == 0 ? Json.object() : Json.parse(body);
            } catch (IllegalArgumentException e) {
                respond(exchange, 400, error("SerializationException", "Malformed JSON: " + e.getMessage()));
                return;
            }
            try {
                respond(exchange, 200, op.apply(request));
            } catch (ApiException e) {
                respond(exchange, 400, error(e.type(), e.getMessage()));
            } catch (RuntimeException e) {
                respond(exchange, 500, error("InternalFailure", String.valueOf(e)));
            }
        }
    }

    private static ObjectNode error(String type, String message) {
        ObjectNode n = Json.object();
        n.put("__type", type);
        n.put("message", message);
        return n;
    }

    private static void respond(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
        exchange.getResponseHeaders().set("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
