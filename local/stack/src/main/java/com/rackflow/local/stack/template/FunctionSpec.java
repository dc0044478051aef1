package com.rackflow.local.stack.template;

import java.util.List;
import java.util.Map;

/**
 * One {@code AWS::Serverless::Function} as deployed: Globals merged, intrinsics evaluated.
 *
 * @param alias the {@code AutoPublishAlias}, or null
 * @param handler {@code com.example.Handler::handleRequest}
 */
public record FunctionSpec(String logicalId, String functionName, String arn, String alias, String handler,
                           int timeoutSeconds, int memoryMb, Map<String, String> environment, List<ApiRoute> routes) {

    /** The ARN callers use: the alias ARN when the function publishes one. */
    public String invokedArn() {
        return alias == null ? arn : arn + ":" + alias;
    }

    public String handlerClassName() {
        int separator = handler.indexOf("::");
        return separator < 0 ? handler : handler.substring(0, separator);
    }
}
