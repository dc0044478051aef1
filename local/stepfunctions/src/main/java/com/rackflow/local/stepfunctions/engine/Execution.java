package com.rackflow.local.stepfunctions.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/** One execution: its identity, status, result and history. Mutations are synchronised on the instance. */
public final class Execution {

    private final String arn;
    private final String name;
    private final StateMachine stateMachine;
    private final String input;
    private final Instant startDate;
    private final List<HistoryEvent> history = new ArrayList<>();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private volatile CountDownLatch done = new CountDownLatch(1);
    private ExecutionStatus status = ExecutionStatus.RUNNING;
    private String output;
    private String error;
    private String cause;
    private Instant stopDate;
    private Checkpoint checkpoint;
    private int redriveCount;
    private Instant redriveDate;
    /** Where a FAILED, TIMED_OUT or ABORTED execution would be redriven from: the state it stopped in. */
    private Checkpoint redrivePoint;
    /**
     * The results of the Map iterations or Parallel branches that had finished in the state the execution stopped
     * in (AWS's redrive runs only the failed and aborted ones again); empty when none.
     */
    private Map<Integer, JsonNode> redriveChildren = Map.of();
    /** Those results, until the redriven state takes them. */
    private Map<Integer, JsonNode> redrivenChildren = Map.of();
    /** The Map/Parallel attempts running now (engine-internal), by key. */
    private final Map<String, ChildGroup> groups = new ConcurrentHashMap<>();
    /** Map/Parallel progress read back after a restart, by key; taken when the state resumes. */
    private final Map<String, GroupProgress> restoredGroups = new ConcurrentHashMap<>();
    /** Wakes children that wait without a thread, so that a stop reaches them. */
    private final Set<Runnable> wakers = ConcurrentHashMap.newKeySet();
    private volatile ExecutionStatus stopRequested;
    private volatile String stopError;
    private volatile String stopCause;

    public Execution(String arn, String name, StateMachine stateMachine, String input, Instant startDate) {
        this.arn = arn;
        this.name = name;
        this.stateMachine = stateMachine;
        this.input = input;
        this.startDate = startDate;
    }

    public String arn() {
        return arn;
    }

    public String name() {
        return name;
    }

    public StateMachine stateMachine() {
        return stateMachine;
    }

    public String input() {
        return input;
    }

    public Instant startDate() {
        return startDate;
    }

    public synchronized ExecutionStatus status() {
        return status;
    }

    public synchronized String output() {
        return output;
    }

    public synchronized String error() {
        return error;
    }

    public synchronized String cause() {
        return cause;
    }

    public synchronized Instant stopDate() {
        return stopDate;
    }

    public synchronized int redriveCount() {
        return redriveCount;
    }

    public synchronized void redriveCount(int count) {
        this.redriveCount = count;
    }

    public synchronized Checkpoint checkpoint() {
        return checkpoint;
    }

    public synchronized void checkpoint(Checkpoint c) {
        this.checkpoint = c;
    }

    /** Appends an event; the previous event is given by the caller's trail. */
    public HistoryEvent addEvent(EventType type, long previousEventId, ObjectNode details, Instant now) {
        HistoryEvent event;
        synchronized (this) {
            event = new HistoryEvent(history.size() + 1, previousEventId, now, type, details);
            history.add(event);
        }
        return event;
    }

    public synchronized List<HistoryEvent> history() {
        return List.copyOf(history);
    }

    public synchronized int historySize() {
        return history.size();
    }

    /** Restores persisted events (on restart), optionally dropping those after a checkpoint. */
    public synchronized void restoreHistory(List<HistoryEvent> events) {
        history.clear();
        history.addAll(events);
    }

    public synchronized void truncateHistory(int size) {
        while (history.size() > size) {
            history.remove(history.size() - 1);
        }
        restoredGroups.keySet().removeIf(k -> GroupProgress.enteredEventId(k) > size);
    }

    public synchronized boolean finish(ExecutionStatus newStatus, String newOutput, String newError, String newCause,
                                       Instant when) {
        if (status != ExecutionStatus.RUNNING) {
            return false;
        }
        status = newStatus;
        output = newOutput;
        error = newError;
        cause = newCause;
        stopDate = when;
        redrivePoint = newStatus == ExecutionStatus.SUCCEEDED || checkpoint == null ? null
                : Checkpoint.enteringState(checkpoint.stateName(), checkpoint.input(), checkpoint.variables(), 0);
        redriveChildren = redrivePoint == null ? Map.of() : finishedChildrenOf(checkpoint.enteredEventId());
        checkpoint = null;
        groups.clear();
        restoredGroups.clear();
        wakers.clear();
        done.countDown();
        return true;
    }

