package com.rackflow.core.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.core.json.Json;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a route answers: status, headers and a body (JSON already serialised, or text); a binary body (a spreadsheet)
 * is carried Base64-encoded with {@code base64} set, as the proxy answer carries it to API Gateway.
 */
public record ApiResponse(int status, Map<String, String> headers, String body, boolean base64) {

    public ApiResponse(int status, Map<String, String> headers, String body) {
        this(status, headers, body, false);
    }

    /** A file download: {@code content} sent as it is, named for the browser's save dialog. */
    public static ApiResponse file(String contentType, String fileName, byte[] content) {
        return new ApiResponse(200, Map.of("Content-Type", contentType, "Content-Disposition", disposition(fileName)),
                java.util.Base64.getEncoder().encodeToString(content), true);
    }

    /** A text file download (CSV). */
    public static ApiResponse file(String contentType, String fileName, String content) {
        return new ApiResponse(200, Map.of("Content-Type", contentType, "Content-Disposition", disposition(fileName)), content);
    }

    /** An ASCII fallback name and the UTF-8 one (RFC 6266), so 客户 file names survive every browser. */
    private static String disposition(String fileName) {
        String ascii = fileName.replaceAll("[^A-Za-z0-9._-]", "_");
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''"
                + java.net.URLEncoder.encode(fileName, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

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
        return new ApiResponse(status, h, body, base64);
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
