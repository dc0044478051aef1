package com.rackflow.local.stack.template;

import java.util.Map;

/**
 * An {@code AWS::Serverless::StateMachine}: its ASL definition with {@code DefinitionSubstitutions} already applied.
 *
 * @param type {@code STANDARD} (the default) or {@code EXPRESS}
 * @param definitionJson the Amazon States Language document, as JSON text
 */
public record StateMachineSpec(String logicalId, String name, String arn, String type, String definitionJson,
                               Map<String, String> substitutions) {
}
