package com.rackflow.core.persistence;

import com.rackflow.core.history.Actor;
import com.rackflow.core.history.Change;
import com.rackflow.core.history.History;
import com.rackflow.core.history.HistoryEntry;
import com.rackflow.core.http.ApiException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.IdempotentParameterMismatchException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One write of the application: a record change together with everything that must change with it — its history
 * entry (written here, for every record change, so no feature can forget it), its uniqueness guards, counters, link
 * items and the idempotency record of the request — sent as ONE {@code TransactWriteItems}: all of it or none of it.
 * Record changes are conditional on the version they are based on, guards on being free (or already ours).
 * <p>
 * A cancelled transaction is answered from its CancellationReasons: the first failed condition decides (a changed
 * version → 409 VERSION_CONFLICT, a missing record → 404, a taken guard → what the guard's owner said, e.g.
 * 409 DUPLICATE_CUSTOMER naming the field and the existing record); a conflict with a concurrent transaction is
 * tried again, then 409 WRITE_CONFLICT. Never a 500 for a lost race.
 * <p>
 * Items are built by the store adapters ({@link RecordType}); services hand records, guards and keys, never items.
 */
public final class UnitOfWork {
    /** DynamoDB's limits for one transaction. */
    public static final int MAX_ITEMS = 100;
    public static final long MAX_BYTES = 4L * 1024 * 1024;
    private static final int ATTEMPTS = 4;

    private final Table table;
    private final Actor actor;
    private final List<Step> steps = new ArrayList<>();
    private final Set<Key> keys = new HashSet<>();
    private IdempotencyClaim idempotency;
    private String createdType;
    private String createdId;
    private boolean committed;

    /** What one item of the transaction does, and what its failed condition means. */
    private record Step(Key key, TransactWriteItem write, Function<Map<String, AttributeValue>, RuntimeException> failure,
                        long bytes) {
    }

    public UnitOfWork(Table table, Actor actor) {
        this.table = table;
        this.actor = actor;
    }

    public Actor actor() {
        return actor;
    }

    /** Items written so far (each costs two write units in a transaction, per KB). */
    public int size() {
        return steps.size() + (idempotency == null ? 0 : 1);
    }

    // ---- record changes: each writes its history entry ----

    /** A new record (written only if its key is free) and its CREATED history entry. */
    public <T> UnitOfWork create(RecordType<T> type, T record, String note) {
        return create(type, record, "CREATED", note);
    }

    /** A new record under another action name (e.g. {@code STARTED} for a flow), with its history entry. */
    public <T> UnitOfWork create(RecordType<T> type, T record, String action, String note) {
        String id = type.id(record);
        return create(type, record, action, note, () -> new IllegalStateException(type.what() + " id collision " + id));
    }

    /** A new record whose id is chosen by people (a user id): {@code exists} answers when the id is taken. */
    public <T> UnitOfWork create(RecordType<T> type, T record, String action, String note,
                                 Supplier<? extends RuntimeException> exists) {
        String id = type.id(record);
        Map<String, AttributeValue> item = type.item(record);
        add(keyOf(item), put(item, "attribute_not_exists(pk)", Map.of(), Map.of()), old -> exists.get());
        if (createdId == null) {
            createdType = type.type();
            createdId = id;
        }
        return event(type.type(), id, action, History.diff(null, record, type.notAudited()), note);
    }

    /**
     * {@code after} replaces {@code before} if the stored version is still {@code before}'s; the changed fields go
     * into a history entry under {@code action} (none when nothing audited changed and there is no note).
     */
    public <T> UnitOfWork change(RecordType<T> type, T before, T after, String action, String note) {
        String id = type.id(after);
        long expected = type.version(before);
        Map<String, AttributeValue> item = type.item(after);
        // version 0: an item written before records carried versions (read as 0); it must still exist and be unversioned
        add(keyOf(item), expected == 0
                        ? put(item, "attribute_exists(pk) AND attribute_not_exists(#v)", Map.of("#v", "version"), Map.of())
                        : put(item, "#v = :expected", Map.of("#v", "version"), Map.of(":expected", Items.n(expected))),
                old -> old == null || old.isEmpty() ? ApiException.notFound(type.what())
                        : ApiException.versionConflict(old.containsKey("version") ? Long.parseLong(old.get("version").n()) : -1));
        List<Change> changes = History.diff(before, after, type.notAudited());
        if (!changes.isEmpty() || note != null) {
            event(type.type(), id, action, changes, note);
        }
        return this;
    }

    /**
     * A history entry about a record whose own item is not rewritten here (a flow's stage completed: the work item
     * changes, the flow's history tells). Record changes get theirs from {@link #create} / {@link #change}.
     */
    public UnitOfWork event(String recordType, String recordId, String action, List<Change> changes, String note) {
        HistoryEntry e = History.entry(recordType, recordId, action, actor, changes, note);
        Map<String, AttributeValue> item = History.item(e);
        add(keyOf(item), put(item, null, Map.of(), Map.of()), old -> null);
        return this;
    }

