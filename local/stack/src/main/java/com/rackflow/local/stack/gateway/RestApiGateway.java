package com.rackflow.local.stack.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.BiFunction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.local.stack.lambda.LambdaInvocationException;
import com.rackflow.local.stack.log.JsonLog;
import com.rackflow.local.stack.template.ApiRoute;
import com.rackflow.local.stack.template.FunctionSpec;
import com.rackflow.local.stack.template.RestApiSpec;
import com.rackflow.local.stack.template.SamApplication;
import com.rackflow.local.stack.template.TemplateEvaluator;
import com.rackflow.local.stack.template.TokenAuthorizerSpec;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * The template's REST APIs (API Gateway v1, Lambda proxy integration) served over HTTP: routes and path parameters
 * from the functions' {@code Api} events, the default Lambda TOKEN authorizer, CORS preflight from {@code Cors},
 * gateway responses from {@code GatewayResponses}, and one JSON access-log line per request.
 */
public final class RestApiGateway implements HttpHandler {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonLog ACCESS_LOG = JsonLog.of("gateway");
    private static final int MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private final SamApplication application;
    private final BiFunction<String, byte[], byte[]> invoker;
    private final Clock clock;
    private final RouteTable routes;
    private final Map<String, TokenAuthorizer> authorizers = new LinkedHashMap<>();
    private final Map<String, TokenBucket> throttles = new LinkedHashMap<>();
    private volatile Runnable onFirstRequestServed = () -> { };

    /**
     * @param invoker invokes a function by ARN with a Lambda payload (see {@code LocalLambda#invoke})
     * @param clock drives the authorizer cache's TTL
     */
    public RestApiGateway(SamApplication application, BiFunction<String, byte[], byte[]> invoker, Clock clock) {
        this.application = application;
        this.invoker = invoker;
        this.clock = clock;
        List<ApiRoute> all = new ArrayList<>();
        application.functions().forEach(f -> all.addAll(f.routes()));
        this.routes = new RouteTable(all);
        for (RestApiSpec api : application.apis()) {
            if (api.throttle() != null) {
                throttles.put(api.logicalId(), new TokenBucket(api.throttle(), clock));
            }
            for (TokenAuthorizerSpec spec : api.authorizers().values()) {
                application.functionByArn(spec.functionArn()); // fails at start when the authorizer function is missing
                authorizers.put(api.logicalId() + "/" + spec.name(), new TokenAuthorizer(spec, invoker, clock));
            }
        }
    }

    /** Called once, after the first request has been answered (the stack measures its start-up with it). */
    public void onFirstRequestServed(Runnable callback) {
        this.onFirstRequestServed = callback;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        long started = System.nanoTime();
        String requestId = UUID.randomUUID().toString();
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        String rawPath = exchange.getRequestURI().getRawPath();
        Map<String, List<String>> headers = canonicalHeaders(exchange);
        Handled handled;
        try {
            handled = answer(exchange, requestId, method, rawPath, headers);
        } catch (RuntimeException e) {
            ACCESS_LOG.error("gateway failure", "requestId", requestId, "error", e.toString());
            handled = new Handled(GatewayResponses.render(defaultApi(), GatewayResponseType.DEFAULT_5XX, null,
                    "Internal server error", requestId, firstValues(headers)), null, null);
        }
        long latencyMs = (System.nanoTime() - started) / 1_000_000;
        // logged before the answer goes out, so whoever has the answer can find its line
        ACCESS_LOG.info("request", "requestId", requestId, "method", method, "path", rawPath,
                "resource", handled.resource(), "status", handled.answer().status(), "latencyMs", latencyMs,
                "userId", handled.userId(), "gatewayResponse", handled.answer().gatewayResponseType());
        write(exchange, requestId, handled.answer());
        Runnable first = onFirstRequestServed;
        onFirstRequestServed = () -> { };
        first.run();
    }

    private record Handled(GatewayAnswer answer, String resource, String userId) {
    }

