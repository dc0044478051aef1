package com.rackflow.core.records;

import com.rackflow.access.AccessPolicy;
import com.rackflow.access.Caller;
import com.rackflow.access.RecordKind;
import com.rackflow.core.history.Actor;
import com.rackflow.core.history.History;
import com.rackflow.core.history.HistoryEntry;
import com.rackflow.core.http.ApiException;
import com.rackflow.core.persistence.IdempotencyClaim;
import com.rackflow.core.persistence.Page;
import com.rackflow.core.persistence.RecordType;
import com.rackflow.core.persistence.UnitOfWork;

import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The rules every audited CRM record shares: visibility through the access policy (out of scope = missing),
 * versioned changes (stale → 409), soft delete with a manager's restore — and every write one {@link UnitOfWork}:
 * the record, its history entry, its companions (link items) and whatever the feature adds (guards, the
 * idempotency record) in one transaction. The feature's service adds its own rules around these.
 */
public final class AuditedRecords<T extends Audited> {
    public static final Set<String> NOT_AUDITED = RecordType.BOOKKEEPING;

    /**
     * Items written with a write of a record, e.g. the link item listing it under its customer: {@code before} is null
     * for a create; write only what changes (each item of a transaction costs two write units).
     */
    public interface Companions<T> {
        void write(T before, T after, UnitOfWork uow);

        static <T> Companions<T> none() {
            return (before, after, uow) -> {
            };
        }
    }

    private final RecordStore<T> store;
    private final RecordKind kind;
    private final String what;
    private final History history;
    private final Companions<T> companions;
    private final RecordType<T> audited;

    public AuditedRecords(RecordStore<T> store, RecordKind kind, String what, Companions<T> companions) {
        this(store, kind, what, companions, Set.of());
    }

    /** {@code unaudited}: further fields kept out of the history, e.g. ones some readers of the history may not see. */
    public AuditedRecords(RecordStore<T> store, RecordKind kind, String what, Companions<T> companions,
                          Set<String> unaudited) {
        this.store = store;
        this.kind = kind;
        this.what = what;
        this.history = new History(store.table());
        this.companions = companions;
        Set<String> all = new HashSet<>(NOT_AUDITED);
        all.addAll(unaudited);
        this.audited = store.described(what, Set.copyOf(all));
    }

    public RecordStore<T> store() {
        return store;
    }

    /** The type as units of work write it (history leaves out the unaudited fields). */
    public RecordType<T> type() {
        return audited;
    }

    public String what() {
        return what;
    }

    public Optional<T> find(String id) {
        return store.find(id);
    }

    /** A unit of work by a member of staff on this table. */
    public UnitOfWork unitOfWork(Caller caller) {
        return new UnitOfWork(store.table(), Actor.of(caller));
    }

    /** The record as the caller may see it: 404 when missing or out of scope; deleted ones only for managers. */
    public T visible(Caller caller, String id) {
        // only shown (GET of one record, its history): eventually consistent; changes read with find below
        T r = AccessPolicy.requireVisible(caller, kind, store.view(id).orElse(null), what);
        if (r.deletedAt() != null && !AccessPolicy.isManagerOrAdmin(caller)) {
            throw ApiException.notFound(what);
        }
        return r;
    }

    /** A live (not deleted) record the caller may change, at the version the caller's change is based on. */
    public T changeable(Caller caller, String id, long expectedVersion) {
        T r = AccessPolicy.requireVisible(caller, kind, store.find(id).orElse(null), what);
        if (r.deletedAt() != null) {
            throw ApiException.notFound(what);
        }
        AccessPolicy.requireChangeable(caller, kind, r, what);
        requireVersion(r, expectedVersion);
        return r;
    }

    public static void requireVersion(Audited r, long expected) {
        if (r.version() != expected) {
            throw ApiException.versionConflict(r.version());
        }
    }

    public T create(Caller caller, T record, String note) {
        return create(caller, record, note, null, uow -> {
        });
    }

    /**
     * Creates the record with its CREATED entry, its companions, the request's idempotency record ({@code claim},
     * may be null) and what {@code with} adds (guards ...): one transaction.
     */
    public T create(Caller caller, T record, String note, IdempotencyClaim claim, Consumer<UnitOfWork> with) {
        return create(caller, record, "CREATED", note, claim, with);
    }

