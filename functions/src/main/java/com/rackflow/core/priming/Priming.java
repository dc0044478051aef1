package com.rackflow.core.priming;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.access.AccessPolicy;
import com.rackflow.access.Module;
import com.rackflow.access.Role;
import com.rackflow.core.history.Actor;
import com.rackflow.core.http.ApiHandler;
import com.rackflow.core.json.Json;
import com.rackflow.core.logging.Log;
import com.rackflow.core.persistence.Dynamo;
import com.rackflow.core.persistence.Items;
import com.rackflow.core.persistence.Key;
import com.rackflow.core.persistence.Pager;
import com.rackflow.core.persistence.UnitOfWork;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * SnapStart priming: before the snapshot is taken each function runs, outside any request, what its first real
 * request would otherwise load and compile after the restore:
 * <ul>
 * <li>an API function serves its GET routes on records that do not exist: one record, its lists with their filters
 * (routing, the caller's profile read, the SDK client and its HTTP connection code, the lists' Queries, the answers);</li>
 * <li>writes bound to fail: a conditional update and a transaction of two condition checks on keys that never
 * exist, so the write paths (marshalling, cancellation reasons) are loaded and nothing is ever written (DynamoDB bills
 * their write units once per snapshot);</li>
 * <li>the found-record path of each record type the function reads (item → record → its JSON), in memory;</li>
 * <li>whatever the function adds in memory (e.g. validating a full request body, the view of a full record).</li>
 * </ul>
 * Each function lists its GET routes as {@link Read}s (with the query parameters its lists take), primed as every role
 * that may open them; a read that misses its route fails its step ({@link #requireServed}).
 * The steps without writes run {@link #ROUNDS} times, so that the JIT compiles them. A failing step is logged and
 * skipped: the snapshot is then taken without it.
 */
public final class Priming implements Resource {
    // CRaC keeps weak references to resources; these keep them alive.
    static final List<Priming> REGISTERED = new ArrayList<>();

    final String name;
    final Runnable work;

    private Priming(String name, Runnable work) {
        this.name = name;
        this.work = work;
    }

    /**
     * Reads only (a function whose role may not write, the pickers', registers this): GET routes, usually with an
     * {id} path parameter (e.g. {@code /customers/{id}}) and the query parameters a list takes; with the caller's
     * profile record.
     */
    public static void register(ApiHandler handler, Read... reads) {
        registerReads(handler, List.of(reads), List.of(), () -> { });
    }

    /** Reads only, of routes without query parameters. */
    public static void register(ApiHandler handler, String... resources) {
        register(handler, java.util.Arrays.stream(resources).map(Read::of).toArray(Read[]::new));
    }

    /** Reads only, with the JSON of the answers ({@code inMemory}, e.g. {@link #answers}) of what they would find. */
    public static void registerReads(ApiHandler handler, List<Read> reads, Runnable inMemory) {
        registerReads(handler, reads, List.of(), inMemory);
    }

    /**
     * For a function that writes: the reads of {@code reads} (a list route reads a page), the found path of
     * {@code recordTypes} (records as the stores read them), {@code inMemory} (work its first requests do that needs
     * no table, e.g. {@link #answers}) and the writes bound to fail.
     */
    public static void register(ApiHandler handler, List<Read> reads, List<Class<?>> recordTypes, Runnable inMemory) {
        registerReads(handler, reads, recordTypes, inMemory);
        // the history Query of a record no one has (a missing record's history route answers 404 before it)
        register("history-read", () -> repeatIo(() -> new com.rackflow.core.history.History(Dynamo.table())
                .list("PRIMING", MISSING_ID, null, Pager.DEFAULT_LIMIT)));
        register("write-bound-to-fail", () -> writeBoundToFail(Dynamo.table()));
    }

    /**
     * A GET route a function primes: its resource (path parameters get an id no record has) and query parameters as
     * a real request sends them (values that match no record), e.g. {@code Read.of("/contracts", "status", "ACTIVE")}.
     * The list a route reads depends on them (a filter picks another index or partition) and on the caller's scope,
     * so each read is primed as every role that may open the route's module (see {@link #events}).
     */
    public record Read(String resource, Map<String, String> query, Map<String, String> path, List<Role> roles) {
        public static Read of(String resource, String... queryNamesAndValues) {
            Map<String, String> q = new java.util.LinkedHashMap<>();
            for (int i = 0; i + 1 < queryNamesAndValues.length; i += 2) {
                q.put(queryNamesAndValues[i], queryNamesAndValues[i + 1]);
            }
            return new Read(resource, Map.copyOf(q), Map.of(), List.of());
        }

        /** A path parameter of a given form instead of {@link #MISSING_ID} (e.g. a well-formed serial no record has). */
        public Read withPath(String name, String value) {
            Map<String, String> p = new java.util.HashMap<>(path);
            p.put(name, value);
            return new Read(resource, query, Map.copyOf(p), roles);
        }

        /**
         * Primed as these roles only: for a read whose other callers need records priming cannot have (a manager's
         * report names their department, which must exist).
         */
        public Read as(Role... only) {
            return new Read(resource, query, path, List.of(only));
        }
    }

    /** The events a read is primed with: one per role that may open its module (each role's scope reads other partitions). */
    public static List<ObjectNode> events(Read read) {
        List<Role> roles = !read.roles().isEmpty() ? read.roles() : Module.ofPath(read.resource())
                .map(m -> java.util.Arrays.stream(Role.values()).filter(r -> AccessPolicy.mayOpen(r, m)).toList())
                .orElse(List.of(Role.ADMIN));
        return roles.stream().map(role -> primingEvent(read, role)).toList();
    }

    private static void registerReads(ApiHandler handler, List<Read> reads, List<Class<?>> recordTypes, Runnable inMemory) {
        List<ObjectNode> events = reads.stream().flatMap(r -> events(r).stream()).toList();
        // every read as every role once (each role's scope loads its own partitions' code), then each read as one role
        // for the rounds the JIT needs: most of a request's code is the same whoever calls, and each round trip counts
        // at every local function start
        List<ObjectNode> again = reads.stream().map(r -> events(r).get(0)).toList();
        register("api-read", () -> {
            events.forEach(e -> requireServed(e, handler.prime(e.deepCopy())));
            repeat(() -> again.forEach(e -> handler.prime(e.deepCopy())), IO_ROUNDS - 1);
        });
        // every request reads its caller's directory profile
        register("records", () -> repeat(() -> {
            readRecord(com.rackflow.directory.StaffUser.class);
            recordTypes.forEach(Priming::readRecord);
        }));
        // a found record's history page: its entries' JSON
        Runnable history = answers(com.rackflow.core.history.HistoryEntry.class, e -> e);
        register("in-memory", () -> repeat(() -> {
            history.run();
            inMemory.run();
        }));
    }

    /**
     * A priming read that did not reach its route's code (an unknown route, a query parameter the route refuses, a
     * server error) primes nothing of it: the step fails, naming it (a missing record's 404 and a role's 403 are fine).
     */
    static void requireServed(ObjectNode event, com.rackflow.core.http.ApiResponse answer) {
        boolean unknownRoute = answer.status() == 404 && answer.body() != null && answer.body().contains("route ");
        if (answer.status() == 400 || answer.status() >= 500 || unknownRoute) {
            throw new IllegalStateException("priming read GET " + event.path("resource").asText() + " "
                    + event.path("queryStringParameters") + " as " + event.path("requestContext").path("authorizer").path("role").asText()
                    + " answered " + answer.status() + ": " + answer.body());
        }
    }

    /** A priming step of any function (the authorizer's token verification, say). */
    public static synchronized void register(String name, Runnable work) {
        Priming p = new Priming(name, work);
        REGISTERED.add(p);
        Core.getGlobalContext().register(p);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        try {
            work.run();
        } catch (RuntimeException | LinkageError e) {
            Log.warn("priming step failed; the snapshot is taken without it", "step", name, "errorType", e.getClass().getName());
        }
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // nothing to re-establish: the SDK client reconnects lazily
    }

    /**
     * How often a priming step runs: enough for the JIT (C1, as Lambda's flags stop there) to compile the paths a
     * request takes, so that the first request after a restore does not run them interpreted.
     */
    static final int ROUNDS = Integer.getInteger("rackflow.priming.rounds", 25);

    /**
     * How often a step that calls DynamoDB runs: fewer, since each round is a round trip (the local stack primes at
     * every function start, and a busy machine made 25 rounds of reads a minute-long init).
     */
    static final int IO_ROUNDS = Integer.getInteger("rackflow.priming.ioRounds", 5);

    /** Runs {@code work} {@link #ROUNDS} times. */
    public static void repeat(Runnable work) {
        repeat(work, ROUNDS);
    }

    /** Runs {@code work}, which calls DynamoDB, {@link #IO_ROUNDS} times. */
    public static void repeatIo(Runnable work) {
        repeat(work, IO_ROUNDS);
    }

    private static void repeat(Runnable work, int rounds) {
        for (int i = 0; i < rounds; i++) {
            work.run();
        }
    }

    /**
     * Writes bound to fail, nothing written: a conditional update of an item that does not exist (as counters are
     * updated) and a unit of work of two condition checks on such items (the transactional path).
     */
    static void writeBoundToFail(com.rackflow.core.persistence.Table t) {
        var client = t.client();
        String table = t.name();
        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> missing = new Key("PRIMING#snapstart", "PRIMING#c").toMap();
        try {
            client.updateItem(u -> u.tableName(table).key(missing).conditionExpression("attribute_exists(pk)")
                    .updateExpression("ADD #n :one").expressionAttributeNames(Map.of("#n", "n"))
                    .expressionAttributeValues(Map.of(":one", Items.n(1))));
            Log.warn("priming: a condition on a missing item held", "step", "write-bound-to-fail");
        } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException expected) {
            // as intended
        }
        unitBoundToFail(t);
    }

    /** Two condition checks on keys no record has: the transaction is cancelled, nothing is written. */
    static void unitBoundToFail(com.rackflow.core.persistence.Table table) {
        Key a = new Key("PRIMING#snapstart", "PRIMING#a");
        Key b = new Key("PRIMING#snapstart", "PRIMING#b");
        try {
            new UnitOfWork(table, Actor.system("snapstart-priming"))
                    .check(a, "attribute_exists(pk)", Map.of(), Map.of(), old -> new PrimingCheckFailed())
                    .check(b, "attribute_exists(pk)", Map.of(), Map.of(), old -> new PrimingCheckFailed())
                    .commit();
        } catch (PrimingCheckFailed expected) {
            return;
        }
        Log.warn("priming: a condition on a missing item held", "step", "write-bound-to-fail");
    }

    /**
     * A record read from an item (the store's conversion) and written as JSON, as a found record is answered: one with
     * every field set ({@link #sample}), else (a type no sample can be built of) one with its version only.
     */
    public static void readRecord(Class<?> type) {
        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item;
        try {
            item = Items.fromRecord(sample(type));
        } catch (RuntimeException e) {
            ObjectNode fields = Json.object();
            fields.put("version", 1);
            item = Items.fromObject(fields);
        }
        Json.write(Items.toRecord(item, type));
    }

    /**
     * A create's transaction bound to fail, nothing written: {@code record} (a full {@link #sample}) with its history
     * entry as {@link UnitOfWork#create} writes them, and a condition check on a key no record has, which cancels it.
     */
    public static <T> void createBoundToFail(com.rackflow.core.persistence.Table table, com.rackflow.core.persistence.RecordType<T> type, T record) {
        try {
            new UnitOfWork(table, Actor.system("snapstart-priming")).create(type, record, "priming")
                    .check(new Key("PRIMING#snapstart", "PRIMING#a"), "attribute_exists(pk)", Map.of(), Map.of(), old -> new PrimingCheckFailed())
                    .commit();
        } catch (PrimingCheckFailed expected) {
            return;
        }
        Log.warn("priming: a condition on a missing item held", "step", "create-bound-to-fail");
    }

    /**
     * The JSON of full answers of a record type, as a found record is answered: a record with every field set (see
     * {@link #sample}) converted to its item and back (as the store reads it), its view, a list page of it and the
     * versioned answer of one.
     */
    public static <T> Runnable answers(Class<T> type, java.util.function.Function<T, ?> view) {
        // built when the step runs, not when it is registered: a failing priming step is skipped, a failing
        // constructor would fail the function's init
        return () -> {
            T read = Items.toRecord(Items.fromRecord(sample(type)), type);
            Object shown = view.apply(read);
            com.rackflow.core.http.ApiResponse.ok(new com.rackflow.core.persistence.Page<>(List.of(shown, shown), MISSING_ID));
            com.rackflow.core.http.ApiResponse.versioned(200, shown, 1);
        };
    }

    /** Runs each of {@code steps} (e.g. {@link #answers} of several record types). */
    public static Runnable all(Runnable... steps) {
        return () -> {
            for (Runnable step : steps) {
                step.run();
            }
        };
    }

    /**
     * A record of {@code type} with every field set: text (a timestamp for names ending in "At"), numbers 1, the
     * first constant of an enum, a date, one element in a list, nested records filled the same way.
     */
    public static <T> T sample(Class<T> type) {
        if (!type.isRecord()) {
            throw new IllegalArgumentException(type + " is not a record");
        }
        java.lang.reflect.RecordComponent[] components = type.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            values[i] = sampleValue(components[i].getName(), types[i], components[i].getGenericType());
        }
        try {
            var constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true);
            return constructor.newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build a sample " + type.getSimpleName(), e);
        }
    }

    private static Object sampleValue(String name, Class<?> t, java.lang.reflect.Type generic) {
        if (t == String.class) {
            return name.endsWith("At") ? "2026-01-01T00:00:00Z" : "priming";
        }
        if (t == int.class || t == Integer.class) {
            return 1;
        }
        if (t == long.class || t == Long.class) {
            return 1L;
        }
        if (t == double.class || t == Double.class) {
            return 1.0;
        }
        if (t == boolean.class || t == Boolean.class) {
            return true;
        }
        if (t == java.math.BigDecimal.class) {
            return java.math.BigDecimal.ONE;
        }
        if (t == java.time.LocalDate.class) {
            return java.time.LocalDate.of(2026, 1, 1);
        }
        if (t == java.time.Instant.class) {
            return java.time.Instant.parse("2026-01-01T00:00:00Z");
        }
        if (t.isEnum()) {
            return t.getEnumConstants()[0];
        }
        if (t.isRecord()) {
            return sample(t);
        }
        if (List.class.isAssignableFrom(t) || java.util.Set.class.isAssignableFrom(t)) {
            Object element = generic instanceof java.lang.reflect.ParameterizedType p
                    && p.getActualTypeArguments()[0] instanceof Class<?> c ? sampleValue(name, c, c) : null;
            if (element == null) {
                return List.class.isAssignableFrom(t) ? List.of() : java.util.Set.of();
            }
            return List.class.isAssignableFrom(t) ? List.of(element) : java.util.Set.of(element);
        }
        if (Map.class.isAssignableFrom(t)) {
            return Map.of();
        }
        return null;
    }

    /** The id priming reads: no record has it. */
    public static final String MISSING_ID = "priming-00000000";

    /** A REST proxy event for GET {@code resource} with an id that cannot exist, as the admin role. */
    public static ObjectNode primingEvent(String resource) {
        return primingEvent(Read.of(resource), Role.ADMIN);
    }

    /**
     * A REST proxy event for the read as {@code role}: every path parameter an id that cannot exist, the read's query
     * parameters, a caller (of no department) who is in no directory.
     */
    public static ObjectNode primingEvent(Read read, Role role) {
        ObjectNode e = Json.object();
        e.put("resource", read.resource());
        ObjectNode path = e.putObject("pathParameters");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{([A-Za-z]+)}").matcher(read.resource());
        StringBuilder concrete = new StringBuilder();
        while (m.find()) {
            String value = read.path().getOrDefault(m.group(1), MISSING_ID);
            path.put(m.group(1), value);
            m.appendReplacement(concrete, value);
        }
        m.appendTail(concrete);
        e.put("path", concrete.toString());
        e.put("httpMethod", "GET");
        // the shape API Gateway's REST proxy integration sends: every part of it is parsed by a real request
        ObjectNode headers = e.putObject("headers");
        ObjectNode multiHeaders = e.putObject("multiValueHeaders");
        Map.of("Accept", "application/json", "Host", "priming.execute-api.us-east-1.amazonaws.com", "User-Agent", "snapstart-priming",
                "X-Forwarded-For", "192.0.2.1", "X-Forwarded-Proto", "https").forEach((k, v) -> {
                    headers.put(k, v);
                    multiHeaders.putArray(k).add(v);
                });
        if (read.query().isEmpty()) {
            e.putNull("queryStringParameters");
            e.putNull("multiValueQueryStringParameters");
        } else {
            ObjectNode q = e.putObject("queryStringParameters");
            ObjectNode mq = e.putObject("multiValueQueryStringParameters");
            read.query().forEach((k, v) -> {
                q.put(k, v);
                mq.putArray(k).add(v);
            });
        }
        e.putNull("stageVariables");
        ObjectNode ctx = e.putObject("requestContext");
        ctx.put("resourcePath", read.resource()).put("httpMethod", "GET").put("path", "/live" + concrete).put("stage", "live")
                .put("accountId", "123456789012").put("protocol", "HTTP/1.1").put("requestTimeEpoch", 1_767_225_600_000L);
        ctx.put("requestId", "snapstart-priming");
        ctx.putObject("identity").put("sourceIp", "192.0.2.1").put("userAgent", "snapstart-priming").putNull("user");
        ctx.putObject("authorizer").put("principalId", "snapstart-priming").put("userId", "snapstart-priming").put("role", role.name())
                .put("departmentId", "-").put("integrationLatency", 0);
        e.putNull("body");
        e.put("isBase64Encoded", false);
        return e;
    }

    private static final class PrimingCheckFailed extends RuntimeException {
        PrimingCheckFailed() {
            super("priming condition failed as intended", null, false, false);
        }
    }
}
