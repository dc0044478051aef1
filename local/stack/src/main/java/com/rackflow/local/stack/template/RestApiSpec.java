package com.rackflow.local.stack.template;

import java.util.Map;

/**
 * An {@code AWS::Serverless::Api} (REST) as deployed.
 *
 * @param cors null when the API has no {@code Cors}
 * @param defaultAuthorizer null when the API has none
 * @param gatewayResponses by response type ({@code DEFAULT_4XX}, {@code UNAUTHORIZED}, ...)
 * @param throttle the stage's default method throttling ({@code MethodSettings} for {@code /*} and {@code *}); null: none
 */
public record RestApiSpec(String logicalId, String stageName, CorsSettings cors, Map<String, TokenAuthorizerSpec> authorizers,
                          String defaultAuthorizer, boolean authorizeCorsPreflight,
                          Map<String, GatewayResponseSpec> gatewayResponses, Throttle throttle) {

    /** A token bucket: {@code burstLimit} tokens at most, refilled at {@code rateLimit} per second. */
    public record Throttle(double rateLimit, int burstLimit) {
    }

    /**
     * SAM's {@code Cors}; each value is an API Gateway literal as written in the template, e.g. {@code "'*'"}.
     */
    public record CorsSettings(String allowOrigin, String allowHeaders, String allowMethods, String maxAge,
                               boolean allowCredentials) {
    }

    /**
     * A customised gateway response: any part may be absent (null / empty).
     *
     * @param headers header name → API Gateway value expression ({@code "'literal'"} or {@code method.request.header.X})
     * @param templates content type → mapping template
     */
    public record GatewayResponseSpec(Integer statusCode, Map<String, String> headers, Map<String, String> templates) {
    }
}
