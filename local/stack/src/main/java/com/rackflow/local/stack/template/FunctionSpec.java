package com.rackflow.local.stack.template;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One {@code AWS::Serverless::Function} as deployed: Globals merged, intrinsics evaluated.
 *
 * @param alias the {@code AutoPublishAlias}, or null
 * @param handler {@code com.example.Handler::handleRequest}
 * @param codeUri the {@code CodeUri} folder, resolved against the template's folder (the template's own folder when absent)
 * @param snapStart {@code SnapStart.ApplyOn: PublishedVersions}
 * @param logging {@code LoggingConfig}
 */
public record FunctionSpec(String logicalId, String functionName, String arn, String alias, String handler,
                           int timeoutSeconds, int memoryMb, Map<String, String> environment, List<ApiRoute> routes,
                           Path codeUri, boolean snapStart, Logging logging) {

    /** {@code LoggingConfig}: {@code LogFormat} (Text or JSON) and, for JSON, the application and system log levels. */
    public record Logging(String logFormat, String applicationLogLevel, String systemLogLevel) {
        public static final Logging TEXT = new Logging("Text", null, null);

        public boolean json() {
            return "JSON".equalsIgnoreCase(logFormat);
        }
    }

    /** The ARN callers use: the alias ARN when the function publishes one. */
    public String invokedArn() {
        return alias == null ? arn : arn + ":" + alias;
    }

    public String handlerClassName() {
        int separator = handler.indexOf("::");
        return separator < 0 ? handler : handler.substring(0, separator);
    }

    /** The method name after {@code ::}, or {@code handleRequest} as the Java runtime assumes without one. */
    public String handlerMethodName() {
        int separator = handler.indexOf("::");
        return separator < 0 ? "handleRequest" : handler.substring(separator + 2);
    }
}