    private Handled answer(HttpExchange exchange, String requestId, String method, String rawPath,
                           Map<String, List<String>> headers) throws IOException {
        Map<String, String> single = firstValues(headers);
        byte[] body = readBody(exchange.getRequestBody());
        if (body == null) {
            return new Handled(GatewayResponses.render(defaultApi(), GatewayResponseType.REQUEST_TOO_LARGE, null,
                    "Request Too Long", requestId, single), null, null);
        }
        Optional<RouteTable.Match> match = routes.match(method, rawPath);
        if (match.isEmpty()) {
            if (method.equals("OPTIONS")) {
                return preflight(requestId, rawPath, single);
            }
            return new Handled(missingAuthenticationToken(defaultApi(), requestId, single), null, null);
        }
        ApiRoute route = match.get().route();
        RestApiSpec api = application.api(route.apiLogicalId());
        String methodArn = methodArn(api, method, rawPath);
        // stage throttling comes before the authorizer: a throttled request never invokes it
        TokenBucket throttle = throttles.get(api.logicalId());
        if (throttle != null && !throttle.tryTake()) {
            return new Handled(GatewayResponses.render(api, GatewayResponseType.THROTTLED, null, "Too Many Requests",
                    requestId, single), route.path(), null);
        }

        Map<String, Object> authorizerContext = null;
        TokenAuthorizer authorizer = authorizerFor(api, route.authorizer());
        if (authorizer != null) {
            long authStarted = System.nanoTime();
            TokenAuthorizer.Outcome outcome = authorizer.authorize(single.get(authorizer.identityHeader()), methodArn, requestId);
            if (outcome instanceof TokenAuthorizer.Refused refused) {
                return new Handled(GatewayResponses.render(api, refused.type(), null, refused.message(), requestId, single),
                        route.path(), null);
            }
            authorizerContext = new LinkedHashMap<>(((TokenAuthorizer.Authorized) outcome).context());
            authorizerContext.put("integrationLatency", (System.nanoTime() - authStarted) / 1_000_000);
        }
        String userId = authorizerContext == null ? null
                : String.valueOf(authorizerContext.getOrDefault("userId", authorizerContext.get("principalId")));

        FunctionSpec function = application.function(route.functionLogicalId());
        ObjectNode event = proxyEvent(exchange, requestId, method, rawPath, headers, body, route, api,
                match.get().pathParameters(), authorizerContext);
        byte[] response;
        try {
            response = invoker.apply(function.invokedArn(), JSON.writeValueAsBytes(event));
        } catch (LambdaInvocationException e) {
            GatewayResponseType type = e.errorType().equals("Sandbox.Timedout")
                    ? GatewayResponseType.INTEGRATION_TIMEOUT : GatewayResponseType.DEFAULT_5XX;
            String message = type == GatewayResponseType.INTEGRATION_TIMEOUT ? "Endpoint request timed out" : "Internal server error";
            Integer status = type == GatewayResponseType.INTEGRATION_TIMEOUT ? null : 502;
            return new Handled(GatewayResponses.render(api, type, status, message, requestId, single), route.path(), userId);
        }
        GatewayAnswer proxied = proxyResponse(response);
        if (proxied == null) {
            ACCESS_LOG.error("malformed Lambda proxy response", "requestId", requestId, "function", function.logicalId());
            return new Handled(GatewayResponses.render(api, GatewayResponseType.DEFAULT_5XX, 502, "Internal server error",
                    requestId, single), route.path(), userId);
        }
        return new Handled(proxied, route.path(), userId);
    }

    private TokenAuthorizer authorizerFor(RestApiSpec api, String routeAuthorizer) {
        String name = routeAuthorizer != null ? routeAuthorizer : api.defaultAuthorizer();
        if (name == null || name.equals("NONE")) {
            return null;
        }
        TokenAuthorizer authorizer = authorizers.get(api.logicalId() + "/" + name);
        if (authorizer == null) {
            throw new IllegalStateException("API " + api.logicalId() + " has no authorizer " + name);
        }
        return authorizer;
    }

    /** SAM's CORS: an OPTIONS method on every resource, answered by a mock integration. */
    private Handled preflight(String requestId, String rawPath, Map<String, String> headers) {
        List<ApiRoute> onPath = routes.routesForPath(rawPath);
        RestApiSpec api = onPath.isEmpty() ? defaultApi() : application.api(onPath.get(0).apiLogicalId());
        if (onPath.isEmpty() || api.cors() == null) {
            return new Handled(missingAuthenticationToken(api, requestId, headers), null, null);
        }
        String resource = onPath.get(0).path();
        if (api.authorizeCorsPreflight() && api.defaultAuthorizer() != null && !api.defaultAuthorizer().equals("NONE")) {
            TokenAuthorizer authorizer = authorizerFor(api, null);
            TokenAuthorizer.Outcome outcome = authorizer.authorize(headers.get(authorizer.identityHeader()),
                    methodArn(api, "OPTIONS", rawPath), requestId);
            if (outcome instanceof TokenAuthorizer.Refused refused) {
                return new Handled(GatewayResponses.render(api, refused.type(), null, refused.message(), requestId, headers),
                        resource, null);
            }
        }
        RestApiSpec.CorsSettings cors = api.cors();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Content-Type", "application/json");
        out.put("Access-Control-Allow-Origin", literal(cors.allowOrigin()));
        if (cors.allowHeaders() != null) {
            out.put("Access-Control-Allow-Headers", literal(cors.allowHeaders()));
        }
        if (cors.allowMethods() != null) {
            out.put("Access-Control-Allow-Methods", literal(cors.allowMethods()));
        } else {
            TreeSet<String> methods = new TreeSet<>();
            onPath.forEach(r -> methods.add(r.method()));
            methods.add("OPTIONS");
            out.put("Access-Control-Allow-Methods", String.join(",", methods));
        }
        if (cors.maxAge() != null) {
            out.put("Access-Control-Max-Age", literal(cors.maxAge()));
        }
        if (cors.allowCredentials()) {
            out.put("Access-Control-Allow-Credentials", "true");
        }
        return new Handled(new GatewayAnswer(200, out, new byte[0], null), resource, null);
    }

