package com.rackflow.local.stack.gateway;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.local.stack.lambda.LambdaInvocationException;
import com.rackflow.local.stack.log.JsonLog;
import com.rackflow.local.stack.template.TokenAuthorizerSpec;

/**
 * A Lambda TOKEN authorizer with API Gateway's semantics: a missing token or one failing the ValidationExpression is
 * 401 without invoking the function; the function's {@code Unauthorized} error is 401, any other failure or an
 * unusable answer 500; the returned policy, cached per token for the TTL, is evaluated against each method ARN.
 */
final class TokenAuthorizer {

    static final String EXPLICIT_DENY = "User is not authorized to access this resource with an explicit deny";
    static final String IMPLICIT_DENY = "User is not authorized to access this resource";

    sealed interface Outcome permits Authorized, Refused {
    }

    /** @param context {@code principalId} plus the authorizer's context, as {@code requestContext.authorizer} gets it */
    record Authorized(String principalId, Map<String, Object> context) implements Outcome {
    }

    /** @param message the gateway response's message; null for an authorizer configuration error */
    record Refused(GatewayResponseType type, String message) implements Outcome {
    }

    private record Decision(IamPolicy policy, String principalId, Map<String, Object> context, Instant expires) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonLog LOG = JsonLog.of("authorizer");

    private final TokenAuthorizerSpec spec;
    private final BiFunction<String, byte[], byte[]> invoker;
    private final Clock clock;
    private final Map<String, Decision> cache = new ConcurrentHashMap<>();

    TokenAuthorizer(TokenAuthorizerSpec spec, BiFunction<String, byte[], byte[]> invoker, Clock clock) {
        this.spec = spec;
        this.invoker = invoker;
        this.clock = clock;
    }

    String identityHeader() {
        return spec.identityHeader();
    }

    Outcome authorize(String token, String methodArn, String requestId) {
        if (token == null || token.isBlank()) {
            return new Refused(GatewayResponseType.UNAUTHORIZED, "Unauthorized");
        }
        if (spec.validationExpression() != null && !spec.validationExpression().matcher(token).matches()) {
            return new Refused(GatewayResponseType.UNAUTHORIZED, "Unauthorized");
        }
        Instant now = clock.instant();
        Decision decision = cache.get(token);
        if (decision == null || !now.isBefore(decision.expires())) {
            Object fresh = invokeFunction(token, methodArn, requestId, now);
            if (fresh instanceof Refused refused) {
                return refused;
            }
            decision = (Decision) fresh;
            if (!spec.cacheTtl().isZero()) {
                cache.put(token, decision);
            }
        }
        return switch (decision.policy().evaluate(methodArn)) {
            case ALLOW -> new Authorized(decision.principalId(), decision.context());
            case EXPLICIT_DENY -> new Refused(GatewayResponseType.ACCESS_DENIED, EXPLICIT_DENY);
            case IMPLICIT_DENY -> new Refused(GatewayResponseType.ACCESS_DENIED, IMPLICIT_DENY);
        };
    }

    private Object invokeFunction(String token, String methodArn, String requestId, Instant now) {
        ObjectNode event = JSON.createObjectNode();
        event.put("type", "TOKEN");
        event.put("authorizationToken", token);
        event.put("methodArn", methodArn);
        byte[] answer;
        try {
            answer = invoker.apply(spec.functionArn(), JSON.writeValueAsBytes(event));
        } catch (LambdaInvocationException e) {
            if ("Unauthorized".equals(e.errorMessage())) {
                return new Refused(GatewayResponseType.UNAUTHORIZED, "Unauthorized");
            }
            LOG.error("authorizer failed", "requestId", requestId, "authorizer", spec.name(), "errorType", e.errorType());
            return new Refused(GatewayResponseType.AUTHORIZER_CONFIGURATION_ERROR, null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        try {
            JsonNode output = JSON.readTree(answer);
            JsonNode principal = output == null ? null : output.get("principalId");
            if (principal == null || !principal.isValueNode() || principal.isNull()) {
                throw new IllegalArgumentException("the answer has no principalId");
            }
            IamPolicy policy = IamPolicy.parse(output.get("policyDocument"));
            Map<String, Object> context = new LinkedHashMap<>();
            context.put("principalId", principal.asText());
            JsonNode contextNode = output.get("context");
            if (contextNode != null && !contextNode.isNull()) {
                if (!contextNode.isObject()) {
                    throw new IllegalArgumentException("context must be an object");
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = contextNode.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    if (field.getValue().isContainerNode()) {
                        throw new IllegalArgumentException("context value " + field.getKey() + " is not a string, number or boolean");
                    }
                    // REST APIs hand context values to the integration as strings.
                    context.put(field.getKey(), field.getValue().isNull() ? null : field.getValue().asText());
                }
            }
            return new Decision(policy, principal.asText(), Map.copyOf(withoutNulls(context)), now.plus(spec.cacheTtl()));
        } catch (IOException | IllegalArgumentException e) {
            LOG.error("authorizer answer unusable", "requestId", requestId, "authorizer", spec.name(),
                    "reason", e.getMessage());
            return new Refused(GatewayResponseType.AUTHORIZER_CONFIGURATION_ERROR, null);
        }
    }

    private static Map<String, Object> withoutNulls(Map<String, Object> map) {
        map.values().removeIf(v -> v == null);
        return map;
    }
}
