package com.rackflow.local.stepfunctions.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.local.stepfunctions.asl.DefinitionValidator;
import com.rackflow.local.stepfunctions.asl.Json;
import com.rackflow.local.stepfunctions.asl.StatesException;
import com.rackflow.local.stepfunctions.engine.ActivityQueues;
import com.rackflow.local.stepfunctions.engine.Checkpoint;
import com.rackflow.local.stepfunctions.engine.ChildExecutions;
import com.rackflow.local.stepfunctions.engine.Execution;
import com.rackflow.local.stepfunctions.engine.ExecutionListener;
import com.rackflow.local.stepfunctions.engine.ExecutionStatus;
import com.rackflow.local.stepfunctions.engine.HistoryEvent;
import com.rackflow.local.stepfunctions.engine.Interpreter;
import com.rackflow.local.stepfunctions.engine.ResumePoint;
import com.rackflow.local.stepfunctions.engine.StateMachine;
import com.rackflow.local.stepfunctions.engine.StateMachineType;
import com.rackflow.local.stepfunctions.engine.TaskTokens;
import com.rackflow.local.stepfunctions.persistence.ExecutionStore;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** The Step Functions API operations over the interpreter, with AWS's request and response shapes. */
public final class StepFunctionsService {

    private static final Pattern INVALID_NAME_CHARS = Pattern.compile(
            "[\\s<>{}\\[\\]?*\"#%\\\\^|~`$&,;:/\\u0000-\\u001f\\u007f-\\u009f]");
    private static final int MAX_PAGE = 1000;

    private final Interpreter interpreter;
    private final TaskTokens tokens;
    private final ExecutorService executionThreads;
    private final ScheduledExecutorService timers;
    private final ExecutionStore store;
    private final String region;
    private final String accountId;
    private final Map<String, StateMachine> machines = new ConcurrentHashMap<>();
    private final Map<String, Execution> executions = new ConcurrentHashMap<>();