    private GatewayAnswer missingAuthenticationToken(RestApiSpec api, String requestId, Map<String, String> headers) {
        return GatewayResponses.render(api, GatewayResponseType.MISSING_AUTHENTICATION_TOKEN, null,
                "Missing Authentication Token", requestId, headers);
    }

    private RestApiSpec defaultApi() {
        return application.apis().isEmpty() ? null : application.apis().get(0);
    }

    static String methodArn(RestApiSpec api, String method, String rawPath) {
        String path = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
        return "arn:aws:execute-api:" + TemplateEvaluator.REGION + ":" + TemplateEvaluator.ACCOUNT_ID + ":"
                + TemplateEvaluator.API_ID + "/" + api.stageName() + "/" + method + "/" + path;
    }

    private ObjectNode proxyEvent(HttpExchange exchange, String requestId, String method, String rawPath,
                                  Map<String, List<String>> headers, byte[] body, ApiRoute route, RestApiSpec api,
                                  Map<String, String> pathParameters, Map<String, Object> authorizerContext) {
        long now = clock.millis();
        ObjectNode event = JSON.createObjectNode();
        event.put("resource", route.path());
        event.put("path", rawPath);
        event.put("httpMethod", method);

        Map<String, List<String>> withForwarding = new LinkedHashMap<>(headers);
        String sourceIp = exchange.getRemoteAddress().getAddress().getHostAddress();
        withForwarding.putIfAbsent("X-Forwarded-For", List.of(sourceIp));
        withForwarding.putIfAbsent("X-Forwarded-Port", List.of(Integer.toString(exchange.getLocalAddress().getPort())));
        withForwarding.putIfAbsent("X-Forwarded-Proto", List.of("http"));
        ObjectNode singleHeaders = event.putObject("headers");
        ObjectNode multiHeaders = event.putObject("multiValueHeaders");
        withForwarding.forEach((name, values) -> {
            singleHeaders.put(name, values.get(values.size() - 1));
            ArrayNode list = multiHeaders.putArray(name);
            values.forEach(list::add);
        });

        Map<String, List<String>> query = query(exchange.getRequestURI().getRawQuery());
        if (query.isEmpty()) {
            event.putNull("queryStringParameters");
            event.putNull("multiValueQueryStringParameters");
        } else {
            ObjectNode single = event.putObject("queryStringParameters");
            ObjectNode multi = event.putObject("multiValueQueryStringParameters");
            query.forEach((name, values) -> {
                single.put(name, values.get(values.size() - 1));
                ArrayNode list = multi.putArray(name);
                values.forEach(list::add);
            });
        }
        if (pathParameters.isEmpty()) {
            event.putNull("pathParameters");
        } else {
            ObjectNode parameters = event.putObject("pathParameters");
            pathParameters.forEach(parameters::put);
        }
        event.putNull("stageVariables");

        ObjectNode context = event.putObject("requestContext");
        context.put("resourceId", Integer.toHexString(route.path().hashCode()));
        context.put("resourcePath", route.path());
        context.put("httpMethod", method);
        context.put("extendedRequestId", requestId.substring(0, 16));
        context.put("requestTime", REQUEST_TIME.format(clock.instant()));
        context.put("path", "/" + api.stageName() + rawPath);
        context.put("accountId", TemplateEvaluator.ACCOUNT_ID);
        context.put("protocol", exchange.getProtocol());
        context.put("stage", api.stageName());
        context.put("domainPrefix", TemplateEvaluator.API_ID);
        context.put("requestTimeEpoch", now);
        context.put("requestId", requestId);
        ObjectNode identity = context.putObject("identity");
        for (String absent : List.of("cognitoIdentityPoolId", "accountId", "cognitoIdentityId", "caller",
                "principalOrgId", "accessKey", "cognitoAuthenticationType", "cognitoAuthenticationProvider", "userArn", "user")) {
            identity.putNull(absent);
        }
        identity.put("sourceIp", sourceIp);
        identity.put("userAgent", lastValue(headers, "User-Agent"));
        context.put("domainName", lastValue(headers, "Host"));
        context.put("apiId", TemplateEvaluator.API_ID);
        if (authorizerContext != null) {
            context.set("authorizer", JSON.valueToTree(authorizerContext));
        }
        if (body.length == 0) {
            event.putNull("body");
        } else {
            event.put("body", new String(body, StandardCharsets.UTF_8));
        }
        event.put("isBase64Encoded", false);
        return event;
    }

