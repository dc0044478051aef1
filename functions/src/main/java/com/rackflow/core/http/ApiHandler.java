package com.rackflow.core.http;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.access.AccessPolicy;
import com.rackflow.access.CurrentCaller;
import com.rackflow.access.Module;
import com.rackflow.core.config.Config;
import com.rackflow.core.json.Json;
import com.rackflow.core.logging.Log;
import com.rackflow.core.persistence.Table;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Base of every API function: reads the REST proxy event, finds the route, checks the module, runs the action,
 * and writes the proxy response. Client mistakes become the one error format; anything unexpected becomes a
 * 500 that names only the request id.
 */
public abstract class ApiHandler implements RequestStreamHandler {

    private final String allowedOrigin = Config.optional("ALLOWED_ORIGIN").map(o -> o.replace("'", "")).orElse("*");
    private volatile Map<String, Route> routeTable;
    private final CurrentCaller callers;

    /** {@code table} holds the staff directory every request's caller is checked against. */
    protected ApiHandler(Table table) {
        this.callers = new CurrentCaller(table);
    }

    /** The function's routes; each must also be declared as an Api event of the function in template.yaml. */
    protected abstract List<Route> routes();

    private Map<String, Route> routeTable() {
        Map<String, Route> t = routeTable;
        if (t == null) {
            t = new HashMap<>();
            for (Route r : routes()) {
                t.put(r.method() + " " + r.resource(), r);
            }
            routeTable = t;
        }
        return t;
    }

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        java.time.Instant deadline = context == null ? null : java.time.Instant.now().plusMillis(context.getRemainingTimeInMillis());
        ApiResponse response = handle(Json.MAPPER.readTree(input), false, deadline);
        output.write(Json.write(proxyResponse(response)).getBytes(StandardCharsets.UTF_8));
    }

    /** Serves one proxy event; public so that priming and tests can drive it without streams. */
    public ApiResponse handle(JsonNode event) {
        return handle(event, false, null);
    }

    /**
     * SnapStart priming: the caller's profile is read as for any request (and found missing, the priming caller being
     * nobody), then the route is served as the event's caller anyway, so that its code is loaded into the snapshot.
     * Never reachable from an event: {@link #handleRequest} always checks.
     */
    public ApiResponse prime(JsonNode event) {
        // as handleRequest: the event read from bytes, the proxy answer written as bytes
        try {
            JsonNode read = Json.MAPPER.readTree(new java.io.ByteArrayInputStream(Json.write(event).getBytes(StandardCharsets.UTF_8)));
            ApiResponse response = handle(read, true, null);
            Json.write(proxyResponse(response)).getBytes(StandardCharsets.UTF_8);
            return response;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private ApiResponse handle(JsonNode event, boolean priming, java.time.Instant deadline) {
        ApiRequest claimed = ApiRequest.from(event).withDeadline(deadline);
        ApiRequest request = claimed;
        String routeKey = request.method() + " " + request.resource();
        Log.begin(request.requestId(), request.caller() == null ? null : request.caller().userId(), routeKey);
        long start = System.nanoTime();
        com.rackflow.core.persistence.Table.takeConsumedCapacity();
        ApiResponse response;
        try {
            Route route = routeTable().get(routeKey);
            if (route == null) {
                throw ApiException.notFound("route " + routeKey);
            }
            try {
                request = claimed.withCaller(callers.resolve(claimed.requireCaller(), !claimed.method().equals("GET")));
            } catch (ApiException e) {
                if (!priming) {
                    throw e;
                }
            }
            ApiRequest current = request;
            Module.ofPath(current.resource()).ifPresent(m -> AccessPolicy.requireModule(current.requireCaller(), m));
            response = route.action().apply(current);
        } catch (ApiException e) {
            response = ApiResponse.error(e, request.requestId());
        } catch (RuntimeException e) {
            Log.error("unhandled failure", e);
            response = ApiResponse.internalError(request.requestId());
        }
        Log.info("request served", "status", response.status(), "millis", (System.nanoTime() - start) / 1_000_000,
                "capacityUnits", com.rackflow.core.persistence.Table.consumedCapacity());
        Log.end();
        return response;
    }

    private ObjectNode proxyResponse(ApiResponse r) {
        ObjectNode out = Json.object();
        out.put("statusCode", r.status());
        ObjectNode headers = out.putObject("headers");
        r.headers().forEach(headers::put);
        headers.put("Access-Control-Allow-Origin", allowedOrigin);
        // SAM's Cors settings of a REST API cannot expose headers; the proxy answer does it for browser clients.
        headers.put("Access-Control-Expose-Headers", "ETag, Location, Idempotent-Replayed, Content-Disposition");
        out.put("isBase64Encoded", r.base64());
        if (r.body() != null) {
            out.put("body", r.body());
        }
        return out;
    }
}
