package com.rackflow.local.stack.gateway;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rackflow.local.stack.template.RestApiSpec;
import com.rackflow.local.stack.template.RestApiSpec.GatewayResponseSpec;

/**
 * Renders API Gateway's own answers (401, 403, 5xx ...) with the API's {@code GatewayResponses}: status code and
 * headers from the customised type (else its DEFAULT_4XX/5XX family), the body from the mapping template.
 * <p>
 * Where a customised type sets no template, the family's customised template is used, and otherwise API Gateway's
 * default {@code {"message":$context.error.messageString}}; AWS's documentation does not settle whether a customised
 * type without a template inherits the family's, so templates should be set on every customised type.
 */
final class GatewayResponses {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEFAULT_TEMPLATE = "{\"message\":$context.error.messageString}";

    private GatewayResponses() {
    }

    static GatewayAnswer render(RestApiSpec api, GatewayResponseType type, Integer statusOverride, String message,
                                String requestId, Map<String, String> requestHeaders) {
        Map<String, GatewayResponseSpec> custom = api == null ? Map.of() : api.gatewayResponses();
        GatewayResponseSpec own = custom.get(type.name());
        GatewayResponseSpec family = custom.get(type.family().name());
        GatewayResponseSpec effective = own != null ? own : family;

        int status = statusOverride != null ? statusOverride : type.defaultStatus();
        if (own != null && own.statusCode() != null) {
            status = own.statusCode();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        if (effective != null) {
            effective.headers().forEach((name, expression) -> {
                String value = headerValue(expression, requestHeaders);
                if (value != null) {
                    headers.put(name, value);
                }
            });
        }
        String template = DEFAULT_TEMPLATE;
        if (own != null && !own.templates().isEmpty()) {
            template = templateFor(own);
        } else if (family != null && !family.templates().isEmpty()) {
            template = templateFor(family);
        }
        String body = template
                .replace("$context.error.messageString", quoted(message))
                .replace("$context.error.message", message == null ? "" : message)
                .replace("$context.error.responseType", type.name())
                .replace("$context.requestId", requestId);
        headers.put("x-amzn-ErrorType", errorType(type));
        return new GatewayAnswer(status, headers, body.getBytes(StandardCharsets.UTF_8), type.name());
    }

    private static String templateFor(GatewayResponseSpec spec) {
        String json = spec.templates().get("application/json");
        return json != null ? json : spec.templates().values().iterator().next();
    }

    /** {@code 'literal'} or {@code method.request.header.Name}, as in a gateway response's ResponseParameters. */
    private static String headerValue(String expression, Map<String, String> requestHeaders) {
        String e = expression.strip();
        if (e.length() >= 2 && e.startsWith("'") && e.endsWith("'")) {
            return e.substring(1, e.length() - 1);
        }
        String prefix = "method.request.header.";
        if (e.startsWith(prefix)) {
            String wanted = e.substring(prefix.length());
            return requestHeaders.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(wanted))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
        }
        return null;
    }

    private static String quoted(String message) {
        try {
            return JSON.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String errorType(GatewayResponseType type) {
        return switch (type) {
            case UNAUTHORIZED -> "UnauthorizedException";
            case ACCESS_DENIED -> "AccessDeniedException";
            case MISSING_AUTHENTICATION_TOKEN -> "MissingAuthenticationTokenException";
            case AUTHORIZER_CONFIGURATION_ERROR -> "AuthorizerConfigurationException";
            case AUTHORIZER_FAILURE -> "AuthorizerFailureException";
            default -> "InternalServerErrorException";
        };
    }
}
