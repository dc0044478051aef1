package com.rackflow.core.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.core.json.Json;

import java.util.LinkedHashMap;
import java.util.Map;

/** What a route answers: status, headers and a JSON body (already serialised). */
public record ApiResponse(int status, Map<String, String> headers, String body) {

    public static ApiResponse ok(Object body) {
        return json(200, body);
    }

    public static ApiResponse created(Object body) {
        return json(201, body);
    }

    public static ApiResponse noContent() {
        return new ApiResponse(204, Map.of(), null);
    }

    public static ApiResponse json(int status, Object body) {
        return new ApiResponse(status, Map.of("Content-Type", "application/json; charset=utf-8"),
                body instanceof String s ? s : Json.write(body));
    }

    /** A versioned record: its version also goes out as an ETag, for If-Match on the next change. */
    public static ApiResponse versioned(int status, Object body, long version) {
        ApiResponse r = json(status, body);
        return r.withHeader("ETag", "\"" + version + "\"");
    }

    public ApiResponse withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new ApiResponse(status, h, body);
    }

    /** The one error format: {"error":{status,code,message,messageZh,violations[],details{}},"requestId"}. */
    public static ApiResponse error(ApiException e, String requestId) {
        ObjectNode root = Json.object();
        ObjectNode err = root.putObject("error");
        err.put("status", e.status());
        err.put("code", e.code());
        err.put("message", e.getMessage());
        if (e.messageZh() != null) {
            err.put("messageZh", e.messageZh());
        }
        if (!e.violations().isEmpty()) {
            ArrayNode vs = err.putArray("violations");
            e.violations().forEach(v -> vs.addObject().put("field", v.field()).put("rule", v.rule()).put("message", v.message()));
        }
        if (!e.details().isEmpty()) {
            err.set("details", Json.tree(e.details()));
        }
        root.put("requestId", requestId);
        return json(e.status(), root);
    }

    public static ApiResponse internalError(String requestId) {
        return error(new ApiException(500, "INTERNAL_ERROR", "internal error; quote the request id when reporting it",
                "系统内部错误，请联系管理员并提供请求编号", null, null), requestId);
    }
}
