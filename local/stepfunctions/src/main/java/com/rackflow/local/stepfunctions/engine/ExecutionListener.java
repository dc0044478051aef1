package com.rackflow.local.stepfunctions.engine;

/** Notified of an execution's progress, so the store can persist it and the host hear of status changes. */
public interface ExecutionListener {

    /** After the ExecutionStarted event of a new execution (not when a persisted one resumes). */
    default void onStart(Execution execution) {
    }

    void onEvent(Execution execution, HistoryEvent event);

    void onCheckpoint(Execution execution);

    void onFinish(Execution execution);

    /**
     * Progress of a Map iteration or Parallel branch (its position, its result, or the attempt's meta data), for the
     * store: see {@link GroupProgress#fold}.
     */
    default void onChildProgress(Execution execution, com.fasterxml.jackson.databind.node.ObjectNode record) {
    }

    /** Whether {@link #onChildProgress} does anything (the interpreter builds no records otherwise). */
    default boolean recordsChildProgress() {
        return false;
    }

    /** Both listeners, {@code first} first. */
    static ExecutionListener both(ExecutionListener first, ExecutionListener second) {
        return new ExecutionListener() {
            @Override
            public void onStart(Execution execution) {
                first.onStart(execution);
                second.onStart(execution);
            }

            @Override
            public void onEvent(Execution execution, HistoryEvent event) {
                first.onEvent(execution, event);
                second.onEvent(execution, event);
            }

            @Override
            public void onCheckpoint(Execution execution) {
                first.onCheckpoint(execution);
                second.onCheckpoint(execution);
            }

            @Override
            public void onFinish(Execution execution) {
                first.onFinish(execution);
                second.onFinish(execution);
            }

            @Override
            public void onChildProgress(Execution execution, com.fasterxml.jackson.databind.node.ObjectNode record) {
                first.onChildProgress(execution, record);
                second.onChildProgress(execution, record);
            }

            @Override
            public boolean recordsChildProgress() {
                return first.recordsChildProgress() || second.recordsChildProgress();
            }
        };
    }

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
