package com.rackflow.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.core.history.Actor;
import com.rackflow.core.http.ApiException;
import com.rackflow.core.json.Json;
import com.rackflow.core.persistence.Guard;
import com.rackflow.core.persistence.IdempotencyClaim;
import com.rackflow.core.persistence.IdempotentReplay;
import com.rackflow.core.persistence.Items;
import com.rackflow.core.persistence.Key;
import com.rackflow.core.persistence.KeyQuery;
import com.rackflow.core.persistence.Keys;
import com.rackflow.core.persistence.RecordType;
import com.rackflow.core.persistence.Table;
import com.rackflow.core.persistence.UnitOfWork;
import com.rackflow.testing.LocalTable;
import com.rackflow.testing.WriteLog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The unit of work against the local DynamoDB (which runs transactions as AWS does), its requests logged. */
class UnitOfWorkTest {
    record Note(String noteId, String text, long version) {
    }

    static final RecordType<Note> NOTES = new RecordType<>() {
        @Override
        public String type() {
            return "NOTE";
        }

        @Override
        public String id(Note n) {
            return n.noteId();
        }

        @Override
        public long version(Note n) {
            return n.version();
        }

        @Override
        public Map<String, AttributeValue> item(Note n) {
            ObjectNode o = (ObjectNode) Json.tree(n);
            Key k = Keys.record("NOTE", n.noteId());
            o.put("pk", k.pk()).put("sk", k.sk());
            return Items.fromObject(o);
        }
    };

    static final Actor ACTOR = Actor.system("test");
    static Table base;
    static Table table;
    static final WriteLog log = new WriteLog();

    @BeforeAll
    static void setUp() {
        base = LocalTable.create();
        table = WriteLog.table(base, log);
    }

    @BeforeEach
    void clearLog() {
        log.clear();
    }

    static Note note() {
        return new Note(UUID.randomUUID().toString(), "first", 1);
    }

    static List<Map<String, AttributeValue>> history(String id) {
        return base.queryAll(KeyQuery.on(null, Keys.record("NOTE", id).pk(), Keys.HISTORY_PREFIX));
    }

    static RuntimeException duplicate(String holder) {
        return ApiException.conflict("DUPLICATE_NOTE", "held by " + holder, "重复", Map.of("existing", holder));
    }

    @Test
    void aCreateIsOneTransactionOfTheRecordAndItsHistoryEntry() {
        Note n = note();
        new UnitOfWork(table, ACTOR).create(NOTES, n, null).claim(new Guard("NOTE_TEXT", n.noteId()), n.noteId(), UnitOfWorkTest::duplicate).commit();

        assertThat(log.writes()).hasSize(1).first().isInstanceOf(TransactWriteItemsRequest.class);
        List<String> keys = WriteLog.keys((TransactWriteItemsRequest) log.writes().get(0));
        assertThat(keys).hasSize(3).contains("NOTE#" + n.noteId() + " | RECORD", "GUARD#NOTE_TEXT#" + n.noteId() + " | GUARD");
        assertThat(keys).anyMatch(k -> k.startsWith("NOTE#" + n.noteId() + " | HISTORY#"));
        assertThat(base.get(Keys.record("NOTE", n.noteId()))).isPresent();
        assertThat(history(n.noteId())).singleElement().satisfies(h -> {
            assertThat(h.get("action").s()).isEqualTo("CREATED");
            assertThat(h.get("actorId").s()).isEqualTo("test");
        });
    }

    @Test
    void aCrashAtTheOneWriteLeavesNeitherRecordNorHistoryNorGuard() {
        Note n = note();
        log.failWhen(r -> r instanceof TransactWriteItemsRequest);
        assertThatThrownBy(() -> new UnitOfWork(table, ACTOR).create(NOTES, n, null)
                .claim(new Guard("NOTE_TEXT", n.noteId()), n.noteId(), UnitOfWorkTest::duplicate).commit())
                .isInstanceOf(WriteLog.Crash.class);
        assertThat(base.get(Keys.record("NOTE", n.noteId()))).isEmpty();
        assertThat(history(n.noteId())).isEmpty();
        assertThat(base.get(new Guard("NOTE_TEXT", n.noteId()).key())).isEmpty();
    }

