package com.rackflow.local.stepfunctions.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.local.stepfunctions.LambdaInvoker;
import com.rackflow.local.stepfunctions.asl.ChoiceRules;
import com.rackflow.local.stepfunctions.asl.EvalContext;
import com.rackflow.local.stepfunctions.asl.Json;
import com.rackflow.local.stepfunctions.asl.Paths;
import com.rackflow.local.stepfunctions.asl.PayloadTemplate;
import com.rackflow.local.stepfunctions.asl.StatesError;
import com.rackflow.local.stepfunctions.asl.StatesException;
import com.rackflow.local.stepfunctions.asl.Variables;
import com.rackflow.local.stepfunctions.integrations.DynamoDbIntegration;
import com.rackflow.local.stepfunctions.integrations.ServiceIntegrations;
import com.rackflow.local.stepfunctions.integrations.TaskResource;
import com.rackflow.local.stepfunctions.jsonata.JsonataSupport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs executions of Amazon States Language definitions. A sequence of states (the top level, a Map iteration, a
 * Parallel branch) holds a worker thread while it runs states; a callback, a Wait longer than 20 ms or the children of
 * a Map/Parallel park it ({@link Parked}) and it resumes on a worker when they are done, so waiting holds no thread.
 * Activities, `.sync` children and Retry intervals still block their thread.
 */
public final class Interpreter {

    /** Payload limit for state input/output and execution input/output (256 KiB). */
    public static final int MAX_PAYLOAD_BYTES = 262_144;
    /** Inline Map runs at most this many iterations at once. */
    public static final int INLINE_MAP_MAX_CONCURRENCY = 40;
    static final double DEFAULT_TASK_TIMEOUT_SECONDS = 99_999_999;
    /** Wait states longer than this (real time) release their thread. */
    private static final long PARK_WAITS_LONGER_THAN_NANOS = 20_000_000;
    /** AWS's cap on the events of one execution; the last one is the ExecutionFailed event. */
    public static final int MAX_HISTORY_EVENTS = 25_000;
    /** Events that the next event of the same branch does not point back to (AWS's previousEventId chain). */
    private static final java.util.Set<EventType> NON_ADVANCING = java.util.EnumSet.of(
            EventType.ParallelStateSucceeded, EventType.MapStateSucceeded, EventType.MapIterationFailed,
            EventType.TaskStateAborted);
    private static final DateTimeFormatter ISO_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final ScaledClock clock;
    private final ExecutorService workers;
    private final TaskTokens tokens;
    private final ServiceIntegrations integrations;
    private final String region;
    private final String accountId;
    private final ExecutionListener listener;
    private final java.util.concurrent.ScheduledExecutorService timers;
    private final Map<String, JsonNode> parsedDefinitions = new ConcurrentHashMap<>();

    public Interpreter(ScaledClock clock, ExecutorService workers, java.util.concurrent.ScheduledExecutorService timers,
                       TaskTokens tokens, LambdaInvoker lambda, DynamoDbIntegration dynamo, String region,
                       String accountId, ExecutionListener listener) {
        this.timers = timers;
        this.clock = clock;
        this.workers = workers;
        this.tokens = tokens;
        this.integrations = new ServiceIntegrations(lambda, dynamo, region, accountId);
        this.region = region;
        this.accountId = accountId;
        this.listener = listener;
    }

    public ScaledClock clock() {
        return clock;
    }

    private volatile ChildExecutions children;
    private final ActivityQueues activities = new ActivityQueues();

    /** The activities' task queues (CreateActivity, GetActivityTask). */
    public ActivityQueues activities() {
        return activities;
    }

