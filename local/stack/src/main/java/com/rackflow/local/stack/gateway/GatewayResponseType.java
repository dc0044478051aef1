package com.rackflow.local.stack.gateway;

/**
 * The API Gateway gateway response types the local gateway produces, with API Gateway's default status and the
 * DEFAULT_4XX / DEFAULT_5XX family they fall back to when not customised.
 */
public enum GatewayResponseType {
    DEFAULT_4XX(400),
    DEFAULT_5XX(500),
    UNAUTHORIZED(401),
    ACCESS_DENIED(403),
    MISSING_AUTHENTICATION_TOKEN(403),
    AUTHORIZER_CONFIGURATION_ERROR(500),
    AUTHORIZER_FAILURE(500),
    INTEGRATION_FAILURE(504),
    INTEGRATION_TIMEOUT(504),
    REQUEST_TOO_LARGE(413),
    THROTTLED(429);

    private final int defaultStatus;

    GatewayResponseType(int defaultStatus) {
        this.defaultStatus = defaultStatus;
    }

    public int defaultStatus() {
        return defaultStatus;
    }

    public GatewayResponseType family() {
        return defaultStatus >= 500 ? DEFAULT_5XX : DEFAULT_4XX;
    }
}
