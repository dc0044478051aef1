package com.rackflow.local.stepfunctions.engine;

public enum StateMachineType {
    STANDARD, EXPRESS
}
