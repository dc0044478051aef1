package com.rackflow.local.stack.gateway;

import java.util.Map;

/**
 * One HTTP answer of the gateway, whether a function's proxy response or a gateway response.
 *
 * @param gatewayResponseType the gateway response type when API Gateway itself answered, else null
 */
record GatewayAnswer(int status, Map<String, ?> headers, byte[] body, String gatewayResponseType) {
}
