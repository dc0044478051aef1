package com.rackflow.core.http;

import java.util.function.Function;

/** One API route: method + API Gateway resource template (e.g. {@code /customers/{id}}) → action. */
public record Route(String method, String resource, Function<ApiRequest, ApiResponse> action) {

    public static Route get(String resource, Function<ApiRequest, ApiResponse> action) {
        return new Route("GET", resource, action);
    }

    public static Route post(String resource, Function<ApiRequest, ApiResponse> action) {
        return new Route("POST", resource, action);
    }

    public static Route patch(String resource, Function<ApiRequest, ApiResponse> action) {
        return new Route("PATCH", resource, action);
    }

    public static Route delete(String resource, Function<ApiRequest, ApiResponse> action) {
        return new Route("DELETE", resource, action);
    }
}
