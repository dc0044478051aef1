package com.rackflow.local.stack.template;

/**
 * An {@code Api} event of a function: one resource path + method on one REST API.
 *
 * @param path API Gateway resource path, e.g. {@code /customers/{id}}
 * @param method upper-case HTTP method, or {@code ANY}
 * @param authorizer the event's {@code Auth.Authorizer}: null for the API's default, {@code NONE} for none
 */
public record ApiRoute(String functionLogicalId, String eventName, String apiLogicalId, String path, String method,
                       String authorizer) {
}