    public StepFunctionsService(Interpreter interpreter, TaskTokens tokens, ExecutorService executionThreads,
                                ScheduledExecutorService timers, ExecutionStore store, String region,
                                String accountId) {
        this.interpreter = interpreter;
        this.tokens = tokens;
        this.executionThreads = executionThreads;
        this.timers = timers;
        this.store = store;
        this.region = region;
        this.accountId = accountId;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Restore

    /** Loads persisted machines and executions and resumes the running ones. */
    public void restore() {
        if (store == null) {
            return;
        }
        store.loadStateMachines().forEach(m -> machines.put(m.arn(), m));
        for (ExecutionStore.Restored r : store.loadExecutions()) {
            Execution e = r.execution();
            e.restoreHistory(r.history());
            executions.put(e.arn(), e);
            if (e.status() != ExecutionStatus.RUNNING) {
                continue;
            }
            Checkpoint c = e.checkpoint();
            ResumePoint resume;
            if (c == null) {
                e.truncateHistory(1);
                resume = null;
            } else if (c.resumable() || e.hasRestoredGroupsOf(c.enteredEventId())) {
                // a wait, or a Map/Parallel whose finished children keep their results (the others resume)
                resume = new ResumePoint(c.stateName(), c.pendingToken(), c.enteredEventId(),
                        c.deadlineEpochMillis());
            } else {
                e.truncateHistory(c.eventsBefore());
                resume = new ResumePoint(c.stateName(), null, 0, 0);
            }
            store.rewriteHistory(e);
            launch(e, resume);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // State machines

    private String stateMachineArn(String name) {
        return "arn:aws:states:" + region + ":" + accountId + ":stateMachine:" + name;
    }

    private static void checkName(String name, String what) {
        if (name == null || name.isEmpty() || name.length() > 80 || INVALID_NAME_CHARS.matcher(name).find()) {
            throw new ApiException("InvalidName", "Invalid Name: '" + name + "'" + (what == null ? "" : " (" + what
                    + ")"));
        }
    }

    private static void checkDefinition(String definition, StateMachineType type) {
        List<DefinitionValidator.Diagnostic> diagnostics = DefinitionValidator.validate(definition,
                type == StateMachineType.EXPRESS);
        List<String> errors = diagnostics.stream().filter(d -> d.severity() == DefinitionValidator.Severity.ERROR)
                .map(DefinitionValidator.Diagnostic::describe).toList();
        if (!errors.isEmpty()) {
            throw new ApiException("InvalidDefinition", "Invalid State Machine Definition: '"
                    + String.join(", ", errors) + "'");
        }
    }

    private static String required(JsonNode req, String field) {
        JsonNode v = req.get(field);
        if (v == null || v.isNull() || !v.isTextual()) {
            throw new ApiException("ValidationException", "1 validation error detected: Value null at '" + field
                    + "' failed to satisfy constraint: Member must not be null");
        }
        return v.textValue();
    }

    private static String optional(JsonNode req, String field) {
        JsonNode v = req.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** The programmatic form, for hosts registering machines from template.yaml: creates or replaces. */
    public StateMachine createOrUpdateStateMachine(String name, String definition, String roleArn,
                                                   StateMachineType type) {
        checkName(name, "state machine name");
        checkDefinition(definition, type);
        String arn = stateMachineArn(name);
        Instant now = Instant.now();
        StateMachine m = machines.compute(arn, (k, old) -> new StateMachine(arn, name, definition, roleArn,
                type == null ? StateMachineType.STANDARD : type, old == null ? now : old.creationDate(), now,
                UUID.randomUUID().toString()));
        if (store != null) {
            store.saveStateMachine(m);
        }
        return m;
    }

    public ObjectNode createStateMachine(JsonNode req) {
        String name = required(req, "name");
        String definition = required(req, "definition");
        String roleArn = required(req, "roleArn");
        StateMachineType type = type(optional(req, "type"));
        checkName(name, "state machine name");
        checkDefinition(definition, type);
        String arn = stateMachineArn(name);
        Instant now = Instant.now();
        StateMachine created = new StateMachine(arn, name, definition, roleArn, type, now, now,
                UUID.randomUUID().toString());
        StateMachine existing = machines.putIfAbsent(arn, created);
        StateMachine result = created;
        if (existing != null) {
            boolean same = existing.definition().equals(definition) && existing.roleArn().equals(roleArn)
                    && existing.type() == type;
            if (!same) {
                throw new ApiException("StateMachineAlreadyExists", "State Machine Already Exists: '" + arn + "'");
            }
            result = existing;
        } else if (store != null) {
            store.saveStateMachine(created);
        }
        ObjectNode out = Json.object();
        out.put("stateMachineArn", result.arn());
        out.set("creationDate", date(result.creationDate()));
        return out;
    }

    private static StateMachineType type(String text) {
        if (text == null) {
            return StateMachineType.STANDARD;
        }
        try {
            return StateMachineType.valueOf(text);
        } catch (IllegalArgumentException e) {
            throw new ApiException("ValidationException", "1 validation error detected: Value '" + text
                    + "' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, "
                    + "EXPRESS]");
        }
    }

    private StateMachine machine(String arn) {
        if (arn == null || !arn.startsWith("arn:aws:states:")) {
            throw new ApiException("InvalidArn", "Invalid Arn: '" + arn + "'");
        }
        StateMachine m = machines.get(arn);
        if (m == null) {
            throw new ApiException("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn + "'");
        }
        return m;
    }

    public ObjectNode describeStateMachine(JsonNode req) {
        StateMachine m = machine(required(req, "stateMachineArn"));
        ObjectNode out = Json.object();
        out.put("stateMachineArn", m.arn());
        out.put("name", m.name());
        out.put("status", "ACTIVE");
        out.put("definition", m.definition());
        out.put("roleArn", m.roleArn());
        out.put("type", m.type().name());
        out.set("creationDate", date(m.creationDate()));
        out.putObject("loggingConfiguration").put("level", "OFF").put("includeExecutionData", false);
        out.putObject("tracingConfiguration").put("enabled", false);
        out.put("revisionId", m.revisionId());
        return out;
    }

    public ObjectNode listStateMachines(JsonNode req) {
        List<StateMachine> all = machines.values().stream().sorted(Comparator.comparing(StateMachine::name))
                .toList();
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("stateMachines");
        page(req, all.size(), out, i -> {
            StateMachine m = all.get(i);
            ObjectNode n = list.addObject();
            n.put("stateMachineArn", m.arn());
            n.put("name", m.name());
            n.put("type", m.type().name());
            n.set("creationDate", date(m.creationDate()));
        });
        return out;
    }

    public ObjectNode updateStateMachine(JsonNode req) {
        StateMachine m = machine(required(req, "stateMachineArn"));
        String definition = optional(req, "definition");
        String roleArn = optional(req, "roleArn");
        if (definition == null && roleArn == null && !req.has("loggingConfiguration")
                && !req.has("tracingConfiguration")) {
            throw new ApiException("MissingRequiredParameter", "Either the definition, the role ARN, the "
                    + "LoggingConfiguration, or the TracingConfiguration must be specified");
        }
        if (definition != null) {
            checkDefinition(definition, m.type());
        }
        Instant now = Instant.now();
        StateMachine updated = new StateMachine(m.arn(), m.name(), definition == null ? m.definition() : definition,
                roleArn == null ? m.roleArn() : roleArn, m.type(), m.creationDate(), now,
                UUID.randomUUID().toString());
        machines.put(m.arn(), updated);
        if (store != null) {
            store.saveStateMachine(updated);
        }
        ObjectNode out = Json.object();
        out.set("updateDate", date(now));
        out.put("revisionId", updated.revisionId());
        return out;
    }

    public ObjectNode deleteStateMachine(JsonNode req) {
        String arn = required(req, "stateMachineArn");
        if (!arn.startsWith("arn:aws:states:")) {
            throw new ApiException("InvalidArn", "Invalid Arn: '" + arn + "'");
        }
        StateMachine m = machines.remove(arn);
        if (m != null && store != null) {
            store.deleteStateMachine(m);
        }
        return Json.object();
    }

    public ObjectNode validateStateMachineDefinition(JsonNode req) {
        String definition = required(req, "definition");
        List<DefinitionValidator.Diagnostic> diagnostics = DefinitionValidator.validate(definition,
                "EXPRESS".equals(optional(req, "type")));
        int max = req.path("maxResults").asInt(100);
        if (max <= 0) {
            max = 100;
        }
        ObjectNode out = Json.object();
        boolean failed = diagnostics.stream().anyMatch(d -> d.severity() == DefinitionValidator.Severity.ERROR);
        out.put("result", failed ? "FAIL" : "OK");
        ArrayNode list = out.putArray("diagnostics");
        for (DefinitionValidator.Diagnostic d : diagnostics.subList(0, Math.min(max, diagnostics.size()))) {
            ObjectNode n = list.addObject();
            n.put("severity", d.severity().name());
            n.put("code", d.code().name());
            n.put("message", d.message());
            if (d.location() != null) {
                n.put("location", d.location());
            }
        }
        out.put("truncated", diagnostics.size() > max);
        return out;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Executions

    private static String checkInput(JsonNode req) {
        String input = optional(req, "input");
        if (input == null) {
            return "{}";
        }
        if (input.length() > Interpreter.MAX_PAYLOAD_BYTES || Json.utf8Length(input) > Interpreter.MAX_PAYLOAD_BYTES) {
            throw new ApiException("ValidationException", "1 validation error detected: Value at 'input' failed to "
                    + "satisfy constraint: Member must have length less than or equal to 262144");
        }
        try {
            Json.parse(input);
        } catch (IllegalArgumentException e) {
            throw new ApiException("InvalidExecutionInput", "Invalid State Machine Execution Input: '"
                    + e.getMessage() + "'");
        }
        return input;
    }

    public ObjectNode startExecution(JsonNode req) {
        StateMachine m = machine(required(req, "stateMachineArn"));
        String input = checkInput(req);
        String name = optional(req, "name");
        if (name == null) {
            name = UUID.randomUUID().toString();
        }
        checkName(name, "execution name");
        Execution e;
        if (m.type() == StateMachineType.EXPRESS) {
            String arn = "arn:aws:states:" + region + ":" + accountId + ":express:" + m.name() + ":" + name + ":"
                    + UUID.randomUUID();
            e = new Execution(arn, name, m, input, Instant.now());
            executions.put(arn, e);
        } else {
            String arn = "arn:aws:states:" + region + ":" + accountId + ":execution:" + m.name() + ":" + name;
            Execution created = new Execution(arn, name, m, input, Instant.now());
            Execution existing = executions.putIfAbsent(arn, created);
            if (existing != null) {
                if (existing.status() == ExecutionStatus.RUNNING && existing.input().equals(input)) {
                    ObjectNode out = Json.object();
                    out.put("executionArn", existing.arn());
                    out.set("startDate", date(existing.startDate()));
                    return out;
                }
                throw new ApiException("ExecutionAlreadyExists", "Execution Already Exists: '" + arn + "'");
            }
            e = created;
        }
        interpreter.started(e);
        launch(e, null);
        ObjectNode out = Json.object();
        out.put("executionArn", e.arn());
        out.set("startDate", date(e.startDate()));
        return out;
    }

    private void launch(Execution e, ResumePoint resume) {
        scheduleExecutionTimeout(e);
        executionThreads.execute(() -> interpreter.run(e, resume));
    }

    private void scheduleExecutionTimeout(Execution e) {
        JsonNode timeout;
        try {
            timeout = Json.parse(e.stateMachine().definition()).get("TimeoutSeconds");
        } catch (IllegalArgumentException ex) {
            return;
        }
        if (timeout != null && timeout.isNumber() && timeout.asDouble() > 0) {
            long nanos = interpreter.clock().realNanos(timeout.asDouble());
            long elapsed = Math.max(0, java.time.Duration.between(e.startDate(), Instant.now()).toNanos());
            timers.schedule(() -> {
                if (e.status() == ExecutionStatus.RUNNING) {
                    e.requestStop(ExecutionStatus.TIMED_OUT, "States.Timeout", "The execution timed out");
                    if (e.threads().isEmpty()) {
                        interpreter.abortNow(e); // parked: no thread to interrupt
                    }
                }
            }, Math.max(0, nanos - (interpreter.clock().timeScale() >= 1 ? elapsed : 0)), TimeUnit.NANOSECONDS);
        }
    }

    public ObjectNode startSyncExecution(JsonNode req) {
        StateMachine m = machine(required(req, "stateMachineArn"));
        if (m.type() != StateMachineType.EXPRESS) {
            throw new ApiException("StateMachineTypeNotSupported", "This operation is not supported by this type of "
                    + "state machine");
        }
        String input = checkInput(req);
        String name = optional(req, "name");
        if (name == null) {
            name = UUID.randomUUID().toString();
        }
        checkName(name, "execution name");
        String arn = "arn:aws:states:" + region + ":" + accountId + ":express:" + m.name() + ":" + name + ":"
                + UUID.randomUUID();
        Execution e = new Execution(arn, name, m, input, Instant.now());
        interpreter.started(e);
        scheduleExecutionTimeout(e);
        interpreter.run(e, null);
        try {
            e.done().await(); // a wait inside releases the thread; the execution goes on elsewhere
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new ApiException("InternalFailure", "interrupted");
        }
        ObjectNode out = Json.object();
        out.put("executionArn", e.arn());
        out.put("stateMachineArn", m.arn());
        out.put("name", e.name());
        out.set("startDate", date(e.startDate()));
        out.set("stopDate", date(e.stopDate()));
        out.put("status", e.status() == ExecutionStatus.ABORTED ? "FAILED" : e.status().name());
        if (e.error() != null) {
            out.put("error", e.error());
        }
        if (e.cause() != null) {
            out.put("cause", e.cause());
        }
        out.put("input", e.input());
        out.putObject("inputDetails").put("included", true);
        if (e.output() != null) {
            out.put("output", e.output());
            out.putObject("outputDetails").put("included", true);
        }
        ObjectNode billing = out.putObject("billingDetails");
        billing.put("billedMemoryUsedInMB", 64);
        billing.put("billedDurationInMilliseconds", Math.max(100,
                java.time.Duration.between(e.startDate(), e.stopDate()).toMillis()));
        return out;
    }

    private Execution execution(String arn) {
        if (arn == null || !arn.startsWith("arn:aws:states:")) {
            throw new ApiException("InvalidArn", "Invalid Arn: '" + arn + "'");
        }
        Execution e = executions.get(arn);
        if (e == null) {
            throw new ApiException("ExecutionDoesNotExist", "Execution Does Not Exist: '" + arn + "'");
        }
        return e;
    }

    public ObjectNode describeExecution(JsonNode req) {
        Execution e = execution(required(req, "executionArn"));
        ObjectNode out = Json.object();
        synchronized (e) {
            out.put("executionArn", e.arn());
            out.put("stateMachineArn", e.stateMachine().arn());
            out.put("name", e.name());
            out.put("status", e.status().name());
            out.set("startDate", date(e.startDate()));
            if (e.stopDate() != null) {
                out.set("stopDate", date(e.stopDate()));
            }
            out.put("input", e.input());
            out.putObject("inputDetails").put("included", true);
            if (e.output() != null) {
                out.put("output", e.output());
                out.putObject("outputDetails").put("included", true);
            }
            if (e.error() != null) {
                out.put("error", e.error());
            }
            if (e.cause() != null) {
                out.put("cause", e.cause());
            }
            out.put("redriveCount", e.redriveCount());
            if (e.redriveDate() != null) {
                out.set("redriveDate", date(e.redriveDate()));
            }
            String notRedrivable = notRedrivable(e);
            out.put("redriveStatus", notRedrivable == null ? "REDRIVABLE" : "NOT_REDRIVABLE");
            if (notRedrivable != null) {
                out.put("redriveStatusReason", notRedrivable);
            }
        }
        return out;
    }

    /** Why an execution cannot be redriven, or null when it can. */
    private static String notRedrivable(Execution e) {
        if (e.stateMachine().type() == StateMachineType.EXPRESS) {
            return "Express executions cannot be redriven";
        }
        ExecutionStatus s = e.status();
        if (s == ExecutionStatus.RUNNING || s == ExecutionStatus.SUCCEEDED) {
            return "Execution is " + s + " and cannot be redriven";
        }
        return e.redrivePoint() == null ? "Execution stopped before it entered a state and cannot be redriven" : null;
    }

    /** RedriveExecution: runs a FAILED, TIMED_OUT or ABORTED execution again from the state it stopped in. */
    public ObjectNode redriveExecution(JsonNode req) {
        Execution e = execution(required(req, "executionArn"));
        String reason = notRedrivable(e);
        Instant now = Instant.now();
        if (reason != null || !e.redrive(now)) {
            throw new ApiException("ExecutionNotRedrivable", reason == null ? "Execution cannot be redriven" : reason);
        }
        interpreter.redriven(e);
        Checkpoint c = e.checkpoint();
        // a restart while the redriven state runs cuts the history back to here, not to nothing
        e.checkpoint(Checkpoint.enteringState(c.stateName(), c.input(), c.variables(), e.historySize()));
        if (store != null) {
            store.onCheckpoint(e);
        }
        launch(e, new ResumePoint(c.stateName(), null, 0, 0));
        ObjectNode out = Json.object();
        out.set("redriveDate", date(now));
        return out;
    }

    /** The state machine revision an execution runs (it keeps running the one it started with). */
    public ObjectNode describeStateMachineForExecution(JsonNode req) {
        Execution e = execution(required(req, "executionArn"));
        StateMachine m = e.stateMachine();
        ObjectNode out = Json.object();
        out.put("stateMachineArn", m.arn());
        out.put("name", m.name());
        out.put("definition", m.definition());
        out.put("roleArn", m.roleArn());
        out.set("updateDate", date(m.updateDate()));
        out.putObject("loggingConfiguration").put("level", "OFF").put("includeExecutionData", false);
        out.putObject("tracingConfiguration").put("enabled", false);
        out.put("revisionId", m.revisionId());
        return out;
    }

    public ObjectNode listExecutions(JsonNode req) {
        String machineArn = required(req, "stateMachineArn");
        if (machine(machineArn).type() == StateMachineType.EXPRESS) {
            throw new ApiException("StateMachineTypeNotSupported", "This operation is not supported by this type of "
                    + "state machine");
        }
        String filter = optional(req, "statusFilter");
        if (filter != null) {
            try {
                ExecutionStatus.valueOf(filter);
            } catch (IllegalArgumentException ex) {
                throw new ApiException("ValidationException", "1 validation error detected: Value '" + filter
                        + "' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: "
                        + "[SUCCEEDED, TIMED_OUT, ABORTED, FAILED, RUNNING, PENDING_REDRIVE]");
            }
        }
        List<Execution> all = executions.values().stream()
                .filter(e -> e.stateMachine().arn().equals(machineArn))
                .filter(e -> filter == null || e.status().name().equals(filter))
                .sorted(Comparator.comparing(Execution::startDate).reversed().thenComparing(Execution::arn))
                .toList();
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("executions");
        page(req, all.size(), out, i -> {
            Execution e = all.get(i);
            ObjectNode n = list.addObject();
            n.put("executionArn", e.arn());
            n.put("stateMachineArn", e.stateMachine().arn());
            n.put("name", e.name());
            n.put("status", e.status().name());
            n.set("startDate", date(e.startDate()));
            if (e.stopDate() != null) {
                n.set("stopDate", date(e.stopDate()));
            }
        });
        return out;
    }

    public ObjectNode getExecutionHistory(JsonNode req) {
        Execution e = execution(required(req, "executionArn"));
        List<HistoryEvent> events = new ArrayList<>(e.history());
        if (req.path("reverseOrder").asBoolean(false)) {
            java.util.Collections.reverse(events);
        }
        boolean includeData = req.path("includeExecutionData").asBoolean(true);
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("events");
        page(req, events.size(), out, i -> list.add(eventJson(events.get(i), includeData)));
        return out;
    }

    private static ObjectNode eventJson(HistoryEvent ev, boolean includeData) {
        ObjectNode n = ev.toJson();
        n.set("timestamp", date(ev.timestamp()));
        if (!includeData && ev.type().detailsKey() != null && n.get(ev.type().detailsKey()) instanceof ObjectNode d) {
            d.remove(List.of("input", "output", "parameters"));
        }
        return n;
    }

    public ObjectNode stopExecution(JsonNode req) {
        Execution e = execution(required(req, "executionArn"));
        String error = optional(req, "error");
        String cause = optional(req, "cause");
        if (e.status() == ExecutionStatus.RUNNING) {
            e.requestStop(ExecutionStatus.ABORTED, error, cause);
            if (e.threads().isEmpty()) {
                interpreter.abortNow(e);
            }
            try {
                e.done().await(10, TimeUnit.SECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        ObjectNode out = Json.object();
        out.set("stopDate", date(e.stopDate() == null ? Instant.now() : e.stopDate()));
        return out;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Callbacks

    private static String token(JsonNode req) {
        JsonNode t = req.get("taskToken");
        if (t == null || t.isNull()) {
            throw new ApiException("ValidationException", "1 validation error detected: Value null at 'taskToken' "
                    + "failed to satisfy constraint: Member must not be null");
        }
        return t.asText();
    }

    private void callback(Runnable action) {
        try {
            action.run();
        } catch (TaskTokens.RefusedException e) {
            throw new ApiException(e.refusal().name(), e.getMessage());
        }
    }

    public ObjectNode sendTaskSuccess(JsonNode req) {
        String token = token(req);
        String output = required(req, "output");
        if (Json.utf8Length(output) > Interpreter.MAX_PAYLOAD_BYTES) {
            throw new ApiException("ValidationException", "1 validation error detected: Value at 'output' failed to "
                    + "satisfy constraint: Member must have length less than or equal to 262144");
        }
        JsonNode parsed;
        try {
            parsed = Json.parse(output);
        } catch (IllegalArgumentException e) {
            throw new ApiException("InvalidOutput", "Invalid Output: '" + e.getMessage() + "'");
        }
        callback(() -> tokens.complete(token, new TaskTokens.Success(parsed)));
        return Json.object();
    }

    public ObjectNode sendTaskFailure(JsonNode req) {
        String token = token(req);
        String error = optional(req, "error");
        String cause = optional(req, "cause");
        callback(() -> tokens.complete(token, new TaskTokens.Failure(error, cause)));
        return Json.object();
    }

    public ObjectNode sendTaskHeartbeat(JsonNode req) {
        String token = token(req);
        callback(() -> tokens.heartbeat(token));
        return Json.object();
    }

    // ------------------------------------------------------------------------------------------------------------
    // Helpers

    /** Epoch seconds with milliseconds, as AWS JSON 1.0 sends timestamps. */
    static JsonNode date(Instant instant) {
        return Json.NODES.numberNode(BigDecimal.valueOf(instant.toEpochMilli(), 3));
    }

    @FunctionalInterface
    private interface Emit {
        void emit(int index);
    }

    private static void page(JsonNode req, int total, ObjectNode out, Emit emit) {
        int max = req.path("maxResults").asInt(0);
        if (max <= 0 || max > MAX_PAGE) {
            max = MAX_PAGE;
        }
        int start = 0;
        String token = optional(req, "nextToken");
        if (token != null) {
            try {
                start = Integer.parseInt(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8)
                        .substring("offset:".length()));
            } catch (RuntimeException e) {
                throw new ApiException("InvalidToken", "Invalid Token: '" + token + "'");
            }
        }
        int end = Math.min(total, start + max);
        for (int i = start; i < end; i++) {
            emit.emit(i);
        }
        if (end < total) {
            out.put("nextToken", Base64.getUrlEncoder().withoutPadding().encodeToString(("offset:" + end)
                    .getBytes(StandardCharsets.UTF_8)));
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Activities

    /** How long GetActivityTask waits for a task, as AWS does (a worker's client should allow 65 s). */
    private static final long ACTIVITY_POLL_MILLIS = 60_000;

    private ActivityQueues.Activity activity(String arn) {
        ActivityQueues.Activity a = interpreter.activities().find(arn);
        if (a == null) {
            throw new ApiException("ActivityDoesNotExist", "Activity Does Not Exist: '" + arn + "'");
        }
        return a;
    }

    private static ObjectNode activityJson(ActivityQueues.Activity a) {
        ObjectNode out = Json.object();
        out.put("activityArn", a.arn());
        out.put("name", a.name());
        out.set("creationDate", date(a.creationDate()));
        return out;
    }

    public ObjectNode createActivity(JsonNode req) {
        String name = required(req, "name");
        checkName(name, "activity name");
        ActivityQueues.Activity a = interpreter.activities().create("arn:aws:states:" + region + ":" + accountId
                + ":activity:" + name, name);
        ObjectNode out = Json.object();
        out.put("activityArn", a.arn());
        out.set("creationDate", date(a.creationDate()));
        return out;
    }

    public ObjectNode describeActivity(JsonNode req) {
        return activityJson(activity(required(req, "activityArn")));
    }

    public ObjectNode listActivities(JsonNode req) {
        List<ActivityQueues.Activity> all = interpreter.activities().list();
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("activities");
        page(req, all.size(), out, i -> list.add(activityJson(all.get(i))));
        return out;
    }

    public ObjectNode deleteActivity(JsonNode req) {
        interpreter.activities().delete(required(req, "activityArn"));
        return Json.object();
    }

    /** Long poll: the next task of the activity, or an empty answer after 60 s. */
    public ObjectNode getActivityTask(JsonNode req) {
        ActivityQueues.Activity a = activity(required(req, "activityArn"));
        ObjectNode out = Json.object();
        try {
            ActivityQueues.Scheduled task = interpreter.activities().take(a.arn(), ACTIVITY_POLL_MILLIS, tokens);
            if (task != null) {
                task.started().accept(optional(req, "workerName"));
                out.put("taskToken", task.token());
                out.put("input", task.input());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    /** Nested executions for states:startExecution; API errors become StepFunctions.*Exception task errors. */
    public ChildExecutions children() {
        return new ChildExecutions() {
            @Override
            public Execution start(String stateMachineArn, String input, String name) {
                ObjectNode req = Json.object();
                req.put("stateMachineArn", stateMachineArn);
                req.put("input", input);
                if (name != null) {
                    req.put("name", name);
                }
                try {
                    return executions.get(startExecution(req).get("executionArn").asText());
                } catch (ApiException e) {
                    throw new StatesException("StepFunctions." + e.type() + "Exception", e.getMessage());
                }
            }

            @Override
            public void stop(Execution execution, String error, String cause) {
                if (execution.status() == ExecutionStatus.RUNNING) {
                    execution.requestStop(ExecutionStatus.ABORTED, error, cause);
                    if (execution.threads().isEmpty()) {
                        interpreter.abortNow(execution);
                    }
                }
            }
        };
    }

    public Execution findExecution(String arn) {
        return executions.get(arn);
    }

    public ExecutionListener listener() {
        return store == null ? ExecutionListener.NONE : store;
    }
}
