package com.rackflow.core.records;

import com.rackflow.access.AccessPolicy;
import com.rackflow.access.Caller;
import com.rackflow.access.RecordKind;
import com.rackflow.core.history.Change;
import com.rackflow.core.history.History;
import com.rackflow.core.history.HistoryEntry;
import com.rackflow.core.http.ApiException;
import com.rackflow.core.persistence.Page;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The rules every audited CRM record shares: visibility through the access policy (out of scope = missing),
 * versioned changes (stale → 409), history of every write, soft delete with a manager's restore. The feature's
 * service adds its own rules (what may be changed, which statuses may be deleted) around these.
 */
public final class AuditedRecords<T extends Audited> {
    public static final Set<String> NOT_AUDITED = Set.of("version", "updatedAt", "updatedBy", "modifiedByDepartmentId");

    private final RecordStore<T> store;
    private final RecordKind kind;
    private final String what;
    private final History history;
    private final Consumer<T> afterWrite;
    private final Set<String> notAudited;

    /** {@code afterWrite} runs after every successful write of the record (e.g. to refresh its link items). */
    public AuditedRecords(RecordStore<T> store, RecordKind kind, String what, History history, Consumer<T> afterWrite) {
        this(store, kind, what, history, afterWrite, Set.of());
    }

    /** {@code unaudited}: further fields kept out of the history, e.g. ones some readers of the history may not see. */
    public AuditedRecords(RecordStore<T> store, RecordKind kind, String what, History history, Consumer<T> afterWrite,
                          Set<String> unaudited) {
        this.store = store;
        this.kind = kind;
        this.what = what;
        this.history = history;
        this.afterWrite = afterWrite;
        Set<String> all = new java.util.HashSet<>(NOT_AUDITED);
        all.addAll(unaudited);
        this.notAudited = Set.copyOf(all);
    }

    public RecordStore<T> store() {
        return store;
    }

    public String what() {
        return what;
    }

    public Optional<T> find(String id) {
        return store.find(id);
    }

    /** The record as the caller may see it: 404 when missing or out of scope; deleted ones only for managers. */
    public T visible(Caller caller, String id) {
        T r = AccessPolicy.requireVisible(caller, kind, store.find(id).orElse(null), what);
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
        if (!store.insert(record)) {
            throw new IllegalStateException(what + " id collision " + record.recordId());
        }
        afterWrite.accept(record);
        history.record(store.type(), record.recordId(), "CREATED", caller, History.diff(null, record, notAudited), note);
        return record;
    }

    /** Writes {@code next} (changed by the caller) over {@code current}; records the changed fields under {@code action}. */
    public T save(Caller caller, T current, T next, String action, String note) {
        T touched = Stamps.touched(next, caller.userId(), caller.departmentId(), Instant.now().toString());
        if (!store.replace(touched, current.version())) {
            throw ApiException.versionConflict(store.find(current.recordId()).map(Audited::version).orElse(-1L));
        }
        afterWrite.accept(touched);
        List<Change> changes = History.diff(current, touched, notAudited);
        if (!changes.isEmpty() || note != null) {
            history.record(store.type(), current.recordId(), action, caller, changes, note);
        }
        return touched;
    }

    /**
     * Moves a record from one owner to another on a manager's behalf (staff departure): history REASSIGNED with the
     * note. A concurrent change is re-read and the move tried again on the new version, never overwritten.
     * {@link Reassignment#ALREADY_MOVED} when {@code to} owns it already (a retry), {@link Reassignment#NOT_OWNED}
     * when it is missing or someone else owns it now.
     */
    public Reassignment reassign(Caller actor, String id, String fromOwnerId, String toOwnerId, String toDepartmentId,
                                 String note) {
        for (int attempt = 0; attempt < Reassignment.ATTEMPTS; attempt++) {
            T current = store.find(id).orElse(null);
            Reassignment state = Reassignment.of(current == null ? null : current.ownerId(), fromOwnerId, toOwnerId);
            if (state != Reassignment.MOVED) {
                return state;
            }
            Map<String, Object> owner = Map.of("ownerId", toOwnerId, "departmentId", toDepartmentId);
            T touched = Stamps.touched(Stamps.with(current, owner), actor.userId(), actor.departmentId(), Instant.now().toString());
            if (store.replace(touched, current.version())) {
                afterWrite.accept(touched);
                history.record(store.type(), id, "REASSIGNED", actor, History.diff(current, touched, notAudited), note);
                return Reassignment.MOVED;
            }
        }
        throw ApiException.versionConflict(-1);
    }

    /** A write by a flow or job (no caller): the actor is named, e.g. {@code system:termination-flow}. */
    public Optional<T> saveAsSystem(T current, T next, String actorId, String action, String note) {
        T touched = Stamps.touched(next, actorId, null, Instant.now().toString());
        if (!store.replace(touched, current.version())) {
            return Optional.empty();
        }
        afterWrite.accept(touched);
        history.record(store.type(), current.recordId(), action, actorId, "SYSTEM", null,
                History.diff(current, touched, notAudited), note);
        return Optional.of(touched);
    }

    /** Soft delete: {@code deletable} throws when this record may not be deleted (e.g. an ACTIVE contract). */
    public T delete(Caller caller, String id, long expectedVersion, Consumer<T> deletable) {
        T current = changeable(caller, id, expectedVersion);
        deletable.accept(current);
        return save(caller, current, Stamps.deleted(current, caller.userId(), Instant.now().toString()), "DELETED", null);
    }

    public T restore(Caller caller, String id) {
        T current = store.find(id).orElse(null);
        AccessPolicy.requireManagerOf(caller, kind, current, what, "restore a deleted " + what);
        if (current.deletedAt() == null) {
            throw ApiException.conflict("NOT_DELETED", what + " " + id + " is not deleted", "该记录未被删除", Map.of());
        }
        return save(caller, current, Stamps.restored(current), "RESTORED", null);
    }

    public Page<HistoryEntry> history(Caller caller, String id, String cursor, int limit) {
        visible(caller, id);
        return history.list(store.type(), id, cursor, limit);
    }
}
