package com.rackflow.local.stack.events;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.local.stack.lambda.LambdaInvocationException;
import com.rackflow.local.stack.lambda.LocalLambda;
import com.rackflow.local.stack.log.JsonLog;
import com.rackflow.local.stack.template.EventRuleSpec;
import com.rackflow.local.stack.template.FunctionSpec;
import com.rackflow.local.stack.template.SamApplication;
import com.rackflow.local.stack.template.TemplateEvaluator;

/**
 * The default event bus and the scheduler for the template's EventBridge rules whose targets are functions. An event
 * put on the bus goes to every enabled rule whose pattern matches; a schedule fires at its rate or cron times (UTC) with
 * a "Scheduled Event". Targets are invoked as EventBridge invokes Lambda: asynchronously, and a function error is
 * retried twice (Lambda's asynchronous retries; here after 1 s and 2 s instead of about 1 and 2 minutes).
 */
public final class LocalEventBridge implements AutoCloseable {

    private static final JsonLog LOG = JsonLog.of("eventbridge");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ASYNC_RETRIES = 2;

    private record Rule(EventRuleSpec spec, FunctionSpec target, EventPattern pattern, ScheduleExpression schedule) {
        String name() {
            return spec.functionLogicalId() + "-" + spec.eventName();
        }
    }

    private final LocalLambda lambda;
    private final List<Rule> rules = new ArrayList<>();
    private final ExecutorService invocations;
    private final ScheduledExecutorService timers;
    private final Duration retryDelay;

    public LocalEventBridge(SamApplication application, LocalLambda lambda) {
        this(application, lambda, Duration.ofSeconds(1));
    }

    LocalEventBridge(SamApplication application, LocalLambda lambda, Duration retryDelay) {
        this.lambda = lambda;
        this.retryDelay = retryDelay;
        for (EventRuleSpec spec : application.eventRules()) {
            String where = spec.functionLogicalId() + ".Events." + spec.eventName();
            rules.add(new Rule(spec, application.function(spec.functionLogicalId()),
                    spec.isSchedule() ? null : EventPattern.of(spec.pattern(), where),
                    spec.isSchedule() ? ScheduleExpression.parse(spec.scheduleExpression()) : null));
        }
        this.invocations = Executors.newFixedThreadPool(4, daemon("eventbridge-target"));
        this.timers = Executors.newSingleThreadScheduledExecutor(daemon("eventbridge-schedule"));
    }

    /** Starts the enabled schedules. */
    public LocalEventBridge startSchedules() {
        Instant start = Instant.now();
        for (Rule r : rules) {
            if (r.schedule() != null && r.spec().enabled()) {
                scheduleNext(r, start, start);
                LOG.info("schedule started", "rule", r.name(), "expression", r.spec().scheduleExpression(),
                        "next", r.schedule().next(start, start).toString());
            }
        }
        return this;
    }

    private void scheduleNext(Rule r, Instant start, Instant after) {
        Instant at = r.schedule().next(start, after);
        long delay = Math.max(0, Duration.between(Instant.now(), at).toMillis());
        timers.schedule(() -> {
            deliver(r, scheduledEvent(r, at));
            scheduleNext(r, start, at);
        }, delay, TimeUnit.MILLISECONDS);
    }

    /** Fires a schedule now, as its next time would, and waits for the target's answer (tests and operators). */
    public Optional<JsonNode> runScheduleNow(String functionLogicalId) {
        Rule r = rules.stream().filter(x -> x.schedule() != null && x.spec().functionLogicalId().equals(functionLogicalId))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no schedule targets " + functionLogicalId));
        return invoke(r, scheduledEvent(r, Instant.now().truncatedTo(ChronoUnit.SECONDS)));
    }

    /** Puts an event on the default bus: every enabled rule whose pattern matches gets it. Returns how many matched. */
    public int putEvent(ObjectNode event) {
        int matched = 0;
        for (Rule r : rules) {
            if (r.pattern() != null && r.spec().enabled() && r.pattern().matches(event)) {
                matched++;
                deliver(r, event);
            }
        }
        return matched;
    }

    /** The envelope EventBridge puts around an AWS service's event. */
    public static ObjectNode awsEvent(String source, String detailType, List<String> resources, JsonNode detail, Instant time) {
        ObjectNode e = JSON.createObjectNode();
        e.put("version", "0");
        e.put("id", UUID.randomUUID().toString());
        e.put("detail-type", detailType);
        e.put("source", source);
        e.put("account", TemplateEvaluator.ACCOUNT_ID);
        e.put("time", time.truncatedTo(ChronoUnit.SECONDS).toString());
        e.put("region", TemplateEvaluator.REGION);
        resources.forEach(e.putArray("resources")::add);
        e.set("detail", detail);
        return e;
    }

    private ObjectNode scheduledEvent(Rule r, Instant at) {
        String ruleArn = "arn:aws:events:" + TemplateEvaluator.REGION + ":" + TemplateEvaluator.ACCOUNT_ID + ":rule/" + r.name();
        return awsEvent("aws.events", "Scheduled Event", List.of(ruleArn), JSON.createObjectNode(), at);
    }

    private void deliver(Rule r, ObjectNode event) {
        invocations.submit(() -> invoke(r, event));
    }

    private Optional<JsonNode> invoke(Rule r, ObjectNode event) {
        byte[] payload = payload(r, event);
        for (int attempt = 0; ; attempt++) {
            try {
                byte[] answer = lambda.invoke(r.target().invokedArn(), payload);
                LOG.info("event delivered", "rule", r.name(), "eventId", event.path("id").asText(), "attempt", attempt + 1);
                return Optional.of(JSON.readTree(new String(answer, StandardCharsets.UTF_8)));
            } catch (LambdaInvocationException e) {
                LOG.warn("target failed", "rule", r.name(), "eventId", event.path("id").asText(), "attempt", attempt + 1,
                        "errorType", e.errorType());
                if (attempt >= ASYNC_RETRIES) {
                    LOG.error("event dropped after Lambda's asynchronous retries", "rule", r.name(), "eventId",
                            event.path("id").asText());
                    return Optional.empty();
                }
                try {
                    Thread.sleep(retryDelay.toMillis() * (attempt + 1));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
            } catch (JsonProcessingException e) {
                return Optional.empty();
            } catch (RuntimeException e) {
                LOG.error("event not delivered", "rule", r.name(), "error", String.valueOf(e.getMessage()));
                return Optional.empty();
            }
        }
    }

    private static byte[] payload(Rule r, ObjectNode event) {
        String text = r.spec().input() != null ? r.spec().input() : event.toString();
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread t = new Thread(runnable, name);
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() {
        timers.shutdownNow();
        invocations.shutdownNow();
    }
}
