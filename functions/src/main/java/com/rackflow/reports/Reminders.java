package com.rackflow.reports;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.core.json.Json;
import com.rackflow.core.persistence.Items;
import com.rackflow.core.persistence.Key;
import com.rackflow.core.persistence.KeyQuery;
import com.rackflow.core.persistence.Keys;
import com.rackflow.core.persistence.RecordType;
import com.rackflow.core.persistence.Table;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reminders in their owners' inboxes (keys: docs/keys.md, "Reports"): their store adapter. */
public final class Reminders {
    public static final String TYPE = "REMINDER";
    /** Reminders as units of work write them (history: {@code REMINDER#<reminderId>}). */
    public static final RecordType<Reminder> RECORDS = RecordType.of(TYPE, "reminder", Reminder::reminderId,
            Reminder::version, Reminders::item);

    private final Table table;

    public Reminders(Table table) {
        this.table = table;
    }

    public Optional<Reminder> find(String reminderId) {
        return table.get(Keys.record(TYPE, reminderId)).map(Reminders::reminder);
    }

    /** The oldest {@code limit} reminders in one person's inbox. */
    public List<Reminder> ownedBy(String userId, int limit) {
        return table.query(query(userId).oldestFirst(), null, limit).items().stream().map(Reminders::reminder).toList();
    }

    /** One person's reminders (gsi1 {@code INBOX#USER#<u>}, sk begins_with {@code REMINDER#}), newest first. */
    public static KeyQuery query(String userId) {
        return KeyQuery.on(Keys.GSI_OWNER, Keys.userInbox(userId), Keys.REMINDER_PREFIX);
    }

    public static Reminder reminder(Map<String, AttributeValue> item) {
        return Items.toRecord(item, Reminder.class);
    }

    public static Map<String, AttributeValue> item(Reminder r) {
        ObjectNode o = (ObjectNode) Json.tree(r);
        Key key = Keys.record(TYPE, r.reminderId());
        o.put("pk", key.pk());
        o.put("sk", key.sk());
        String sort = Keys.REMINDER_PREFIX + r.createdAt() + "#" + r.reminderId();
        o.put("gsi1pk", Keys.userInbox(r.ownerId()));
        o.put("gsi1sk", sort);
        o.put("gsi2pk", Keys.departmentPartition(r.departmentId()));
        o.put("gsi2sk", sort);
        return Items.fromObject(o);
    }
}