    @Test
    void aTakenGuardCancelsEverythingAndNamesTheHolder() {
        Note first = note();
        Guard g = new Guard("NOTE_TEXT", "same-" + first.noteId());
        new UnitOfWork(table, ACTOR).create(NOTES, first, null).claim(g, first.noteId(), UnitOfWorkTest::duplicate).commit();
        Note second = note();
        Guard other = new Guard("NOTE_TEXT", "free-" + second.noteId());
        assertThatThrownBy(() -> new UnitOfWork(table, ACTOR).create(NOTES, second, null)
                .claim(other, second.noteId(), UnitOfWorkTest::duplicate)
                .claim(g, second.noteId(), UnitOfWorkTest::duplicate).commit())
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.code()).isEqualTo("DUPLICATE_NOTE");
                    assertThat(e.details()).containsEntry("existing", first.noteId());
                });
        assertThat(base.get(Keys.record("NOTE", second.noteId()))).isEmpty();
        assertThat(history(second.noteId())).isEmpty();
        assertThat(base.get(other.key())).isEmpty();
        // the holder itself may claim again (a retry)
        Note changed = new Note(first.noteId(), "second", 2);
        new UnitOfWork(table, ACTOR).change(NOTES, first, changed, "CHANGED", null).claim(g, first.noteId(), UnitOfWorkTest::duplicate).commit();
        assertThat(history(first.noteId())).hasSize(2);
    }

    @Test
    void aStaleVersionIs409WithTheCurrentVersionAndAMissingRecord404() {
        Note n = note();
        new UnitOfWork(table, ACTOR).create(NOTES, n, null).commit();
        Note v2 = new Note(n.noteId(), "second", 2);
        new UnitOfWork(table, ACTOR).change(NOTES, n, v2, "CHANGED", null).commit();
        assertThat(history(n.noteId())).hasSize(2).anySatisfy(h -> {
            assertThat(h.get("action").s()).isEqualTo("CHANGED");
            assertThat(h.get("changes").l()).singleElement().satisfies(c -> assertThat(c.m().get("field").s()).isEqualTo("text"));
        });
        assertThatThrownBy(() -> new UnitOfWork(table, ACTOR).change(NOTES, n, new Note(n.noteId(), "stale", 2), "CHANGED", null).commit())
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo("VERSION_CONFLICT");
                    assertThat(e.details()).containsEntry("currentVersion", 2L);
                });
        Note missing = note();
        assertThatThrownBy(() -> new UnitOfWork(table, ACTOR).change(NOTES, missing, new Note(missing.noteId(), "x", 2), "CHANGED", null).commit())
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
        assertThat(history(n.noteId())).hasSize(2);
        assertThat(history(missing.noteId())).isEmpty();
    }

    @Test
    void anIdempotencyKeyAnswersOnceAndItsTokenIsTheTransactions() {
        Key k = Keys.idempotency("tester", "/notes", "key-" + UUID.randomUUID());
        long expires = Instant.now().plusSeconds(3600).getEpochSecond();
        IdempotencyClaim claim = new IdempotencyClaim(k, "hash", expires, 201);
        Note first = note();
        new UnitOfWork(table, ACTOR).create(NOTES, first, null).idempotent(claim).commit();
        assertThat(claim.written()).isTrue();
        TransactWriteItemsRequest t = (TransactWriteItemsRequest) log.writes().get(0);
        assertThat(t.clientRequestToken()).isEqualTo(claim.clientRequestToken()).hasSize(36);
        assertThat(base.get(k)).hasValueSatisfying(i -> assertThat(i.get("recordId").s()).isEqualTo(first.noteId()));

        // the same request built again (a retry whose first answer was lost): the first record answers, nothing new
        Note again = note();
        IdempotencyClaim retry = new IdempotencyClaim(k, "hash", expires, 201);
        assertThatThrownBy(() -> new UnitOfWork(table, ACTOR).create(NOTES, again, null).idempotent(retry).commit())
                .isInstanceOfSatisfying(IdempotentReplay.class, e -> assertThat(e.recordId()).isEqualTo(first.noteId()));
        assertThat(retry.written()).isFalse();
        assertThat(base.get(Keys.record("NOTE", again.noteId()))).isEmpty();
        assertThat(history(again.noteId())).isEmpty();
    }

    @Test
    void oneItemIsAPlainConditionalWrite() {
        Note n = note();
        new UnitOfWork(table, ACTOR).event("NOTE", n.noteId(), "VIEWED", List.of(), "a note").commit();
        assertThat(log.writes()).singleElement().isInstanceOf(PutItemRequest.class);
        assertThat(history(n.noteId())).hasSize(1);
    }

    @Test
    void overTheTransactionLimitsNothingIsSent() {
        UnitOfWork uow = new UnitOfWork(table, ACTOR);
        for (int i = 0; i < UnitOfWork.MAX_ITEMS + 1; i++) {
            uow.increment(Keys.counter("LIMIT#" + i), 1);
        }
        assertThatThrownBy(uow::commit).isInstanceOf(IllegalStateException.class).hasMessageContaining("100 items");
        assertThat(log.writes()).isEmpty();
        Note n = note();
        UnitOfWork twice = new UnitOfWork(table, ACTOR).create(NOTES, n, null);
        assertThatThrownBy(() -> twice.change(NOTES, n, n, "CHANGED", null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("written twice");
    }
}