    // ---- guards, counters, links ----

    /**
     * Claims a unique value for {@code holderId}: written if free or already held by the same holder (a retry).
     * {@code taken} turns the current holder's id into the answer, e.g. 409 DUPLICATE_CUSTOMER naming that record.
     */
    public UnitOfWork claim(Guard guard, String holderId, Function<String, ? extends RuntimeException> taken) {
        return claim(guard, holderId, null, taken);
    }

    /**
     * As {@link #claim(Guard, String, Function)}, also taking the value over from {@code formerHolder} (may be null):
     * a holder the caller has read to be gone (e.g. a flow ended by code that released its guard in a separate write).
     */
    public UnitOfWork claim(Guard guard, String holderId, String formerHolder,
                            Function<String, ? extends RuntimeException> taken) {
        Map<String, AttributeValue> item = new HashMap<>(guard.key().toMap());
        item.put("holderId", Items.s(holderId));
        item.put("claimedAt", Items.s(Instant.now().toString()));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":holder", Items.s(holderId)));
        String condition = "attribute_not_exists(pk) OR #h = :holder";
        if (formerHolder != null) {
            values.put(":former", Items.s(formerHolder));
            condition += " OR #h = :former";
        }
        add(guard.key(), put(item, condition, Map.of("#h", "holderId"), values),
                old -> taken.apply(old == null || !old.containsKey("holderId") ? null : old.get("holderId").s()));
        return this;
    }

    /**
     * Claims an item that guards one allocatable unit (a U of a rack, a port, an address) for {@code holderId}, with
     * the attributes that describe it: written if free or already held by the same holder (a retry); {@code taken}
     * turns the item as it is into the answer.
     */
    public UnitOfWork claim(Key key, Map<String, AttributeValue> attributes, String holderId,
                            Function<Map<String, AttributeValue>, ? extends RuntimeException> taken) {
        Map<String, AttributeValue> item = new HashMap<>(attributes);
        item.putAll(key.toMap());
        item.put("holderId", Items.s(holderId));
        add(key, put(item, "attribute_not_exists(pk) OR #h = :holder", Map.of("#h", "holderId"),
                Map.of(":holder", Items.s(holderId))), old -> taken.apply(old == null ? Map.of() : old));
        return this;
    }

    /** Gives up a unique value held by {@code holderId} (a value held by another holder is never deleted). */
    public UnitOfWork release(Guard guard, String holderId) {
        return release(guard.key(), holderId);
    }

    /** Gives up the item guarding one unit (see {@link #claim(Key, Map, String, Function)}) held by {@code holderId}. */
    public UnitOfWork release(Key key, String holderId) {
        add(key, TransactWriteItem.builder().delete(Delete.builder().tableName(table.name()).key(key.toMap())
                        .conditionExpression("attribute_not_exists(pk) OR #h = :holder")
                        .expressionAttributeNames(Map.of("#h", "holderId"))
                        .expressionAttributeValues(Map.of(":holder", Items.s(holderId)))
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD).build()).build(),
                old -> new IllegalStateException("guard " + key + " is held by " + old.get("holderId").s() + ", not " + holderId));
        return this;
    }

    /** Adds {@code n} to a counter item's {@code value} (atomic ADD; creates the counter). */
    public UnitOfWork increment(Key counter, long n) {
        add(counter, TransactWriteItem.builder().update(Update.builder().tableName(table.name()).key(counter.toMap())
                .updateExpression("ADD #v :n").expressionAttributeNames(Map.of("#v", "value"))
                .expressionAttributeValues(Map.of(":n", Items.n(n))).build()).build(), old -> null);
        return this;
    }

    /** An item written as it is, whatever is there (link items, snapshots): built by a store adapter. */
    public UnitOfWork put(Map<String, AttributeValue> item) {
        add(keyOf(item), put(item, null, Map.of(), Map.of()), old -> null);
        return this;
    }

    /** An item written only if its key is free; {@code exists} answers otherwise (e.g. 409 USER_EXISTS). */
    public UnitOfWork putIfAbsent(Map<String, AttributeValue> item, Supplier<? extends RuntimeException> exists) {
        add(keyOf(item), put(item, "attribute_not_exists(pk)", Map.of(), Map.of()),
                old -> exists.get());
        return this;
    }

    /**
     * A link item written only if it is still as it was read: {@code expectedVersion} 0 means absent, else its
     * {@code version} attribute. Changed meanwhile → 409 VERSION_CONFLICT ({@link #commitIfCurrent}: false), so the
     * caller reads it again; the item carries its next version itself.
     */
    public UnitOfWork putIfVersion(Map<String, AttributeValue> item, long expectedVersion) {
        add(keyOf(item), expectedVersion == 0 ? put(item, "attribute_not_exists(pk)", Map.of(), Map.of())
                        : put(item, "#v = :expected", Map.of("#v", "version"), Map.of(":expected", Items.n(expectedVersion))),
                old -> ApiException.versionConflict(old != null && old.containsKey("version") ? Long.parseLong(old.get("version").n()) : 0));
        return this;
    }

    /** Deletes a link item if it is still at {@code expectedVersion} (see {@link #putIfVersion}). */
    public UnitOfWork deleteIfVersion(Key key, long expectedVersion) {
        add(key, TransactWriteItem.builder().delete(Delete.builder().tableName(table.name()).key(key.toMap())
                        .conditionExpression("#v = :expected").expressionAttributeNames(Map.of("#v", "version"))
                        .expressionAttributeValues(Map.of(":expected", Items.n(expectedVersion)))
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD).build()).build(),
                old -> ApiException.versionConflict(old != null && old.containsKey("version") ? Long.parseLong(old.get("version").n()) : 0));
        return this;
    }

    public UnitOfWork delete(Key key) {
        add(key, TransactWriteItem.builder().delete(Delete.builder().tableName(table.name()).key(key.toMap()).build()).build(),
                old -> null);
        return this;
    }

    /**
     * A condition on an item not written here (e.g. "the customer is still not deleted"): {@code failed} turns the
     * item as it is (empty when missing) into the answer.
     */
    public UnitOfWork check(Key key, String condition, Map<String, String> names, Map<String, AttributeValue> values,
                            Function<Map<String, AttributeValue>, ? extends RuntimeException> failed) {
        ConditionCheck.Builder c = ConditionCheck.builder().tableName(table.name()).key(key.toMap())
                .conditionExpression(condition)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD);
        if (!names.isEmpty()) {
            c.expressionAttributeNames(names);
        }
        if (!values.isEmpty()) {
            c.expressionAttributeValues(values);
        }
        add(key, TransactWriteItem.builder().conditionCheck(c.build()).build(),
                old -> failed.apply(old == null ? Map.of() : old));
        return this;
    }

    // ---- idempotency ----

    /**
     * Writes the request's idempotency record, with its answer (status, the record this unit creates), in this
     * transaction: a retried create then either finds it and answers the same, or is itself the one that writes.
     * Null (no Idempotency-Key) changes nothing.
     */
    public UnitOfWork idempotent(IdempotencyClaim claim) {
        if (claim != null && claim.written()) {
            throw new IllegalStateException("an Idempotency-Key answers one unit of work");
        }
        this.idempotency = claim;
        return this;
    }

    // ---- commit ----

    /** Writes everything as one transaction (one conditional write when there is only one item). */
    public void commit() {
        if (committed) {
            throw new IllegalStateException("a unit of work commits once");
        }
        List<Step> all = new ArrayList<>(steps);
        int idempotencyStep = -1;
        if (idempotency != null) {
            if (createdId == null) {
                throw new IllegalStateException("an Idempotency-Key belongs to a unit of work that creates a record");
            }
            idempotencyStep = 0;
            all.add(0, idempotencyStep());
        }
        if (all.isEmpty()) {
            committed = true;
            return;
        }
        long bytes = all.stream().mapToLong(Step::bytes).sum();
        if (all.size() > MAX_ITEMS || bytes > MAX_BYTES) {
            throw new IllegalStateException("a unit of work is at most " + MAX_ITEMS + " items and 4 MB (" + all.size()
                    + " items, " + bytes + " bytes): split the work into batches");
        }
        if (all.size() == 1) {
            table.writeOne(all.get(0).write(), all.get(0).failure());
        } else {
            transact(all, idempotencyStep);
        }
        committed = true;
        if (idempotency != null) {
            idempotency.markWritten();
        }
    }

    /**
     * Commits, unless a record it changes was changed meanwhile (409 VERSION_CONFLICT): then false, nothing written, and
     * the caller reads the record again and decides anew.
     */
    public boolean commitIfCurrent() {
        try {
            commit();
            return true;
        } catch (ApiException e) {
            if ("VERSION_CONFLICT".equals(e.code())) {
                return false;
            }
            throw e;
        }
    }

    private void transact(List<Step> all, int idempotencyStep) {
        String token = idempotency == null ? null : idempotency.clientRequestToken();
        for (int attempt = 1; ; attempt++) {
            TransactWriteItemsRequest.Builder b = TransactWriteItemsRequest.builder()
                    .transactItems(all.stream().map(Step::write).toList());
            if (token != null) {
                b.clientRequestToken(token);
            }
            try {
                table.transactWrite(b.build());
                return;
            } catch (IdempotentParameterMismatchException e) {
                // the same key and body built again (new ids, times) within DynamoDB's 10 minutes: the earlier
                // attempt either wrote the idempotency record (answer with it) or never committed (write without
                // the token; the SDK gives the transaction a fresh one)
                Map<String, AttributeValue> answered = table.get(idempotency.key()).orElse(null);
                if (answered != null) {
                    throw new IdempotentReplay(text(answered, "recordType"), text(answered, "recordId"));
                }
                token = null;
                continue;
            } catch (TransactionCanceledException e) {
                List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
                RuntimeException answer = answer(all, reasons, idempotencyStep);
                if (answer != null) {
                    throw answer;
                }
                if (!retryable(reasons)) {
                    throw new IllegalStateException("transaction cancelled: " + reasons, e);
                }
                if (attempt >= ATTEMPTS) {
                    throw ApiException.conflict("WRITE_CONFLICT",
                            "the records were being changed by another request at the same moment; retry",
                            "记录正被同时修改，请重试", Map.of());
                }
            }
            sleep(attempt);
        }
    }

    /** The answer of the first failed condition: the idempotency record's first (the request was answered already). */
    private static RuntimeException answer(List<Step> all, List<CancellationReason> reasons, int idempotencyStep) {
        if (idempotencyStep >= 0 && idempotencyStep < reasons.size() && failedCondition(reasons.get(idempotencyStep))) {
            Map<String, AttributeValue> old = reasons.get(idempotencyStep).item();
            return new IdempotentReplay(text(old, "recordType"), text(old, "recordId"));
        }
        for (int i = 0; i < reasons.size() && i < all.size(); i++) {
            if (failedCondition(reasons.get(i))) {
                RuntimeException r = all.get(i).failure().apply(reasons.get(i).item());
                return r != null ? r : new IllegalStateException("unexpected failed condition on " + all.get(i).key());
            }
        }
        return null;
    }

    private Step idempotencyStep() {
        Map<String, AttributeValue> item = new HashMap<>(idempotency.key().toMap());
        item.put("state", Items.s("COMPLETED"));
        item.put("requestHash", Items.s(idempotency.requestHash()));
        item.put("status", Items.n(idempotency.status()));
        item.put("recordType", Items.s(createdType));
        item.put("recordId", Items.s(createdId));
        item.put("completedAt", Items.s(Instant.now().toString()));
        item.put("expiresAt", Items.n(idempotency.expiresAtEpochSecond()));
        // an expired record (DynamoDB's TTL deletes within days, not at once) counts as absent
        TransactWriteItem w = put(item, "attribute_not_exists(pk) OR #exp < :now", Map.of("#exp", "expiresAt"),
                Map.of(":now", Items.n(Instant.now().getEpochSecond())));
        return new Step(idempotency.key(), w, old -> new IdempotentReplay(text(old, "recordType"), text(old, "recordId")),
                Items.size(item));
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        return item == null || !item.containsKey(name) ? null : item.get(name).s();
    }

    private static boolean failedCondition(CancellationReason r) {
        return "ConditionalCheckFailed".equals(r.code());
    }

    private static boolean retryable(List<CancellationReason> reasons) {
        return reasons.stream().anyMatch(r -> "TransactionConflict".equals(r.code()) || "ThrottlingError".equals(r.code()));
    }

    private static void sleep(int attempt) {
        try {
            Thread.sleep(10L * attempt * attempt + (long) (Math.random() * 10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private TransactWriteItem put(Map<String, AttributeValue> item, String condition, Map<String, String> names,
                                  Map<String, AttributeValue> values) {
        Put.Builder p = Put.builder().tableName(table.name()).item(item);
        if (condition != null) {
            p.conditionExpression(condition).returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD);
            if (!names.isEmpty()) {
                p.expressionAttributeNames(names);
            }
            if (!values.isEmpty()) {
                p.expressionAttributeValues(values);
            }
        }
        return TransactWriteItem.builder().put(p.build()).build();
    }

    private static Key keyOf(Map<String, AttributeValue> item) {
        return new Key(item.get("pk").s(), item.get("sk").s());
    }

    private void add(Key key, TransactWriteItem write, Function<Map<String, AttributeValue>, RuntimeException> failure) {
        if (committed) {
            throw new IllegalStateException("this unit of work was committed; start a new one");
        }
        if (!keys.add(key)) {
            // DynamoDB refuses two operations on one item in a transaction: a mistake in the caller, not a conflict
            throw new IllegalStateException("item " + key + " is written twice in one unit of work");
        }
        long bytes = write.put() != null ? Items.size(write.put().item()) : 100;
        steps.add(new Step(key, write, failure, bytes));
    }
}