    /** The finished children of the last attempt of the Map/Parallel state entered at this event (not Distributed). */
    private Map<Integer, JsonNode> finishedChildrenOf(long enteredEventId) {
        ChildGroup last = null;
        for (ChildGroup g : groups.values()) {
            if (g.persistPositions && GroupProgress.enteredEventId(g.key) == enteredEventId
                    && (last == null || GroupProgress.retry(g.key) > GroupProgress.retry(last.key))) {
                last = g;
            }
        }
        return last == null ? Map.of() : last.finishedResults();
    }

    public synchronized Map<Integer, JsonNode> redriveChildren() {
        return redriveChildren;
    }

    /** The finished children's results for the redriven state (once); empty for any other state. */
    synchronized Map<Integer, JsonNode> takeRedrivenChildren() {
        Map<Integer, JsonNode> out = redrivenChildren;
        redrivenChildren = Map.of();
        return out;
    }

    public synchronized Checkpoint redrivePoint() {
        return redrivePoint;
    }

    public synchronized Instant redriveDate() {
        return redriveDate;
    }

    /** RedriveExecution: RUNNING again from the state it stopped in, one redrive more; false when not redrivable. */
    public synchronized boolean redrive(Instant when) {
        if (status == ExecutionStatus.RUNNING || status == ExecutionStatus.SUCCEEDED || redrivePoint == null) {
            return false;
        }
        status = ExecutionStatus.RUNNING;
        output = null;
        error = null;
        cause = null;
        stopDate = null;
        stopRequested = null;
        stopError = null;
        stopCause = null;
        redriveCount++;
        redriveDate = when;
        checkpoint = redrivePoint.withEnteredEventId(0);
        redrivePoint = null;
        redrivenChildren = redriveChildren;
        redriveChildren = Map.of();
        done = new CountDownLatch(1);
        return true;
    }

    /** Restores the redrive count, date and point (of a finished execution) from the store. */
    public synchronized void restoreRedrive(int count, Instant date, Checkpoint point, Map<Integer, JsonNode> children) {
        redriveCount = count;
        redriveDate = date;
        redrivePoint = point;
        redriveChildren = point == null ? Map.of() : Map.copyOf(children);
    }

    /** Restores a finished execution's outcome from the store. */
    public synchronized void restoreOutcome(ExecutionStatus s, String out, String err, String cse, Instant stop) {
        status = s;
        output = out;
        error = err;
        cause = cse;
        stopDate = stop;
        if (s != ExecutionStatus.RUNNING) {
            done.countDown();
        }
    }

    public CountDownLatch done() {
        return done;
    }

    public Set<Thread> threads() {
        return threads;
    }

    /** Asks the running threads to stop (StopExecution or the execution's own timeout), and wakes waiting children. */
    public void requestStop(ExecutionStatus reason, String err, String cse) {
        stopError = err;
        stopCause = cse;
        stopRequested = reason;
        threads.forEach(Thread::interrupt);
        List.copyOf(wakers).forEach(Runnable::run);
    }

    Map<String, ChildGroup> groups() {
        return groups;
    }

    Set<Runnable> wakers() {
        return wakers;
    }

    /** Map/Parallel progress read back from the store (before the execution resumes). */
    public void restoreGroups(Map<String, GroupProgress> progress) {
        restoredGroups.putAll(progress);
    }

    GroupProgress takeRestoredGroup(String key) {
        return restoredGroups.remove(key);
    }

    /** Whether the state entered at this event had Map/Parallel progress recorded before a restart. */
    public boolean hasRestoredGroupsOf(long enteredEventId) {
        return enteredEventId > 0 && restoredGroups.keySet().stream()
                .anyMatch(k -> GroupProgress.enteredEventId(k) == enteredEventId);
    }

    public ExecutionStatus stopRequested() {
        return stopRequested;
    }

    public String stopError() {
        return stopError;
    }

    public String stopCause() {
        return stopCause;
    }

}