    /** Maps {@code {statusCode, headers, multiValueHeaders, body, isBase64Encoded}}; null when malformed. */
    private static GatewayAnswer proxyResponse(byte[] response) {
        JsonNode r;
        try {
            r = JSON.readTree(response);
        } catch (IOException e) {
            return null;
        }
        if (r == null || !r.isObject()) {
            return null;
        }
        JsonNode status = r.get("statusCode");
        if (status == null || !(status.isInt() || (status.isTextual() && status.asText().matches("[1-5][0-9][0-9]")))) {
            return null;
        }
        Map<String, Object> headers = new LinkedHashMap<>();
        JsonNode single = r.get("headers");
        if (single != null && !single.isNull()) {
            if (!single.isObject()) {
                return null;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = single.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> h = it.next();
                headers.put(h.getKey(), h.getValue().asText());
            }
        }
        JsonNode multi = r.get("multiValueHeaders");
        if (multi != null && !multi.isNull()) {
            if (!multi.isObject()) {
                return null;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = multi.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> h = it.next();
                List<String> values = new ArrayList<>();
                h.getValue().forEach(v -> values.add(v.asText()));
                headers.put(h.getKey(), values);
            }
        }
        JsonNode bodyNode = r.get("body");
        byte[] body = new byte[0];
        if (bodyNode != null && !bodyNode.isNull()) {
            if (!bodyNode.isTextual()) {
                return null;
            }
            boolean base64 = r.path("isBase64Encoded").asBoolean(false);
            try {
                body = base64 ? Base64.getDecoder().decode(bodyNode.asText()) : bodyNode.asText().getBytes(StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        if (headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("Content-Type"))) {
            headers.put("Content-Type", "application/json");
        }
        return new GatewayAnswer(status.asInt(), headers, body, null);
    }

    private static void write(HttpExchange exchange, String requestId, GatewayAnswer answer) throws IOException {
        try (exchange) {
            answer.headers().forEach((name, value) -> {
                if (value instanceof List<?> values) {
                    values.forEach(v -> exchange.getResponseHeaders().add(name, String.valueOf(v)));
                } else {
                    exchange.getResponseHeaders().set(name, String.valueOf(value));
                }
            });
            exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
            exchange.getResponseHeaders().set("x-amz-apigw-id", requestId.substring(0, 8));
            byte[] body = answer.body();
            boolean noBody = body.length == 0 || exchange.getRequestMethod().equalsIgnoreCase("HEAD")
                    || answer.status() == 204 || answer.status() == 304;
            exchange.sendResponseHeaders(answer.status(), noBody ? -1 : body.length);
            if (!noBody) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_PAYLOAD_BYTES + 1);
        return body.length > MAX_PAYLOAD_BYTES ? null : body;
    }

    /** Header names as clients usually write them ({@code Content-Type}); the JDK server lower-cases them. */
    private static Map<String, List<String>> canonicalHeaders(HttpExchange exchange) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            StringBuilder canonical = new StringBuilder();
            for (String part : name.split("-", -1)) {
                if (canonical.length() > 0) {
                    canonical.append('-');
                }
                if (!part.isEmpty()) {
                    canonical.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1).toLowerCase(Locale.ROOT));
                }
            }
            headers.put(canonical.toString(), List.copyOf(values));
        });
        return headers;
    }

    private static Map<String, String> firstValues(Map<String, List<String>> headers) {
        Map<String, String> single = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> single.put(k, v.get(v.size() - 1)));
        return single;
    }

    private static String lastValue(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null ? null : values.get(values.size() - 1);
    }

    private static Map<String, List<String>> query(String rawQuery) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            query.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return query;
    }

    private static String literal(String expression) {
        String e = expression.strip();
        return e.length() >= 2 && e.startsWith("'") && e.endsWith("'") ? e.substring(1, e.length() - 1) : e;
    }
}