    /** How states:startExecution starts nested executions (the API service, set once it exists). */
    public void childExecutions(ChildExecutions children) {
        this.children = children;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Execution level

    /** Per-execution data shared by all its threads. */
    private final class Run {
        final Execution exec;
        final JsonNode definition;
        final ObjectNode executionContext;
        final String defaultQueryLanguage;
        /** False for a Distributed Map's child executions, whose events are not persisted or published. */
        final boolean record;

        Run(Execution exec) {
            this(exec, true);
        }

        Run(Execution exec, boolean record) {
            this.exec = exec;
            this.record = record;
            this.definition = parsedDefinitions.computeIfAbsent(exec.stateMachine().revisionId(),
                    k -> Json.parse(exec.stateMachine().definition()));
            this.defaultQueryLanguage = definition.path("QueryLanguage").asText("JSONPath");
            ObjectNode ctx = Json.object();
            ObjectNode e = ctx.putObject("Execution");
            e.put("Id", exec.arn());
            e.set("Input", Json.parse(exec.input()));
            e.put("StartTime", ISO_MILLIS.format(exec.startDate()));
            e.put("Name", exec.name());
            e.put("RoleArn", exec.stateMachine().roleArn());
            e.put("RedriveCount", exec.redriveCount());
            ObjectNode sm = ctx.putObject("StateMachine");
            sm.put("Id", exec.stateMachine().arn());
            sm.put("Name", exec.stateMachine().name());
            this.executionContext = ctx;
        }

        HistoryEvent event(Trail trail, EventType type, ObjectNode details) {
            if (exec.historySize() >= MAX_HISTORY_EVENTS - 1) {
                throw new StatesException(StatesError.RUNTIME, "The execution reached the maximum number of "
                        + "history events (" + MAX_HISTORY_EVENTS + ").");
            }
            HistoryEvent ev = exec.addEvent(type, trail.last, details, clock.now());
            if (!NON_ADVANCING.contains(type)) {
                trail.last = ev.id();
            }
            if (record) {
                listener.onEvent(exec, ev);
            }
            return ev;
        }
    }

    /** The previous event id of one sequential thread of states. */
    static final class Trail {
        long last;

        Trail(long last) {
            this.last = last;
        }
    }

    /** One sequence of states being run: the top level, a Parallel branch or a Map iteration. */
    private record Frame(Run run, Trail trail, Variables variables, Position position) {
    }

    /**
     * Where a sequence of states stands (the state it runs, its input and variables, what it waits for), so that it
     * can resume after a wait without a thread or after a restart: the execution's checkpoint for the top level, the
     * child's entry in its {@link ChildGroup} for a Map iteration or Parallel branch.
     */
    private interface Position {
        Checkpoint get();

        void set(Checkpoint c, boolean persist);

        default void persist() {
            set(get(), true);
        }

        /** The execution's top level (not a Map iteration or a Parallel branch). */
        default boolean topLevel() {
            return false;
        }
    }

    private Position topLevel(Execution exec) {
        return new Position() {
            @Override
            public Checkpoint get() {
                return exec.checkpoint();
            }

            @Override
            public void set(Checkpoint c, boolean persist) {
                exec.checkpoint(c);
                if (persist) {
                    listener.onCheckpoint(exec);
                }
            }

            @Override
            public boolean topLevel() {
                return true;
            }
        };
    }

    private Position child(Execution exec, ChildGroup g, int index) {
        return new Position() {
            @Override
            public Checkpoint get() {
                return g.position(index);
            }

            @Override
            public void set(Checkpoint c, boolean persist) {
                g.position(index, c);
                if (persist && g.persistPositions && c != null && listener.recordsChildProgress()) {
                    ObjectNode r = GroupProgress.record(g.key);
                    r.put("index", index);
                    r.set("position", c.toJson());
                    listener.onChildProgress(exec, r);
                }
            }
        };
    }

    /** Emits ExecutionStarted; call once before {@link #run}. */
    public void started(Execution exec) {
        ObjectNode d = Json.object();
        d.put("input", exec.input());
        d.putObject("inputDetails").put("truncated", false);
        d.put("roleArn", exec.stateMachine().roleArn());
        HistoryEvent ev = exec.addEvent(EventType.ExecutionStarted, 0, d, exec.startDate());
        listener.onEvent(exec, ev);
        listener.onStart(exec);
    }

    /** Emits ExecutionRedriven after {@link Execution#redrive}; then {@link #run} resumes it. */
    public void redriven(Execution exec) {
        ObjectNode d = Json.object();
        d.put("redriveCount", exec.redriveCount());
        HistoryEvent ev = exec.addEvent(EventType.ExecutionRedriven, exec.historySize(), d, clock.now());
        listener.onEvent(exec, ev);
        listener.onStart(exec);
    }

    /** Runs an execution to its end on the calling thread; {@code resume} is null for a fresh start. */
    public void run(Execution exec, ResumePoint resume) {
        run(exec, resume, null);
    }

    /** {@code parkedFrame}: the top-level frame of an execution that parked in this process (null: rebuild it). */
    private void run(Execution exec, ResumePoint resume, Frame parkedFrame) {
        if (exec.status() != ExecutionStatus.RUNNING) {
            return; // stopped or timed out while parked
        }
        Thread self = Thread.currentThread();
        exec.threads().add(self);
        Parked parked = null;
        Run run;
        try {
            run = new Run(exec);
        } catch (RuntimeException e) {
            exec.threads().remove(self);
            fail(exec, new Trail(exec.historySize()), "States.Runtime", "Invalid definition: " + e.getMessage());
            return;
        }
        Trail trail = new Trail(0); // AWS: the first state's entered event has previousEventId 0
        Variables variables = Variables.root();
        String startAt = run.definition.path("StartAt").asText();
        JsonNode input = Json.parse(exec.input());
        if (parkedFrame != null) {
            trail = parkedFrame.trail;
            variables = parkedFrame.variables;
        }
        if (resume != null) {
            Checkpoint c = exec.checkpoint();
            startAt = c.stateName();
            input = c.input();
            if (parkedFrame == null) {
                variables.restore(c.variables());
                trail.last = exec.historySize();
            }
        }
        try {
            JsonNode output = runStates(new Frame(run, trail, variables, topLevel(exec)), run.definition, startAt,
                    input, resume);
            checkStop(exec);
            String text = Json.write(output);
            if (Json.utf8Length(text) > MAX_PAYLOAD_BYTES) {
                throw new StatesException(StatesError.DATA_LIMIT_EXCEEDED, "The state/task returned a result with "
                        + "a size exceeding the maximum number of bytes service limit.");
            }
            synchronized (exec) {
                if (exec.status() != ExecutionStatus.RUNNING) {
                    return;
                }
                ObjectNode d = Json.object();
                d.put("output", text);
                d.putObject("outputDetails").put("truncated", false);
                run.event(trail, EventType.ExecutionSucceeded, d);
                exec.finish(ExecutionStatus.SUCCEEDED, text, null, null, clock.now());
            }
            listener.onFinish(exec);
        } catch (StatesException e) {
            if (exec.stopRequested() != null) {
                aborted(exec, trail);
            } else {
                fail(exec, trail, e.error(), e.cause());
            }
        } catch (AbortedException e) {
            aborted(exec, trail);
        } catch (Parked p) {
            parked = p;
        } catch (RuntimeException e) {
            fail(exec, trail, StatesError.RUNTIME.errorName(), "Internal error of the local emulator: " + e);
        } finally {
            exec.threads().remove(self);
            Thread.interrupted();
        }
        if (parked != null) {
            // a stop (StopExecution, the execution's timeout) that came while this thread was on its way to park
            // found a thread to interrupt and would be lost: honour it here (the stopper checks the other way round)
            if (exec.stopRequested() != null) {
                aborted(exec, trail);
            } else {
                Parked p = parked;
                resumeLater(exec, p, () -> run(exec, p.resume, (Frame) p.frame), false);
            }
        }
    }

    /**
     * Runs {@code continuation} on a worker when a parked sequence's callback arrives, its deadline passes, its
     * heartbeat lapses or its children are done; returns what wakes it at once. A child's wake-up is registered with
     * the execution ({@code wakeOnStop}), so that StopExecution reaches it.
     */
    private Runnable resumeLater(Execution exec, Parked p, Runnable continuation, boolean wakeOnStop) {
        java.util.concurrent.atomic.AtomicBoolean once = new java.util.concurrent.atomic.AtomicBoolean();
        List<java.util.concurrent.ScheduledFuture<?>> timersSet = new java.util.concurrent.CopyOnWriteArrayList<>();
        Runnable[] self = new Runnable[1];
        Runnable resume = () -> {
            if (once.compareAndSet(false, true)) {
                exec.wakers().remove(self[0]);
                timersSet.forEach(t -> t.cancel(false));
                try {
                    workers.execute(continuation);
                } catch (java.util.concurrent.RejectedExecutionException shutDown) {
                    // the emulator is closing; a persisted execution resumes on the next start
                }
            }
        };
        self[0] = resume;
        if (wakeOnStop) {
            exec.wakers().add(resume);
        }
        try {
            if (p.resume.deadlineEpochMillis() > 0) {
                long untilDeadline = Math.max(0, p.resume.deadlineEpochMillis() - System.currentTimeMillis());
                timersSet.add(timers.schedule(resume, untilDeadline, TimeUnit.MILLISECONDS));
            }
            if (p.pending != null && p.heartbeatSeconds != null) {
                scheduleHeartbeatCheck(p, resume, timersSet);
            }
        } catch (java.util.concurrent.RejectedExecutionException shutDown) {
            return resume;
        }
        if (p.pending != null) {
            p.pending.outcome().whenComplete((outcome, error) -> resume.run());
        }
        if (p.children != null) {
            p.children.whenComplete((done, error) -> resume.run());
        }
        return resume;
    }

    private void scheduleHeartbeatCheck(Parked p, Runnable resume, List<java.util.concurrent.ScheduledFuture<?>> set) {
        long due = p.pending.lastHeartbeatNanos() + clock.realNanos(p.heartbeatSeconds) - System.nanoTime();
        set.add(timers.schedule(() -> {
            long left = p.pending.lastHeartbeatNanos() + clock.realNanos(p.heartbeatSeconds) - System.nanoTime();
            if (left <= 0) {
                resume.run();
            } else {
                scheduleHeartbeatCheck(p, resume, set);
            }
        }, Math.max(0, due), TimeUnit.NANOSECONDS));
    }

    private void fail(Execution exec, Trail trail, String error, String cause) {
        synchronized (exec) {
            if (exec.status() != ExecutionStatus.RUNNING) {
                return;
            }
            ObjectNode d = Json.object();
            if (error != null) {
                d.put("error", error); // a Fail state without Error: AWS reports no error at all
            }
            if (cause != null) {
                d.put("cause", cause);
            }
            HistoryEvent ev = exec.addEvent(EventType.ExecutionFailed, trail.last, d, clock.now());
            listener.onEvent(exec, ev);
            exec.finish(ExecutionStatus.FAILED, null, error, cause, clock.now());
        }
        listener.onFinish(exec);
    }

    /** Ends an execution that was asked to stop (StopExecution) or timed out. */
    public void aborted(Execution exec, Trail trail) {
        synchronized (exec) {
            if (exec.status() != ExecutionStatus.RUNNING) {
                return;
            }
            Checkpoint parkedAt = exec.checkpoint();
            if (parkedAt != null && parkedAt.pendingToken() != null) {
                tokens.close(parkedAt.pendingToken());
            }
            ExecutionStatus reason = exec.stopRequested() == null ? ExecutionStatus.ABORTED : exec.stopRequested();
            ObjectNode d = Json.object();
            if (exec.stopError() != null) {
                d.put("error", exec.stopError());
            }
            if (exec.stopCause() != null) {
                d.put("cause", exec.stopCause());
            }
            EventType type = reason == ExecutionStatus.TIMED_OUT ? EventType.ExecutionTimedOut
                    : EventType.ExecutionAborted;
            long previous = trail == null ? exec.historySize() : Math.max(trail.last, exec.historySize());
            HistoryEvent ev = exec.addEvent(type, previous, d, clock.now());
            listener.onEvent(exec, ev);
            exec.finish(reason, null, exec.stopError(), exec.stopCause(), clock.now());
        }
        listener.onFinish(exec);
    }

    public void abortNow(Execution exec) {
        aborted(exec, null);
    }

    private static void checkStop(Execution exec) {
        if (exec.stopRequested() != null || Thread.currentThread().isInterrupted()) {
            throw new AbortedException();
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // State sequencing

    private record Step(String next, JsonNode output) {
    }

    private JsonNode runStates(Frame f, JsonNode container, String startAt, JsonNode input, ResumePoint resume) {
        JsonNode states = container.get("States");
        String name = startAt;
        JsonNode data = input;
        while (true) {
            if (resume == null || !resume.childrenOf(name)) {
                checkStop(f.run.exec); // a Map/Parallel resumed after its children sees the stop itself
            }
            JsonNode state = states.get(name);
            if (state == null) {
                throw new StatesException(StatesError.RUNTIME, "The state '" + name + "' does not exist");
            }
            ResumePoint here = resume != null && resume.stateName().equals(name) ? resume : null;
            if (here == null) {
                f.position.set(Checkpoint.enteringState(name, data, f.variables.snapshot(),
                        f.run.exec.historySize()), true);
            }
            resume = null;
            Step step = executeState(f, name, state, data, here);
            if (step.next == null) {
                return step.output;
            }
            name = step.next;
            data = step.output;
        }
    }

    /** What a running state knows about itself. */
    private final class StateRun {
        final Frame frame;
        final String name;
        final JsonNode state;
        final String type;
        final JsonNode rawInput;
        final boolean jsonata;
        final Instant enteredTime;
        long enteredEventId;
        int retryCount;
        /** A Map or Parallel attempt failed in a way AWS reports with MapStateFailed/ParallelStateFailed. */
        boolean failedEventDue;
        String taskToken;
        ObjectNode mapItem;
        /** Variables this state assigned, for the exited event's assignedVariables. */
        final Map<String, JsonNode> assigned = new LinkedHashMap<>();

        StateRun(Frame frame, String name, JsonNode state, JsonNode rawInput) {
            this.frame = frame;
            this.name = name;
            this.state = state;
            this.type = state.path("Type").asText();
            this.rawInput = rawInput;
            this.jsonata = "JSONata".equals(state.path("QueryLanguage").asText(frame.run.defaultQueryLanguage));
            this.enteredTime = clock.now();
        }

        boolean canRetry() {
            return "Task".equals(type) || "Map".equals(type) || "Parallel".equals(type);
        }

        ObjectNode context() {
            // the Execution and StateMachine parts are shared, never modified (JSON nodes are treated as immutable)
            ObjectNode ctx = Json.object();
            ctx.setAll(frame.run.executionContext);
            ObjectNode st = ctx.putObject("State");
            st.put("EnteredTime", ISO_MILLIS.format(enteredTime));
            st.put("Name", name);
            if (canRetry()) {
                st.put("RetryCount", retryCount); // AWS: only in states that take a Retry field
            }
            if (taskToken != null) {
                ctx.putObject("Task").put("Token", taskToken);
            }
            if (mapItem != null) {
                ctx.putObject("Map").set("Item", mapItem);
            }
            return ctx;
        }

        EvalContext eval(JsonNode data) {
            return new EvalContext(data, context(), frame.variables);
        }

        Map<String, JsonNode> bindings(JsonNode result, JsonNode errorOutput) {
            ObjectNode states = Json.object();
            states.set("input", rawInput);
            states.set("context", context());
            if (result != null) {
                states.set("result", result);
            }
            if (errorOutput != null) {
                states.set("errorOutput", errorOutput);
            }
            return JsonataSupport.bindings(states, frame.variables.visible());
        }

        HistoryEvent event(EventType type, ObjectNode details) {
            return frame.run.event(frame.trail, type, details);
        }

        /** Adds AWS's "An error occurred while executing the state" prefix once; records EvaluationFailed. */
        StatesException contextualize(StatesException e) {
            StatesException out = e.inState(name, enteredEventId);
            if (out != e && jsonata && StatesError.QUERY_EVALUATION_ERROR.errorName().equals(e.error())) {
                ObjectNode d = Json.object();
                d.put("error", out.error());
                d.put("cause", out.cause());
                if (e instanceof JsonataSupport.EvaluationException ee) {
                    d.put("location", ee.location());
                }
                d.put("state", name);
                event(EventType.EvaluationFailed, d);
            }
            return out;
        }

        StatesException runtime(String message) {
            return new StatesException(StatesError.RUNTIME, "An error occurred while executing the state '" + name
                    + "' (entered at the event id #" + enteredEventId + "). " + message);
        }
    }

    private Step executeState(Frame f, String name, JsonNode state, JsonNode input, ResumePoint resume) {
        StateRun s = new StateRun(f, name, state, input);
        if (resume != null && resume.enteredEventId() > 0) {
            s.enteredEventId = resume.enteredEventId();
        } else {
            ObjectNode d = Json.object();
            d.put("name", name);
            d.put("input", Json.write(input));
            d.putObject("inputDetails").put("truncated", false);
            s.enteredEventId = s.event(EventType.entered(s.type), d).id();
            Checkpoint c = f.position.get();
            if (c != null) {
                // a child resumed after a restart goes on in the state it was in: its entered event is persisted at
                // once; the top level cuts its history back to before the state instead
                f.position.set(c.withEnteredEventId((int) s.enteredEventId), !f.position.topLevel());
            }
        }
        try {
            return switch (s.type) {
                case "Pass" -> exited(s, pass(s));
                case "Wait" -> exited(s, waitState(s, resume));
                case "Choice" -> exited(s, choice(s));
                case "Succeed" -> exited(s, new Step(null, succeed(s)));
                case "Fail" -> throw failState(s);
                case "Task", "Parallel", "Map" -> exited(s, withRetryAndCatch(s, resume));
                default -> throw new StatesException(StatesError.RUNTIME, "Unknown state type " + s.type);
            };
        } catch (Paths.NoResult e) {
            throw s.runtime(e.getMessage());
        } catch (StatesException e) {
            throw s.contextualize(e);
        }
    }

    private Step exited(StateRun s, Step step) {
        String text = Json.write(step.output);
        if (Json.utf8Length(text) > MAX_PAYLOAD_BYTES) {
            throw new StatesException(StatesError.DATA_LIMIT_EXCEEDED, "The state/task '" + s.name
                    + "' returned a result with a size exceeding the maximum number of bytes service limit.");
        }
        ObjectNode d = Json.object();
        d.put("name", s.name);
        d.put("output", text);
        d.putObject("outputDetails").put("truncated", false);
        if (!s.assigned.isEmpty()) {
            ObjectNode vars = d.putObject("assignedVariables");
            s.assigned.forEach((k, v) -> vars.put(k, Json.write(v)));
            d.putObject("assignedVariablesDetails").put("truncated", false);
        }
        checkVariableSizes(s);
        s.frame.variables.assignAll(s.assigned);
        s.event(EventType.exited(s.type), d);
        if (step.next == null && !s.state.path("End").asBoolean(false) && !"Succeed".equals(s.type)) {
            throw new StatesException(StatesError.RUNTIME, "State '" + s.name + "' has neither Next nor End");
        }
        return step;
    }

    /** AWS's limits: 256 KiB per variable, 256 KiB per Assign field, 10 MiB of variables per execution. */
    static final int MAX_VARIABLE_BYTES = 262_144;
    static final int MAX_VARIABLES_BYTES = 10 * 1024 * 1024;

    private static void checkVariableSizes(StateRun s) {
        if (s.assigned.isEmpty()) {
            return;
        }
        long assignTotal = 0;
        for (Map.Entry<String, JsonNode> e : s.assigned.entrySet()) {
            int size = Json.utf8Length(Json.write(e.getValue()));
            if (size > MAX_VARIABLE_BYTES) {
                throw s.runtime("The variable '" + e.getKey() + "' has a size of " + size
                        + " bytes, above the limit of " + MAX_VARIABLE_BYTES + " bytes.");
            }
            assignTotal += size;
        }
        if (assignTotal > MAX_VARIABLE_BYTES) {
            throw s.runtime("The variables assigned by the Assign field have a combined size of " + assignTotal
                    + " bytes, above the limit of " + MAX_VARIABLE_BYTES + " bytes.");
        }
        Map<String, JsonNode> all = new LinkedHashMap<>(s.frame.variables.visible());
        all.putAll(s.assigned);
        long total = 0;
        for (JsonNode v : all.values()) {
            total += Json.utf8Length(Json.write(v));
        }
        if (total > MAX_VARIABLES_BYTES) {
            throw s.runtime("The execution's variables have a combined size of " + total + " bytes, above the "
                    + "limit of " + MAX_VARIABLES_BYTES + " bytes.");
        }
    }

    private static String next(StateRun s) {
        JsonNode n = s.state.get("Next");
        return n == null ? null : n.asText();
    }

    // ------------------------------------------------------------------------------------------------------------
    // Input and output processing

    private JsonNode inputPath(StateRun s) {
        if (!s.state.has("InputPath")) {
            return s.rawInput;
        }
        JsonNode p = s.state.get("InputPath");
        if (p.isNull()) {
            return Json.object();
        }
        return Paths.read(p.asText(), s.eval(s.rawInput));
    }

    private static JsonNode resultPath(StateRun s, JsonNode node, JsonNode result) {
        if (!node.has("ResultPath")) {
            return result;
        }
        JsonNode p = node.get("ResultPath");
        if (p.isNull()) {
            return s.rawInput;
        }
        return Paths.write(s.rawInput, p.asText(), result);
    }

    private JsonNode outputPath(StateRun s, JsonNode output) {
        if (!s.state.has("OutputPath")) {
            return output;
        }
        JsonNode p = s.state.get("OutputPath");
        if (p.isNull()) {
            return Json.object();
        }
        return Paths.read(p.asText(), s.eval(output));
    }

    private JsonNode parameters(StateRun s, JsonNode effectiveInput, String field) {
        JsonNode template = s.state.get(field);
        return template == null ? effectiveInput : PayloadTemplate.apply(template, s.eval(effectiveInput));
    }

    /** JSONPath states: the input of the state's work (after InputPath and Parameters). */
    private JsonNode taskInput(StateRun s) {
        if (s.jsonata) {
            JsonNode args = s.state.get("Arguments");
            return args == null ? s.rawInput : JsonataSupport.evaluateTemplate(args, s.bindings(null, null),
                    "Arguments");
        }
        return parameters(s, inputPath(s), "Parameters");
    }

    /** From the state's result to its output: ResultSelector, Assign, ResultPath, OutputPath (or Output). */
    private JsonNode finish(StateRun s, JsonNode result) {
        if (s.jsonata) {
            Map<String, JsonNode> b = s.bindings(result, null);
            JsonNode output = s.state.has("Output") ? JsonataSupport.evaluateTemplate(s.state.get("Output"), b,
                    "Output") : result;
            assignJsonata(s, s.state.get("Assign"), b);
            return output == null ? Json.NODES.nullNode() : output;
        }
        JsonNode selected = s.state.has("ResultSelector") ? PayloadTemplate.apply(s.state.get("ResultSelector"),
                s.eval(result)) : result;
        assignJsonPath(s, s.state.get("Assign"), selected);
        return outputPath(s, resultPath(s, s.state, selected));
    }

    private void assignJsonPath(StateRun s, JsonNode assign, JsonNode data) {
        if (assign == null) {
            return;
        }
        JsonNode values = PayloadTemplate.apply(assign, s.eval(data));
        Map<String, JsonNode> m = new LinkedHashMap<>();
        values.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue()));
        s.assigned.putAll(m); // applied when the state exits (AWS: OutputPath still sees the old values)
    }

    private void assignJsonata(StateRun s, JsonNode assign, Map<String, JsonNode> bindings) {
        assignJsonata(s, assign, bindings, "Assign");
    }

    private void assignJsonata(StateRun s, JsonNode assign, Map<String, JsonNode> bindings, String location) {
        if (assign == null) {
            return;
        }
        JsonNode values = JsonataSupport.evaluateTemplate(assign, bindings, location);
        Map<String, JsonNode> m = new LinkedHashMap<>();
        values.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue()));
        s.assigned.putAll(m);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Simple states

