package com.rackflow.local.stepfunctions.engine;

/** Notified of an execution's progress, so the store can persist it. */
public interface ExecutionListener {

    void onEvent(Execution execution, HistoryEvent event);

    void onCheckpoint(Execution execution);

    void onFinish(Execution execution);

    ExecutionListener NONE = new ExecutionListener() {
        @Override
        public void onEvent(Execution execution, HistoryEvent event) {
        }

        @Override
        public void onCheckpoint(Execution execution) {
        }

        @Override
        public void onFinish(Execution execution) {
        }
    };
}