    /** As {@link #create(Caller, Audited, String, IdempotencyClaim, Consumer)}, the history entry under {@code action}. */
    public T create(Caller caller, T record, String action, String note, IdempotencyClaim claim, Consumer<UnitOfWork> with) {
        UnitOfWork uow = unitOfWork(caller).create(audited, record, action, note).idempotent(claim);
        companions.write(null, record, uow);
        with.accept(uow);
        uow.commit();
        return record;
    }

    /** Writes {@code next} (changed by the caller) over {@code current}; records the changed fields under {@code action}. */
    public T save(Caller caller, T current, T next, String action, String note) {
        return save(caller, current, next, action, note, uow -> {
        });
    }

    /** As {@link #save(Caller, Audited, Audited, String, String)}, with more in the same transaction ({@code with}). */
    public T save(Caller caller, T current, T next, String action, String note, Consumer<UnitOfWork> with) {
        return write(Actor.of(caller), current, next, action, note, with);
    }

    private T write(Actor actor, T current, T next, String action, String note, Consumer<UnitOfWork> with) {
        T touched = Stamps.touched(next, actor.id(), actor.departmentId(), Instant.now().toString());
        UnitOfWork uow = new UnitOfWork(store.table(), actor).change(audited, current, touched, action, note);
        companions.write(current, touched, uow);
        with.accept(uow);
        uow.commit();
        return touched;
    }

    /**
     * Moves a record from one owner to another on a manager's behalf (staff departure): history REASSIGNED with the
     * note. A concurrent change is re-read and the move tried again on the new version, never overwritten.
     * {@link Reassignment#ALREADY_MOVED} when {@code to} owns it already (a retry), {@link Reassignment#NOT_OWNED}
     * when it is missing or someone else owns it now. {@code with} adds to the move's transaction (the departure's
     * ledger item).
     */
    public Reassignment reassign(Caller actor, String id, String fromOwnerId, String toOwnerId, String toDepartmentId,
                                 String note, Consumer<UnitOfWork> with) {
        for (int attempt = 0; attempt < Reassignment.ATTEMPTS; attempt++) {
            T current = store.find(id).orElse(null);
            Reassignment state = Reassignment.of(current == null ? null : current.ownerId(), fromOwnerId, toOwnerId);
            if (state != Reassignment.MOVED) {
                return state;
            }
            Map<String, Object> owner = Map.of("ownerId", toOwnerId, "departmentId", toDepartmentId);
            if (tryWrite(Actor.of(actor), current, Stamps.with(current, owner), "REASSIGNED", note, with).isPresent()) {
                return Reassignment.MOVED;
            }
        }
        throw ApiException.versionConflict(-1);
    }

    /** A write by a flow or job (no caller): the actor is named, e.g. {@code system:termination-flow}. Empty when stale. */
    public Optional<T> saveAsSystem(T current, T next, String actorId, String action, String note) {
        return tryWrite(Actor.system(actorId), current, next, action, note, uow -> {
        });
    }

    private Optional<T> tryWrite(Actor actor, T current, T next, String action, String note, Consumer<UnitOfWork> with) {
        try {
            return Optional.of(write(actor, current, next, action, note, with));
        } catch (ApiException e) {
            if ("VERSION_CONFLICT".equals(e.code())) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Soft delete: {@code deletable} throws when this record may not be deleted (e.g. an ACTIVE contract). */
    public T delete(Caller caller, String id, long expectedVersion, Consumer<T> deletable) {
        T current = changeable(caller, id, expectedVersion);
        deletable.accept(current);
        return save(caller, current, Stamps.deleted(current, caller.userId(), Instant.now().toString()), "DELETED", null);
    }

    public T restore(Caller caller, String id) {
        return restore(caller, id, r -> uow -> {
        });
    }

    /** As {@link #restore(Caller, String)}, with what {@code with} adds for the restored record in the same transaction. */
    public T restore(Caller caller, String id, java.util.function.Function<T, Consumer<UnitOfWork>> with) {
        T current = store.find(id).orElse(null);
        AccessPolicy.requireManagerOf(caller, kind, current, what, "restore a deleted " + what);
        if (current.deletedAt() == null) {
            throw ApiException.conflict("NOT_DELETED", what + " " + id + " is not deleted", "该记录未被删除", Map.of());
        }
        T restored = Stamps.restored(current);
        return save(caller, current, restored, "RESTORED", null, with.apply(restored));
    }

    public Page<HistoryEntry> history(Caller caller, String id, String cursor, int limit) {
        visible(caller, id);
        return history.list(store.type(), id, cursor, limit);
    }
}
