package com.rackflow.core.priming;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.core.history.Actor;
import com.rackflow.core.http.ApiHandler;
import com.rackflow.core.json.Json;
import com.rackflow.core.logging.Log;
import com.rackflow.core.persistence.Dynamo;
import com.rackflow.core.persistence.Items;
import com.rackflow.core.persistence.Key;
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
 * <li>an API function serves one read of a record that does not exist (routing, the caller's profile read, the SDK
 * client and its HTTP connection code, the error answer);</li>
 * <li>writes bound to fail: a conditional update and a transaction of two condition checks on keys that never
 * exist, so the write paths (marshalling, cancellation reasons) are loaded and nothing is ever written (DynamoDB bills
 * their write units once per snapshot);</li>
 * <li>the found-record path of each record type the function reads (item → record → its JSON), in memory;</li>
 * <li>whatever the function adds in memory (e.g. validating a full request body, the view of a full record).</li>
 * </ul>
 * The steps without writes run {@link #ROUNDS} times, so that the JIT compiles them. A failing step is logged and
 * skipped: the snapshot is then taken without it.
 */
public final class Priming implements Resource {
    // CRaC keeps weak references to resources; these keep them alive.
    private static final List<Priming> REGISTERED = new ArrayList<>();

    private final String name;
    private final Runnable work;

    private Priming(String name, Runnable work) {
        this.name = name;
        this.work = work;
    }

    /**
     * Reads only (a function whose role may not write, the pickers', registers this): {@code readResource} is a GET
     * route, usually with an {id} path parameter, e.g. {@code /customers/{id}}; with the caller's profile record.
     */
    public static void register(ApiHandler handler, String readResource) {
        registerReads(handler, List.of(readResource), List.of(), () -> { });
    }

    /** Reads only, of several GET routes: one record ({@code /contracts/{id}}) and the list ({@code /contracts}). */
    public static void register(ApiHandler handler, List<String> readResources) {
        registerReads(handler, readResources, List.of(), () -> { });
    }

    /**
     * For a function that writes: the reads of {@code readResources} (a list route reads a page), the found path of
     * {@code recordTypes} (records as the stores read them), {@code inMemory} (work its first requests do that needs
     * no table) and the writes bound to fail.
     */
    public static void register(ApiHandler handler, List<String> readResources, List<Class<?>> recordTypes, Runnable inMemory) {
        registerReads(handler, readResources, recordTypes, inMemory);
        register("write-bound-to-fail", () -> writeBoundToFail(Dynamo.table()));
    }

    private static void registerReads(ApiHandler handler, List<String> readResources, List<Class<?>> recordTypes, Runnable inMemory) {
        List<ObjectNode> events = readResources.stream().map(Priming::primingEvent).toList();
        register("api-read", () -> repeatIo(() -> events.forEach(e -> handler.prime(e.deepCopy()))));
        // every request reads its caller's directory profile
        register("records", () -> repeat(() -> {
            readRecord(com.rackflow.directory.StaffUser.class);
            recordTypes.forEach(Priming::readRecord);
        }));
        register("in-memory", () -> repeat(inMemory));
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

    /** A record read from an item (the store's conversion) and written as JSON, as a found record is answered. */
    public static void readRecord(Class<?> type) {
        ObjectNode fields = Json.object();
        fields.put("version", 1);
        Object record = Items.toRecord(Items.fromObject(fields), type);
        Json.write(record);
    }

    /** A REST proxy event for GET {@code resource} with an id that cannot exist, as the admin role. */
    public static ObjectNode primingEvent(String resource) {
        String id = "priming-00000000";
        ObjectNode e = Json.object();
        e.put("resource", resource);
        e.put("path", resource.replace("{id}", id));
        e.put("httpMethod", "GET");
        e.putObject("pathParameters").put("id", id);
        e.putObject("headers");
        ObjectNode ctx = e.putObject("requestContext");
        ctx.put("requestId", "snapstart-priming");
        ctx.putObject("authorizer").put("userId", "snapstart-priming").put("role", "ADMIN").put("departmentId", "-");
        return e;
    }

    private static final class PrimingCheckFailed extends RuntimeException {
        PrimingCheckFailed() {
            super("priming condition failed as intended", null, false, false);
        }
    }
}