    private Step pass(StateRun s) {
        if (s.jsonata) {
            return new Step(next(s), finish(s, s.rawInput));
        }
        JsonNode effective = inputPath(s);
        JsonNode result;
        if (s.state.has("Parameters")) {
            result = parameters(s, effective, "Parameters");
        } else if (s.state.has("Result")) {
            result = s.state.get("Result");
        } else {
            result = effective;
        }
        assignJsonPath(s, s.state.get("Assign"), result);
        return new Step(next(s), outputPath(s, resultPath(s, s.state, result)));
    }

    private JsonNode succeed(StateRun s) {
        if (s.jsonata) {
            return finish(s, s.rawInput);
        }
        return outputPath(s, inputPath(s));
    }

    private StatesException failState(StateRun s) {
        String error = null;
        String cause = null;
        if (s.jsonata) {
            Map<String, JsonNode> b = s.bindings(null, null);
            JsonNode e = s.state.get("Error");
            JsonNode c = s.state.get("Cause");
            error = e == null ? null : JsonataSupport.evaluateTemplate(e, b, "Error").asText();
            cause = c == null ? null : JsonataSupport.evaluateTemplate(c, b, "Cause").asText();
        } else {
            error = textField(s, "Error", "ErrorPath");
            cause = textField(s, "Cause", "CausePath");
        }
        return new StatesException(error, cause);
    }

