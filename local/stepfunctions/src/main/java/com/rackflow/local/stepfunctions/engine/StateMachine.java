package com.rackflow.local.stepfunctions.engine;

import java.time.Instant;

/** A registered state machine (one revision: updates replace it). */
public record StateMachine(String arn, String name, String definition, String roleArn, StateMachineType type,
                           Instant creationDate, Instant updateDate, String revisionId) {
}
