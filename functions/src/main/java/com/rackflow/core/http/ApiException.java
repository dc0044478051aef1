package com.rackflow.core.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A client-facing failure with its HTTP status. The one error format of the API is built from it
 * (see {@link ApiResponse#error}); anything else thrown by a handler becomes a 500 without details.
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final String messageZh;
    private final List<Violation> violations;
    private final Map<String, Object> details;

    public ApiException(int status, String code, String message, String messageZh,
                        List<Violation> violations, Map<String, Object> details) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.messageZh = messageZh;
        this.violations = violations == null ? List.of() : List.copyOf(violations);
        this.details = details == null ? Map.of() : new LinkedHashMap<>(details);
    }

    public static ApiException invalid(List<Violation> violations) {
        Violation first = violations.get(0);
        String msg = first.field() + ": " + first.message()
                + (violations.size() > 1 ? " (and " + (violations.size() - 1) + " more)" : "");
        return new ApiException(400, "VALIDATION_FAILED", msg, "请求参数有误：" + first.field() + "（" + first.rule() + "）",
                violations, null);
    }

    public static ApiException invalid(String field, String rule, String message) {
        return invalid(List.of(new Violation(field, rule, message)));
    }

    public static ApiException notFound(String what) {
        return new ApiException(404, "NOT_FOUND", what + " not found", "记录不存在", null, null);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, "FORBIDDEN", message, "无权执行此操作", null, null);
    }

    public static ApiException unauthorized() {
        return new ApiException(401, "UNAUTHORIZED", "authentication required", "请先登录", null, null);
    }

    /** The token is valid but its user is unknown to the staff directory or no longer ACTIVE (departed, disabled). */
    public static ApiException unauthorizedUser() {
        return new ApiException(401, "UNAUTHORIZED", "the user of this token is not an active member of staff; sign in again",
                "账号已停用或不存在，请重新登录", null, null);
    }

    public static ApiException conflict(String code, String message, String messageZh, Map<String, Object> details) {
        return new ApiException(409, code, message, messageZh, null, details);
    }

    public static ApiException versionConflict(long currentVersion) {
        return conflict("VERSION_CONFLICT",
                "the record was changed by someone else; reload it (current version " + currentVersion + ") and retry",
                "记录已被他人修改，请刷新后重试", Map.of("currentVersion", currentVersion));
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String messageZh() {
        return messageZh;
    }

    public List<Violation> violations() {
        return violations;
    }

    public Map<String, Object> details() {
        return details;
    }
}