    private String textField(StateRun s, String field, String pathField) {
        if (s.state.has(field)) {
            return s.state.get(field).asText();
        }
        if (!s.state.has(pathField)) {
            return null;
        }
        JsonNode v = PayloadTemplate.evaluateDynamic(pathField, s.state.get(pathField), s.eval(s.rawInput));
        if (!v.isTextual()) {
            throw s.runtime("The " + pathField + " '" + s.state.get(pathField).asText()
                    + "' must resolve to a string, got " + Json.write(v));
        }
        return v.textValue();
    }

    private Step waitState(StateRun s, ResumePoint resume) {
        JsonNode effective = s.jsonata ? s.rawInput : inputPath(s);
        if (resume != null && resume.deadlineEpochMillis() > 0) {
            sleepUntil(resume.deadlineEpochMillis());
        } else {
            double seconds = waitSeconds(s, effective);
            long deadline = System.currentTimeMillis() + clock.realNanos(seconds) / 1_000_000;
            Position at = s.frame.position;
            if (at.get() != null) {
                at.set(at.get().withDeadline(deadline), true);
            }
            if (clock.realNanos(seconds) > PARK_WAITS_LONGER_THAN_NANOS) {
                throw new Parked(new ResumePoint(s.name, null, s.enteredEventId, deadline), null, null, null,
                        s.frame);
            }
            sleep(seconds);
        }
        if (s.jsonata) {
            return new Step(next(s), finish(s, s.rawInput));
        }
        assignJsonPath(s, s.state.get("Assign"), effective);
        return new Step(next(s), outputPath(s, effective));
    }

    private void sleepUntil(long epochMillis) {
        try {
            clock.sleepRealNanos(Math.max(0, epochMillis - System.currentTimeMillis()) * 1_000_000);
        } catch (InterruptedException e) {
            throw new AbortedException();
        }
    }

    /** AWS refuses a Wait longer than this (2^31 - 1 seconds, about 68 years). */
    private static final double MAX_WAIT_SECONDS = Integer.MAX_VALUE;

