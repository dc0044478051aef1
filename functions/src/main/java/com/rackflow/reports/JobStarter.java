package com.rackflow.reports;

import com.rackflow.core.json.Json;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;

/**
 * Hands a queued run to the job function: Lambda's asynchronous invocation (InvocationType Event) queues the event
 * and answers at once, so the 29-second API function never runs the job itself. Throws when Lambda did not take it.
 */
@FunctionalInterface
public interface JobStarter {
    void start(String runId);

    static JobStarter of(LambdaClient lambda, String functionName) {
        return runId -> lambda.invoke(b -> b.functionName(functionName).invocationType(InvocationType.EVENT)
                .payload(SdkBytes.fromUtf8String(Json.write(Json.object().put("runId", runId)))));
    }
}
