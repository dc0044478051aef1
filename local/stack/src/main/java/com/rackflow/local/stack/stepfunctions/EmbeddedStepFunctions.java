package com.rackflow.local.stack.stepfunctions;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;

import com.rackflow.local.stack.lambda.LambdaInvocationException;
import com.rackflow.local.stack.lambda.LocalLambda;
import com.rackflow.local.stack.log.JsonLog;
import com.rackflow.local.stack.template.StateMachineSpec;
import com.rackflow.local.stack.template.TemplateEvaluator;
import com.rackflow.local.stepfunctions.ExecutionStatusListener;
import com.rackflow.local.stepfunctions.LambdaFailure;
import com.rackflow.local.stepfunctions.LocalStepFunctions;
import com.rackflow.local.stepfunctions.engine.StateMachineType;

/** The local Step Functions engine (local/stepfunctions) in the stack's JVM, its Lambda tasks run by {@link LocalLambda}. */
public final class EmbeddedStepFunctions implements StateMachineHost {

    private static final JsonLog LOG = JsonLog.of("stepfunctions");

    private final LocalStepFunctions engine;

    private EmbeddedStepFunctions(LocalStepFunctions engine) {
        this.engine = engine;
    }

    /**
     * @param port 0 for any free port
     * @param dataDir null keeps executions in memory
     * @param timeScale 1.0 real time; smaller runs waits, timeouts and retry intervals faster (tests)
     */
    public static EmbeddedStepFunctions start(int port, Path dataDir, LocalLambda lambda, URI dynamoEndpoint, double timeScale) {
        LocalStepFunctions engine = LocalStepFunctions.builder()
                .host("127.0.0.1")
                .timeScale(timeScale)
                .port(port)
                .dataFolder(dataDir)
                .region(TemplateEvaluator.REGION)
                .accountId(TemplateEvaluator.ACCOUNT_ID)
                .dynamoDbEndpoint(dynamoEndpoint)
                .lambdaInvoker((functionArn, payload) -> {
                    try {
                        return lambda.invoke(functionArn, payload);
                    } catch (LambdaInvocationException e) {
                        // Lambda's own refusal (a throttle), not the function's error: Step Functions names it Lambda.*
                        String type = "TooManyRequestsException".equals(e.errorType()) ? "Lambda.TooManyRequestsException" : e.errorType();
                        throw new LambdaFailure(type, e.errorMessage(), null);
                    }
                })
                .build();
        return new EmbeddedStepFunctions(engine.start());
    }

    @Override
    public URI endpoint() {
        return engine.endpoint();
    }

    @Override
    public void register(StateMachineSpec stateMachine) {
        StateMachineType type = StateMachineType.valueOf(stateMachine.type().toUpperCase(Locale.ROOT));
        String arn = engine.createOrUpdateStateMachine(stateMachine.name(), stateMachine.definitionJson(), null, type);
        LOG.info("state machine registered", "stateMachine", stateMachine.logicalId(), "arn", arn);
    }

    @Override
    public void onExecutionStatusChange(ExecutionStatusListener listener) {
        engine.onExecutionStatusChange(listener);
    }

    @Override
    public void close() {
        engine.close();
    }
}