    private double waitSeconds(StateRun s, JsonNode effective) {
        double seconds;
        Map<String, JsonNode> b = s.jsonata ? s.bindings(null, null) : null;
        JsonNode st = s.state;
        if (st.has("Seconds")) {
            JsonNode v = s.jsonata ? JsonataSupport.evaluateTemplate(st.get("Seconds"), b, "Seconds") : st.get(
                    "Seconds");
            if (!v.isIntegralNumber() || v.asLong() < 0) {
                throw new StatesException(s.jsonata ? StatesError.QUERY_EVALUATION_ERROR : StatesError.RUNTIME,
                        "The Seconds field must be a non-negative integer, but was: " + Json.write(v));
            }
            seconds = v.asLong();
        } else if (st.has("SecondsPath")) {
            String path = st.get("SecondsPath").asText();
            JsonNode v;
            try {
                v = Paths.read(path, s.eval(effective));
            } catch (Paths.NoResult e) {
                throw s.runtime("The SecondsPath parameter does not reference an input value: " + path);
            }
            // AWS: a whole number of seconds only (1.5 and "1" are refused)
            if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                throw s.runtime("The SecondsPath parameter cannot be parsed as a long value: " + path + " == "
                        + (v.isTextual() ? v.textValue() : Json.write(v)));
            }
            if (v.asLong() < 0) {
                throw s.runtime("The SecondsPath parameter references a negative value: " + path + " == "
                        + v.asLong());
            }
            seconds = v.asLong();
        } else if (st.has("Timestamp") && s.jsonata) {
            JsonNode ts = JsonataSupport.evaluateTemplate(st.get("Timestamp"), b, "Timestamp");
            OffsetDateTime t = ts.isTextual() ? waitTimestamp(ts.textValue()) : null;
            if (t == null) {
                throw new StatesException(StatesError.QUERY_EVALUATION_ERROR, "The Timestamp field cannot be "
                        + "parsed as an ISO-8601 extended offset date-time format string: "
                        + (ts.isTextual() ? ts.textValue() : Json.write(ts)));
            }
            seconds = Math.max(0, Duration.between(clock.now(), t.toInstant()).toMillis() / 1000.0);
        } else if (st.has("Timestamp")) {
            OffsetDateTime t = waitTimestamp(st.get("Timestamp").asText());
            if (t == null) {
                throw s.runtime("The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time "
                        + "format string: " + st.get("Timestamp").asText());
            }
            seconds = Math.max(0, Duration.between(clock.now(), t.toInstant()).toMillis() / 1000.0);
        } else {
            String path = st.path("TimestampPath").asText();
            JsonNode ts;
            try {
                ts = Paths.read(path, s.eval(effective));
            } catch (Paths.NoResult e) {
                throw s.runtime("The TimestampPath parameter does not reference an input value: " + path);
            }
            OffsetDateTime t = ts.isTextual() ? waitTimestamp(ts.textValue()) : null;
            if (t == null) {
                throw s.runtime("The TimestampPath parameter does not reference a valid ISO-8601 extended offset "
                        + "date-time format string: " + path + " == " + (ts.isTextual() ? ts.textValue()
                        : Json.write(ts)));
            }
            seconds = Math.max(0, Duration.between(clock.now(), t.toInstant()).toMillis() / 1000.0);
        }
        if (seconds > MAX_WAIT_SECONDS) {
            throw s.runtime("Wait state delay is too long.");
        }
        return seconds;
    }

    /** AWS's Wait timestamps: RFC 3339 with a 'T', a time zone ('Z' or an offset), any fraction of a second. */
    private static OffsetDateTime waitTimestamp(String text) {
        if (!text.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})")) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private void sleep(double seconds) {
        try {
            clock.sleep(seconds);
        } catch (InterruptedException e) {
            throw new AbortedException();
        }
    }

    private Step choice(StateRun s) {
        JsonNode effective = s.jsonata ? s.rawInput : inputPath(s);
        JsonNode choices = s.state.path("Choices");
        for (int index = 0; index < choices.size(); index++) {
            JsonNode rule = choices.get(index);
            boolean matched;
            if (s.jsonata) {
                JsonNode c = JsonataSupport.evaluateTemplate(rule.get("Condition"), s.bindings(null, null),
                        "Choices[" + index + "]/Condition");
                if (c == null || !c.isBoolean()) {
                    throw new StatesException(StatesError.QUERY_EVALUATION_ERROR, "The Condition of a choice in '"
                            + s.name + "' must evaluate to a boolean, got " + (c == null ? "undefined" : Json.write(c)));
                }
                matched = c.booleanValue();
            } else {
                matched = ChoiceRules.evaluate(rule, s.eval(effective));
            }
            if (matched) {
                return choiceOutcome(s, effective, rule, rule.get("Next").asText(), "Choices[" + index + "]/");
            }
        }
        if (s.state.has("Default")) {
            return choiceOutcome(s, effective, s.state, s.state.get("Default").asText(), "");
        }
        throw new StatesException(StatesError.NO_CHOICE_MATCHED, "No Matches!");
    }

    private Step choiceOutcome(StateRun s, JsonNode effective, JsonNode holder, String next, String at) {
        if (s.jsonata) {
            Map<String, JsonNode> b = s.bindings(null, null);
            // a matched rule uses its own Output and Assign; the state's own ones go with the Default transition
            JsonNode out = holder.has("Output") ? JsonataSupport.evaluateTemplate(holder.get("Output"), b, at
                    + "Output") : s.rawInput;
            assignJsonata(s, holder.get("Assign"), b, at + "Assign");
            return new Step(next, out == null ? Json.NODES.nullNode() : out);
        }
        assignJsonPath(s, holder.get("Assign"), effective);
        return new Step(next, outputPath(s, effective));
    }

    // ------------------------------------------------------------------------------------------------------------
    // Retry and Catch

    private Step withRetryAndCatch(StateRun s, ResumePoint resume) {
        JsonNode retriers = s.state.path("Retry");
        int[] attempts = new int[retriers.size()];
        Position at = s.frame.position;
        if (resume != null && at.get() != null) {
            List<Integer> used = at.get().retryAttempts();
            for (int i = 0; i < Math.min(used.size(), attempts.length); i++) {
                attempts[i] = used.get(i);
                s.retryCount += used.get(i);
            }
        }
        while (true) {
            try {
                JsonNode output = switch (s.type) {
                    case "Task" -> task(s, resume);
                    case "Parallel" -> parallel(s);
                    default -> map(s);
                };
                return new Step(next(s), output);
            } catch (Paths.NoResult | StatesException raw) {
                StatesException e = raw instanceof Paths.NoResult nr ? s.runtime(nr.getMessage())
                        : s.contextualize((StatesException) raw);
                resume = null;
                if (s.frame.run.exec.stopRequested() != null) {
                    throw new AbortedException();
                }
                int index = matchingRetrier(retriers, e.error());
                if (index >= 0) {
                    JsonNode r = retriers.get(index);
                    int max = r.path("MaxAttempts").asInt(3);
                    if (attempts[index] < max) {
                        double interval = r.path("IntervalSeconds").asDouble(1);
                        double backoff = r.path("BackoffRate").asDouble(2.0);
                        double delay = interval * Math.pow(backoff, attempts[index]);
                        if (r.has("MaxDelaySeconds")) {
                            delay = Math.min(delay, r.get("MaxDelaySeconds").asDouble());
                        }
                        if ("FULL".equals(r.path("JitterStrategy").asText("NONE"))) {
                            delay = ThreadLocalRandom.current().nextDouble() * delay;
                        }
                        attempts[index]++;
                        s.retryCount++;
                        // AWS: a retried Map/Parallel attempt leaves no Failed event, only the final one does
                        s.failedEventDue = false;
                        s.assigned.clear();
                        if (at.get() != null) {
                            List<Integer> used = new ArrayList<>();
                            for (int a : attempts) {
                                used.add(a);
                            }
                            at.set(at.get().withRetryAttempts(used), true);
                        }
                        sleep(delay);
                        continue;
                    }
                }
                if (s.failedEventDue) {
                    s.event("Map".equals(s.type) ? EventType.MapStateFailed : EventType.ParallelStateFailed, null);
                }
                s.assigned.clear();
                Step caught = catchError(s, e);
                if (caught == null) {
                    throw e;
                }
                return caught;
            }
        }
    }

    private static int matchingRetrier(JsonNode retriers, String error) {
        for (int i = 0; i < retriers.size(); i++) {
            if (StatesError.matches(strings(retriers.get(i).path("ErrorEquals")), error)) {
                return i;
            }
        }
        return -1;
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private Step catchError(StateRun s, StatesException e) {
        for (JsonNode catcher : s.state.path("Catch")) {
            if (!StatesError.matches(strings(catcher.path("ErrorEquals")), e.error())) {
                continue;
            }
            ObjectNode errorOutput = Json.object();
            errorOutput.put("Error", e.error());
            if (e.cause() != null) {
                errorOutput.put("Cause", e.cause()); // omitted when the error has no cause
            }
            JsonNode output;
            if (s.jsonata) {
                Map<String, JsonNode> b = s.bindings(null, errorOutput);
                output = catcher.has("Output") ? JsonataSupport.evaluateTemplate(catcher.get("Output"), b, "Output")
                        : errorOutput;
                assignJsonata(s, catcher.get("Assign"), b);
            } else {
                assignJsonPath(s, catcher.get("Assign"), errorOutput);
                output = resultPath(s, catcher, errorOutput);
            }
            return new Step(catcher.get("Next").asText(), output == null ? Json.NODES.nullNode() : output);
        }
        return null;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Task

    private JsonNode task(StateRun s, ResumePoint resume) {
        String resourceText = s.state.path("Resource").asText();
        if (s.jsonata && JsonataSupport.isExpression(resourceText)) {
            resourceText = JsonataSupport.evaluate(resourceText, s.bindings(null, null), "Resource").asText();
        }
        TaskResource resource = TaskResource.parse(resourceText);
        boolean callback = resource.isCallback();
        if (resume != null && resume.pendingToken() != null) {
            s.taskToken = resume.pendingToken();
            long deadline = resume.deadlineEpochMillis() > 0 ? resume.deadlineEpochMillis()
                    : deadlineFor(timeoutSeconds(s, "TimeoutSeconds"));
            JsonNode result = awaitCallback(s, resource, tokens.register(s.taskToken, s.frame.run.exec.arn()),
                    deadline, heartbeatSeconds(s));
            return finish(s, result);
        }
        s.taskToken = callback ? TaskTokens.newToken(s.frame.run.exec.arn()) : null;
        JsonNode input = taskInput(s);
        double timeout = timeoutSeconds(s, "TimeoutSeconds");
        Double heartbeat = heartbeatSeconds(s);
        JsonNode result;
        if (resource.lambdaArn()) {
            result = plainLambda(s, resource, input, timeout);
        } else if (resource.activityArn()) {
            result = activity(s, resource.arn(), input, timeout, heartbeat);
        } else if ("states".equals(resource.service()) && "startExecution".equals(resource.action())
                && !callback) {
            result = startExecution(s, resource, input, timeout, heartbeat);
        } else {
            result = integration(s, resource, input, timeout, heartbeat, callback);
        }
        return finish(s, result);
    }

    private double timeoutSeconds(StateRun s, String field) {
        JsonNode v = s.state.get(field);
        if (v != null && s.jsonata && JsonataSupport.isExpression(v)) {
            v = JsonataSupport.evaluate(v.textValue(), s.bindings(null, null), field);
        }
        if (v == null && s.state.has(field + "Path")) {
            v = Paths.read(s.state.get(field + "Path").asText(), s.eval(s.rawInput));
        }
        if (v == null) {
            return DEFAULT_TASK_TIMEOUT_SECONDS;
        }
        if (!v.isNumber() || v.doubleValue() <= 0) {
            throw s.runtime("The " + field + " value must be a positive integer, got " + Json.write(v));
        }
        return v.doubleValue();
    }

    private Double heartbeatSeconds(StateRun s) {
        if (!s.state.has("HeartbeatSeconds") && !s.state.has("HeartbeatSecondsPath")) {
            return null;
        }
        return timeoutSeconds(s, "HeartbeatSeconds");
    }

    private ObjectNode taskDetails(TaskResource r) {
        ObjectNode d = Json.object();
        d.put("resourceType", r.service());
        d.put("resource", r.resourceName());
        return d;
    }

    /** TaskScheduled (with the timeouts the state sets) and TaskStarted. */
    private void taskScheduledAndStarted(StateRun s, TaskResource r, JsonNode input, double timeout,
                                         Double heartbeat) {
        ObjectNode scheduled = taskDetails(r);
        scheduled.put("region", region);
        scheduled.put("parameters", Json.write(input));
        timeouts(s, scheduled, timeout, heartbeat);
        s.event(EventType.TaskScheduled, scheduled);
        s.event(EventType.TaskStarted, taskDetails(r));
    }

    /** The timeoutInSeconds (only when the state sets one) and heartbeatInSeconds of a *Scheduled event. */
    private static void timeouts(StateRun s, ObjectNode scheduled, double timeout, Double heartbeat) {
        if (s.state.has("TimeoutSeconds") || s.state.has("TimeoutSecondsPath")) {
            scheduled.put("timeoutInSeconds", (long) timeout);
        }
        if (heartbeat != null) {
            scheduled.put("heartbeatInSeconds", heartbeat.longValue());
        }
    }

    private JsonNode integration(StateRun s, TaskResource r, JsonNode input, double timeout, Double heartbeat,
                                 boolean callback) {
        taskScheduledAndStarted(s, r, input, timeout, heartbeat);
        TaskTokens.Pending pending = callback ? tokens.register(s.taskToken, s.frame.run.exec.arn()) : null;
        long deadline = deadlineFor(timeout);
        Position at = s.frame.position;
        if (pending != null && at.get() != null) {
            at.set(at.get().withPendingToken(s.taskToken, deadline), false);
        }
        JsonNode invocationResult;
        try {
            invocationResult = withTimeout(() -> integrations.call(r, input), timeout);
        } catch (StatesException e) {
            if (pending != null) {
                tokens.close(s.taskToken);
            }
            taskFailedEvent(s, r, e);
            throw e;
        }
        if (!callback) {
            taskSucceededEvent(s, r, invocationResult);
            return invocationResult;
        }
        taskOutputEvent(s, r, EventType.TaskSubmitted, invocationResult);
        if (at.get() != null) {
            at.persist();
        }
        return awaitCallback(s, r, pending, deadline, heartbeat);
    }

    /**
     * states:startExecution: starts a nested execution; with .sync waits for it and returns its description
     * (Input/Output as JSON text, or as JSON with .sync:2); a failed child fails the task with States.TaskFailed and
     * the description as cause, as AWS does.
     */
    private JsonNode startExecution(StateRun s, TaskResource r, JsonNode input, double timeout, Double heartbeat) {
        taskScheduledAndStarted(s, r, input, timeout, heartbeat);
        Execution child;
        try {
            String machine = input.path("StateMachineArn").asText(null);
            if (machine == null) {
                throw new StatesException("States.Runtime", "The field 'StateMachineArn' is required");
            }
            JsonNode childInput = input.get("Input");
            String inputText = childInput == null ? "{}" : childInput.isTextual() ? childInput.textValue()
                    : Json.write(childInput);
            child = children.start(machine, inputText, input.path("Name").asText(null));
        } catch (StatesException e) {
            taskFailedEvent(s, r, e);
            throw e;
        }
        ObjectNode started = Json.object();
        started.put("ExecutionArn", child.arn());
        started.put("StartDate", child.startDate().toEpochMilli());
        if (r.pattern().isEmpty()) {
            taskSucceededEvent(s, r, started);
            return started;
        }
        taskOutputEvent(s, r, EventType.TaskSubmitted, started);
        try {
            boolean done = child.done().await(Math.min(clock.realNanos(timeout), Long.MAX_VALUE / 4),
                    TimeUnit.NANOSECONDS);
            if (!done) {
                children.stop(child, "States.Timeout", "The parent task timed out");
                StatesException e = new StatesException(StatesError.TIMEOUT, null);
                taskFailedEvent(s, r, e);
                throw e;
            }
        } catch (InterruptedException e) {
            children.stop(child, null, null); // AWS stops a .sync child with its parent
            throw new AbortedException();
        }
        ObjectNode described = describeChild(child, ".sync:2".equals(r.pattern()));
        if (child.status() == ExecutionStatus.SUCCEEDED) {
            taskSucceededEvent(s, r, described);
            return described;
        }
        StatesException e = new StatesException(StatesError.TASK_FAILED, Json.write(described));
        taskFailedEvent(s, r, e);
        throw e;
    }

    private static ObjectNode describeChild(Execution e, boolean parsed) {
        ObjectNode d = Json.object();
        synchronized (e) {
            if (e.error() != null) {
                d.put("Error", e.error());
            }
            if (e.cause() != null) {
                d.put("Cause", e.cause());
            }
            d.put("ExecutionArn", e.arn());
            d.set("Input", parsed ? Json.parse(e.input()) : Json.NODES.textNode(e.input()));
            d.putObject("InputDetails").put("Included", true);
            d.put("Name", e.name());
            if (e.output() != null) {
                d.set("Output", parsed ? Json.parse(e.output()) : Json.NODES.textNode(e.output()));
                d.putObject("OutputDetails").put("Included", true);
            }
            d.put("RedriveCount", e.redriveCount());
            d.put("StartDate", e.startDate().toEpochMilli());
            d.put("StateMachineArn", e.stateMachine().arn());
            d.put("Status", e.status().name());
            if (e.stopDate() != null) {
                d.put("StopDate", e.stopDate().toEpochMilli());
            }
        }
        return d;
    }

    /** The real-time deadline (epoch ms) of a task timeout that starts now. */
    private long deadlineFor(double timeoutSeconds) {
        return System.currentTimeMillis() + Math.min(clock.realNanos(timeoutSeconds) / 1_000_000,
                Long.MAX_VALUE / 4);
    }

    private JsonNode awaitCallback(StateRun s, TaskResource r, TaskTokens.Pending pending, long deadlineEpochMillis,
                                   Double heartbeat) {
        if (!pending.outcome().isDone() && deadlineEpochMillis > System.currentTimeMillis()
                && (heartbeat == null || pending.lastHeartbeatNanos() + clock.realNanos(heartbeat) > System.nanoTime())) {
            throw new Parked(new ResumePoint(s.name, pending.token(), s.enteredEventId, deadlineEpochMillis), pending,
                    heartbeat, null, s.frame);
        }
        try {
            TaskTokens.Outcome outcome;
            try {
                outcome = waitForOutcome(pending, deadlineEpochMillis, heartbeat);
            } catch (StatesException timedOut) {
                taskFailedEvent(s, r, timedOut);
                throw timedOut;
            }
            if (outcome instanceof TaskTokens.Success ok) {
                taskSucceededEvent(s, r, ok.output());
                return ok.output();
            }
            TaskTokens.Failure failure = (TaskTokens.Failure) outcome;
            StatesException e = new StatesException(failure.error(), failure.cause());
            taskFailedEvent(s, r, e);
            throw e;
        } finally {
            tokens.close(pending.token());
        }
    }

    /**
     * Blocks until a task token's outcome arrives; throws States.Timeout at the deadline or States.HeartbeatTimeout
     * when no heartbeat came in time.
     */
    private TaskTokens.Outcome waitForOutcome(TaskTokens.Pending pending, long deadlineEpochMillis, Double heartbeat) {
        long remainingMillis = Math.min(deadlineEpochMillis - System.currentTimeMillis(), 1_000_000_000_000L);
        long deadline = System.nanoTime() + remainingMillis * 1_000_000;
        while (true) {
            long now = System.nanoTime();
            long until = deadline;
            boolean heartbeatDue = false;
            if (heartbeat != null) {
                long hbDeadline = pending.lastHeartbeatNanos() + clock.realNanos(heartbeat);
                if (hbDeadline < until) {
                    until = hbDeadline;
                    heartbeatDue = true;
                }
            }
            if (until - now <= 0) {
                throw new StatesException(heartbeatDue ? StatesError.HEARTBEAT_TIMEOUT : StatesError.TIMEOUT, null);
            }
            // with a heartbeat, look again at least every 50 ms: its clock may start or move meanwhile
            long slice = heartbeat == null ? until - now : Math.min(until - now, 50_000_000L);
            try {
                return pending.outcome().get(slice, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                // loop: re-check the heartbeat, which may have moved
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                throw new AbortedException();
            }
        }
    }

    /**
     * A Task whose Resource is an activity ARN: the task waits in the activity's queue until a worker takes it
     * (GetActivityTask) and answers with SendTaskSuccess/Failure/Heartbeat, with AWS's Activity* events.
     */
    private JsonNode activity(StateRun s, String activityArn, JsonNode input, double timeout, Double heartbeat) {
        if (!activities.exists(activityArn)) {
            throw new StatesException(StatesError.RUNTIME, "The activity '" + activityArn + "' does not exist");
        }
        ObjectNode scheduled = Json.object();
        scheduled.put("resource", activityArn);
        scheduled.put("input", Json.write(input));
        scheduled.putObject("inputDetails").put("truncated", false);
        timeouts(s, scheduled, timeout, heartbeat);
        s.event(EventType.ActivityScheduled, scheduled);
        String token = TaskTokens.newToken(s.frame.run.exec.arn());
        TaskTokens.Pending pending = tokens.register(token, s.frame.run.exec.arn());
        pending.heartbeatNotYetDue();
        long deadline = deadlineFor(timeout);
        activities.schedule(activityArn, new ActivityQueues.Scheduled(token, Json.write(input), worker -> {
            pending.heartbeatNow(); // the heartbeat interval starts when a worker takes the task
            ObjectNode started = Json.object();
            if (worker != null) {
                started.put("workerName", worker);
            }
            s.event(EventType.ActivityStarted, started);
        }));
        try {
            TaskTokens.Outcome outcome = waitForOutcome(pending, deadline, heartbeat);
            if (outcome instanceof TaskTokens.Success ok) {
                ObjectNode d = Json.object();
                d.put("output", Json.write(ok.output()));
                d.putObject("outputDetails").put("truncated", false);
                s.event(EventType.ActivitySucceeded, d);
                return ok.output();
            }
            TaskTokens.Failure failure = (TaskTokens.Failure) outcome;
            StatesException e = new StatesException(failure.error(), failure.cause());
            s.event(EventType.ActivityFailed, errorDetails(e));
            throw e;
        } catch (StatesException e) {
            if (StatesError.TIMEOUT.errorName().equals(e.error())
                    || StatesError.HEARTBEAT_TIMEOUT.errorName().equals(e.error())) {
                s.event(EventType.ActivityTimedOut, errorDetails(e));
            }
            throw e;
        } finally {
            tokens.close(token);
        }
    }

    private static ObjectNode errorDetails(StatesException e) {
        ObjectNode d = Json.object();
        if (e.error() != null) {
            d.put("error", e.error());
        }
        if (e.cause() != null) {
            d.put("cause", e.cause());
        }
        return d;
    }

    private void taskSucceededEvent(StateRun s, TaskResource r, JsonNode output) {
        taskOutputEvent(s, r, EventType.TaskSucceeded, output);
    }

    /** TaskSucceeded or TaskSubmitted: the resource and the output. */
    private void taskOutputEvent(StateRun s, TaskResource r, EventType type, JsonNode output) {
        ObjectNode d = taskDetails(r);
        d.put("output", Json.write(output));
        d.putObject("outputDetails").put("truncated", false);
        s.event(type, d);
    }

    private void taskFailedEvent(StateRun s, TaskResource r, StatesException e) {
        ObjectNode d = taskDetails(r);
        d.setAll(errorDetails(e));
        boolean timedOut = StatesError.TIMEOUT.errorName().equals(e.error())
                || StatesError.HEARTBEAT_TIMEOUT.errorName().equals(e.error());
        s.event(timedOut ? EventType.TaskTimedOut : EventType.TaskFailed, d);
    }

    private interface Call {
        JsonNode call();
    }

    /** Runs a service call on a worker thread, failing with States.Timeout when it takes too long. */
    private JsonNode withTimeout(Call call, double timeoutSeconds) {
        if (timeoutSeconds >= DEFAULT_TASK_TIMEOUT_SECONDS) {
            return call.call();
        }
        Future<JsonNode> f = workers.submit(call::call);
        try {
            return f.get(clock.realNanos(timeoutSeconds), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new StatesException(StatesError.TIMEOUT, null);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StatesException se) {
                throw se;
            }
            throw new StatesException(StatesError.RUNTIME, String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            f.cancel(true);
            throw new AbortedException();
        }
    }

    private JsonNode plainLambda(StateRun s, TaskResource r, JsonNode input, double timeout) {
        ObjectNode scheduled = Json.object();
        scheduled.put("resource", r.arn());
        scheduled.put("input", Json.write(input));
        scheduled.putObject("inputDetails").put("truncated", false);
        timeouts(s, scheduled, timeout, null);
        s.event(EventType.LambdaFunctionScheduled, scheduled);
        s.event(EventType.LambdaFunctionStarted, null);
        try {
            byte[] body = Json.write(input).getBytes(StandardCharsets.UTF_8);
            JsonNode result = withTimeout(() -> integrations.invokeLambda(r.arn(), body), timeout);
            ObjectNode d = Json.object();
            d.put("output", Json.write(result));
            d.putObject("outputDetails").put("truncated", false);
            s.event(EventType.LambdaFunctionSucceeded, d);
            return result;
        } catch (StatesException e) {
            s.event(StatesError.TIMEOUT.errorName().equals(e.error()) ? EventType.LambdaFunctionTimedOut
                    : EventType.LambdaFunctionFailed, errorDetails(e));
            throw e;
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Parallel and Map

    /**
     * The children of this attempt of a Map or Parallel state: running in this process, read back after a restart,
     * or null when the attempt has not started them yet.
     */
    private ChildGroup existingGroup(StateRun s, int count, int maxConcurrency) {
        Execution exec = s.frame.run.exec;
        String key = groupKey(s);
        ChildGroup g = exec.groups().get(key);
        if (g != null) {
            return g;
        }
        GroupProgress restored = exec.takeRestoredGroup(key);
        if (restored == null) {
            return null;
        }
        boolean persistPositions = !restored.meta().hasNonNull("mapRunArn");
        g = new ChildGroup(key, count, maxConcurrency, restored.meta(), persistPositions, restored);
        exec.groups().put(key, g);
        return g;
    }

    private static String groupKey(StateRun s) {
        return s.enteredEventId + "." + s.retryCount;
    }

    private ChildGroup newGroup(StateRun s, int count, int maxConcurrency, ObjectNode meta, boolean persistPositions) {
        Execution exec = s.frame.run.exec;
        // redriven: AWS runs only the iterations and branches that failed or were aborted again
        Map<Integer, JsonNode> redriven = s.frame.position.topLevel() && persistPositions
                ? exec.takeRedrivenChildren() : Map.of();
        ChildGroup g = new ChildGroup(groupKey(s), count, maxConcurrency, meta, persistPositions,
                redriven.isEmpty() ? null : new GroupProgress(meta, redriven, Map.of()));
        exec.groups().put(g.key, g);
        if (s.frame.position.get() != null) {
            s.frame.position.persist(); // with the state's entered event id: a restart resumes the state's children
        }
        if (listener.recordsChildProgress()) {
            ObjectNode r = GroupProgress.record(g.key);
            r.set("meta", meta);
            listener.onChildProgress(exec, r);
        }
        redriven.forEach((index, result) -> childResult(exec, g, index, result));
        return g;
    }

    private void childResult(Execution exec, ChildGroup g, int index, JsonNode result) {
        if (!listener.recordsChildProgress()) {
            return;
        }
        ObjectNode r = GroupProgress.record(g.key);
        r.put("index", index);
        r.set("result", result);
        listener.onChildProgress(exec, r);
    }

    /**
     * Runs the children concurrently (at most the group's MaxConcurrency at once; the first failure aborts the others)
     * and returns their results. While they run the state parks: neither it nor a waiting child holds a thread.
     */
    private JsonNode[] runChildren(StateRun s, ChildGroup g, Child child) {
        Execution exec = s.frame.run.exec;
        if (Thread.currentThread().isInterrupted() || exec.stopRequested() != null) {
            g.abort(); // the state is being aborted: so are its children
        }
        startChildren(exec, g, child, g.start());
        if (!g.completion().isDone()) {
            throw new Parked(new ResumePoint(s.name, null, s.enteredEventId, 0), null, null, g.completion(),
                    s.frame);
        }
        if (g.failure() != null) {
            throw g.failure(); // the group stays until the execution ends: a redrive keeps its finished children
        }
        if (g.aborting() || exec.stopRequested() != null) {
            throw new AbortedException();
        }
        exec.groups().remove(g.key);
        return g.results();
    }

    private void startChildren(Execution exec, ChildGroup g, Child child, List<Integer> indexes) {
        for (int index : indexes) {
            Checkpoint at = g.restoredPosition(index);
            ResumePoint resume = at == null ? null : new ResumePoint(at.stateName(), at.pendingToken(),
                    at.enteredEventId(), at.deadlineEpochMillis());
            try {
                workers.execute(() -> runChild(exec, g, child, index, resume));
            } catch (java.util.concurrent.RejectedExecutionException shutDown) {
                return; // the emulator is closing; a persisted execution resumes on the next start
            }
        }
    }

    /** Runs (or resumes) one child on this worker thread until it ends or parks. */
    private void runChild(Execution exec, ChildGroup g, Child child, int index, ResumePoint resume) {
        Thread t = Thread.currentThread();
        if (exec.status() != ExecutionStatus.RUNNING) {
            if (resume != null && resume.pendingToken() != null) {
                tokens.close(resume.pendingToken());
            }
            return; // the execution ended meanwhile (stopped, timed out)
        }
        exec.threads().add(t);
        g.running(index, t);
        ChildGroup.Ended ended = null;
        try {
            if (g.aborting() || exec.stopRequested() != null) {
                if (resume != null && resume.pendingToken() != null) {
                    tokens.close(resume.pendingToken());
                }
                t.interrupt(); // the child's next step sees it and ends as aborted
            }
            JsonNode result = child.run(index, resume);
            g.done(index, result);
            childResult(exec, g, index, result);
            ended = g.ended(index);
        } catch (Parked p) {
            g.notRunning(index, t);
            Runnable wake = resumeLater(exec, p, () -> {
                g.unparked(index);
                runChild(exec, g, child, index, p.resume);
            }, true);
            if (!g.parked(index, wake) || exec.stopRequested() != null) {
                wake.run(); // aborted while it was on its way to park
            }
        } catch (AbortedException e) {
            ended = g.ended(index);
        } catch (RuntimeException e) {
            g.fail(e instanceof StatesException x ? x : new StatesException(StatesError.RUNTIME, String.valueOf(e)),
                    index);
            ended = g.ended(index);
        } finally {
            g.notRunning(index, t);
            exec.threads().remove(t);
            Thread.interrupted();
        }
        if (ended != null) {
            startChildren(exec, g, child, ended.startNow());
            if (ended.complete()) {
                g.complete();
            }
        }
    }

    @FunctionalInterface
    private interface Child {
        /** Runs child {@code index} from its start ({@code resume} null) or resumes it where it parked. */
        JsonNode run(int index, ResumePoint resume);
    }

    /**
     * The frame a child resumes in: the one it parked with, or (after a restart) a new one with the variables and
     * state input of its recorded position.
     */
    private Frame resumedFrame(StateRun s, ChildGroup g, int index, long startedEventId) {
        Frame f = (Frame) g.frame(index);
        if (f != null) {
            return f;
        }
        Checkpoint at = g.position(index);
        Variables variables = s.frame.variables.child();
        variables.restore(at.variables());
        f = new Frame(s.frame.run, new Trail(at.enteredEventId() > 0 ? at.enteredEventId() : startedEventId),
                variables, child(s.frame.run.exec, g, index));
        g.frame(index, f);
        return f;
    }

    /** Starts child {@code index} in a new frame, or resumes it in the frame it had; returns its output. */
    private JsonNode runChildStates(StateRun s, ChildGroup g, int index, ResumePoint resume, long startedEventId,
                                    JsonNode container, JsonNode input, Runnable onStart) {
        if (resume != null) {
            Frame f = resumedFrame(s, g, index, startedEventId);
            return runStates(f, container, resume.stateName(), g.position(index).input(), resume);
        }
        Frame f = new Frame(s.frame.run, new Trail(startedEventId), s.frame.variables.child(),
                child(s.frame.run.exec, g, index));
        g.frame(index, f);
        if (onStart != null) {
            onStart.run();
        }
        return runStates(f, container, container.path("StartAt").asText(), input, null);
    }

    private JsonNode parallel(StateRun s) {
        JsonNode branchInput = taskInput(s);
        JsonNode branches = s.state.path("Branches");
        int count = branches.size();
        ChildGroup g = existingGroup(s, count, count);
        if (g == null) {
            HistoryEvent started = s.event(EventType.ParallelStateStarted, null);
            g = newGroup(s, count, count, Json.object().put("startedEventId", started.id()), true);
        }
        ChildGroup group = g;
        long startedId = g.meta.path("startedEventId").asLong();
        JsonNode[] results;
        try {
            results = runChildren(s, g, (i, resume) -> runChildStates(s, group, i, resume, startedId,
                    branches.get(i), branchInput, null));
        } catch (StatesException e) {
            s.failedEventDue = true;
            throw e;
        } catch (AbortedException e) {
            s.event(EventType.ParallelStateAborted, null);
            throw e;
        }
        // AWS emits no ParallelStateSucceeded event (the enum value exists in the API but is never sent)
        ArrayNode out = Json.NODES.arrayNode();
        for (JsonNode r : results) {
            out.add(r);
        }
        return finish(s, out);
    }

    private JsonNode map(StateRun s) {
        JsonNode st = s.state;
        JsonNode effective = s.jsonata ? s.rawInput : inputPath(s);
        JsonNode items = mapItems(s, effective);
        int maxConcurrency = maxConcurrency(s, effective);
        JsonNode processor = st.has("ItemProcessor") ? st.get("ItemProcessor") : st.get("Iterator");
        boolean distributed = "DISTRIBUTED".equals(processor.path("ProcessorConfig").path("Mode").asText());
        JsonNode selector = st.has("ItemSelector") ? st.get("ItemSelector") : st.get("Parameters");
        ChildGroup g = existingGroup(s, items.size(), maxConcurrency);
        Tolerance tolerance;
        if (g == null) {
            ObjectNode startedDetails = Json.object();
            startedDetails.put("length", items.size());
            HistoryEvent started = s.event(EventType.MapStateStarted, startedDetails);
            // AWS checks the tolerated failure fields after MapStateStarted, and reports no MapStateFailed for them
            tolerance = tolerance(s, effective, items.size());
            ObjectNode meta = Json.object().put("startedEventId", started.id());
            if (distributed) {
                String mapRunArn = s.frame.run.exec.stateMachine().arn().replace(":stateMachine:", ":mapRun:") + "/"
                        + st.path("Label").asText(s.name) + ":" + java.util.UUID.randomUUID();
                ObjectNode run = Json.object();
                run.put("mapRunArn", mapRunArn);
                s.event(EventType.MapRunStarted, run);
                meta.put("mapRunArn", mapRunArn);
            }
            g = newGroup(s, items.size(), maxConcurrency, meta, !distributed);
        } else {
            tolerance = tolerance(s, effective, items.size());
        }
        ChildGroup group = g;
        long startedId = g.meta.path("startedEventId").asLong();
        String runArn = g.meta.path("mapRunArn").asText(null);
        JsonNode[] results;
        try {
            results = runChildren(s, g, (i, resume) -> {
                if (distributed) {
                    return childExecution(s, group, runArn, processor, i, iterationInput(s, selector, effective,
                            items.get(i), i), resume, tolerance);
                }
                ObjectNode iterationDetails = Json.object();
                iterationDetails.put("name", s.name);
                iterationDetails.put("index", i);
                JsonNode input = resume == null ? iterationInput(s, selector, effective, items.get(i), i) : null;
                Runnable started = () -> s.frame.run.event(((Frame) group.frame(i)).trail,
                        EventType.MapIterationStarted, iterationDetails);
                try {
                    JsonNode out = runChildStates(s, group, i, resume, startedId, processor, input, started);
                    s.frame.run.event(((Frame) group.frame(i)).trail, EventType.MapIterationSucceeded,
                            iterationDetails.deepCopy());
                    return out;
                } catch (StatesException e) {
                    s.frame.run.event(((Frame) group.frame(i)).trail, EventType.MapIterationFailed,
                            iterationDetails.deepCopy());
                    throw e;
                } catch (AbortedException e) {
                    s.frame.run.event(((Frame) group.frame(i)).trail, EventType.MapIterationAborted,
                            iterationDetails.deepCopy());
                    throw e;
                }
            });
        } catch (StatesException e) {
            if (distributed) {
                s.event(EventType.MapRunFailed, errorDetails(e));
            }
            s.failedEventDue = true;
            throw e;
        } catch (AbortedException e) {
            if (distributed) {
                s.event(EventType.MapRunAborted, null);
            }
            s.event(EventType.MapStateAborted, null);
            throw e;
        }
        if (distributed) {
            s.event(EventType.MapRunSucceeded, null);
        }
        s.event(EventType.MapStateSucceeded, null);
        ArrayNode out = Json.NODES.arrayNode();
        for (JsonNode r : results) {
            out.add(r);
        }
        return finish(s, out);
    }

    /** A Map iteration's input: the item, or what ItemSelector (Parameters) makes of it. */
    private JsonNode iterationInput(StateRun s, JsonNode selector, JsonNode effective, JsonNode item, int index) {
        if (selector == null) {
            return item;
        }
        StateRun itemRun = new StateRun(s.frame, s.name, s.state, s.rawInput);
        itemRun.enteredEventId = s.enteredEventId;
        itemRun.mapItem = Json.object();
        itemRun.mapItem.put("Index", index);
        itemRun.mapItem.set("Value", item);
        return s.jsonata ? JsonataSupport.evaluateTemplate(selector, itemRun.bindings(null, null), "ItemSelector")
                : PayloadTemplate.apply(selector, itemRun.eval(effective));
    }

    /** The array a Map iterates over, with AWS's errors when it is not one. */
    private JsonNode mapItems(StateRun s, JsonNode effective) {
        JsonNode st = s.state;
        if (s.jsonata && st.has("Items")) {
            JsonNode itemsField = st.get("Items");
            JsonNode items;
            try {
                items = JsonataSupport.evaluateTemplate(itemsField, s.bindings(null, null), "Items");
            } catch (StatesException e) {
                s.failedEventDue = true; // AWS: EvaluationFailed, then MapStateFailed
                throw e;
            }
            if (!items.isArray()) {
                String expression = JsonataSupport.isExpression(itemsField) ? JsonataSupport.expressionOf(
                        itemsField.textValue()) : Json.write(itemsField);
                s.failedEventDue = true;
                throw new JsonataSupport.EvaluationException("The JSONata expression '" + expression
                        + "' specified for the field 'Items' returned an unexpected result type. Expected 'array', "
                        + "but was '" + jsonType(items) + "' for value: " + Json.write(items), "Items");
            }
            return items;
        }
        JsonNode items = !s.jsonata && st.has("ItemsPath") ? Paths.read(st.get("ItemsPath").asText(),
                s.eval(effective)) : effective;
        if (!items.isArray()) {
            if (s.jsonata) {
                s.failedEventDue = true;
                throw new JsonataSupport.EvaluationException("Map state input must be an array but was: "
                        + Json.write(items), "Items");
            }
            throw s.runtime("Map state input must be an array but was: " + Json.write(items));
        }
        return items;
    }

    private static String jsonType(JsonNode v) {
        return v.isNull() ? "null" : v.isTextual() ? "string" : v.isBoolean() ? "boolean" : v.isNumber() ? "number"
                : v.isArray() ? "array" : "object";
    }

    private int maxConcurrency(StateRun s, JsonNode effective) {
        JsonNode mc = mapNumber(s, effective, "MaxConcurrency", v -> v.isIntegralNumber() && v.canConvertToInt(),
                "integer");
        int value = mc == null ? 0 : mc.asInt();
        return value > 0 ? Math.min(value, INLINE_MAP_MAX_CONCURRENCY) : INLINE_MAP_MAX_CONCURRENCY;
    }

    /**
     * A number field of a Map (MaxConcurrency, ToleratedFailure*): the literal, its JSONata expression, or the value
     * its Path form selects (null when none is given), with AWS's error when the Path value is not a valid one.
     */
    private static JsonNode mapNumber(StateRun s, JsonNode effective, String field,
                                      java.util.function.Predicate<JsonNode> valid, String kind) {
        JsonNode v = s.state.get(field);
        if (v != null && s.jsonata && JsonataSupport.isExpression(v)) {
            v = JsonataSupport.evaluate(v.textValue(), s.bindings(null, null), field);
        }
        if (v == null && s.state.has(field + "Path")) {
            String path = s.state.get(field + "Path").asText();
            v = numericText(Paths.read(path, s.eval(effective)));
            if (!valid.test(v)) {
                throw s.runtime("The " + field + "Path field refers to value " + quoted(v) + " which is not a valid "
                        + kind + ": " + path);
            }
        }
        return v;
    }

    /** AWS reads a number given as text ("1") in the *Path fields of a Map as that number. */
    private static JsonNode numericText(JsonNode v) {
        if (v.isTextual()) {
            try {
                JsonNode parsed = Json.parse(v.textValue().trim());
                return parsed.isNumber() ? parsed : v;
            } catch (RuntimeException notANumber) {
                return v;
            }
        }
        return v;
    }

    /** AWS quotes the offending value as JSON text inside double quotes ("{}", "NoNumber"). */
    private static String quoted(JsonNode v) {
        return "\"" + (v.isTextual() ? v.textValue() : Json.write(v)) + "\"";
    }

    /** How many failed iterations a Map tolerates (ToleratedFailureCount/Percentage and their Path forms). */
    private record Tolerance(long count, double percentage, int items) {
        boolean exceeded(int failed) {
            return failed > count || failed * 100.0 / Math.max(1, items) > percentage;
        }
    }

    private Tolerance tolerance(StateRun s, JsonNode effective, int items) {
        long count = 0;
        double percentage = 0;
        JsonNode c = mapNumber(s, effective, "ToleratedFailureCount", JsonNode::isIntegralNumber, "integer");
        if (c != null) {
            if (c.asLong() < 0) {
                throw s.runtime("ToleratedFailureCount cannot be negative.");
            }
            count = c.asLong();
        }
        JsonNode p = mapNumber(s, effective, "ToleratedFailurePercentage", JsonNode::isNumber, "float");
        if (p != null) {
            if (p.asDouble() < 0 || p.asDouble() > 100) {
                throw s.runtime("ToleratedFailurePercentage must be between 0 and 100.");
            }
            percentage = p.asDouble();
        }
        if (c == null && p == null) {
            return new Tolerance(0, 0, items);
        }
        // with only one of the two given, the other does not limit
        return new Tolerance(c == null ? Long.MAX_VALUE : count, p == null ? 100 : percentage, items);
    }

    /**
     * One iteration of a Distributed Map: on AWS a child execution with its own history, so none of its events go
     * into the parent's history. A failure within the tolerance gives the iteration's error output.
     */
    private JsonNode childExecution(StateRun s, ChildGroup g, String mapRunArn, JsonNode processor, int index,
                                    JsonNode input, ResumePoint resume, Tolerance tolerance) {
        Frame frame = resume == null ? null : (Frame) g.frame(index);
        if (frame == null) {
            Execution parent = s.frame.run.exec;
            String childName = mapRunArn.substring(mapRunArn.lastIndexOf(':') + 1) + "-" + index;
            StateMachine childMachine = new StateMachine(mapRunArn, parent.stateMachine().name() + "/" + s.name,
                    Json.write(processor), parent.stateMachine().roleArn(), parent.stateMachine().type(),
                    parent.startDate(), parent.startDate(), mapRunArn);
            Execution child = new Execution(mapRunArn.replace(":mapRun:", ":execution:") + ":" + index, childName,
                    childMachine, Json.write(input), clock.now());
            Run run = new Run(child, false);
            frame = new Frame(run, new Trail(0), s.frame.variables.child(), child(parent, g, index));
            g.frame(index, frame);
            resume = null; // after a restart a Distributed Map's unfinished child executions start again
        }
        try {
            return resume == null ? runStates(frame, frame.run.definition, frame.run.definition.path("StartAt")
                    .asText(), input, null) : runStates(frame, frame.run.definition, resume.stateName(),
                    g.position(index).input(), resume);
        } catch (StatesException e) {
            if (tolerance.exceeded(g.failures.incrementAndGet())) {
                throw new StatesException("States.ExceedToleratedFailureThreshold",
                        "The specified tolerated failure threshold was exceeded");
            }
            ObjectNode errorOutput = Json.object();
            errorOutput.put("Error", e.error());
            if (e.cause() != null) {
                errorOutput.put("Cause", e.cause());
            }
            return errorOutput;
        }
    }
}
