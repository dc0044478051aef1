package com.rackflow.local.stepfunctions.engine;

import com.rackflow.local.stepfunctions.ExecutionStatusChange;
import com.rackflow.local.stepfunctions.ExecutionStatusListener;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * Turns execution starts and ends into {@link ExecutionStatusChange}s for the host's listeners, delivered in order on
 * one thread so that a slow listener never holds up an execution.
 */
public final class StatusEvents implements ExecutionListener {

    private final List<ExecutionStatusListener> listeners;
    private final ExecutorService delivery;
    private final String region;
    private final String account;

    /**
     * {@code listeners} is read at each change (the host may add to it at any time, so a concurrent list);
     * {@code delivery} must run tasks one at a time, in submission order.
     */
    public StatusEvents(List<ExecutionStatusListener> listeners, ExecutorService delivery, String region,
                        String account) {
        this.listeners = listeners;
        this.delivery = delivery;
        this.region = region;
        this.account = account;
    }

    @Override
    public void onStart(Execution execution) {
        publish(execution);
    }

    @Override
    public void onEvent(Execution execution, HistoryEvent event) {
    }

    @Override
    public void onCheckpoint(Execution execution) {
    }

    @Override
    public void onFinish(Execution execution) {
        publish(execution);
    }

    private void publish(Execution e) {
        // AWS sends these events for Standard workflows only
        if (listeners.isEmpty() || e.stateMachine().type() != StateMachineType.STANDARD) {
            return;
        }
        ExecutionStatusChange change;
        synchronized (e) {
            change = new ExecutionStatusChange(e.arn(), e.stateMachine().arn(), e.name(), e.status().name(),
                    e.startDate(), e.stopDate(), e.input(), e.output(), e.error(), e.cause(), e.redriveCount(),
                    region, account, e.stopDate() == null ? e.startDate() : e.stopDate());
        }
        try {
            delivery.execute(() -> {
                for (ExecutionStatusListener l : listeners) {
                    try {
                        l.onStatusChange(change);
                    } catch (RuntimeException ignored) {
                        // a failing listener is the host's problem; the others still hear of the change
                    }
                }
            });
        } catch (RejectedExecutionException closing) {
            // the emulator is closing
        }
    }
}
