package com.rackflow.local.stack.stepfunctions;

import java.net.URI;

import com.rackflow.local.stack.template.StateMachineSpec;
import com.rackflow.local.stepfunctions.ExecutionStatusListener;

/**
 * Where the stack runs the template's {@code AWS::Serverless::StateMachine}s: a local Step Functions endpoint the
 * functions reach through {@code AWS_ENDPOINT_URL_SFN}, whose Lambda tasks call back into the stack's functions.
 */
public interface StateMachineHost extends AutoCloseable {

    URI endpoint();

    /** Creates the state machine from its definition (DefinitionSubstitutions already applied). */
    void register(StateMachineSpec stateMachine);

    /** Tells {@code listener} of every status change of a STANDARD execution, as Step Functions tells EventBridge. */
    void onExecutionStatusChange(ExecutionStatusListener listener);

    @Override
    void close();
}
