package com.rackflow.customers;

import com.rackflow.access.Owned;
import com.rackflow.access.Scope;
import com.rackflow.core.http.ApiException;
import com.rackflow.core.persistence.Items;
import com.rackflow.core.persistence.KeyQuery;
import com.rackflow.core.persistence.Keys;
import com.rackflow.core.persistence.Page;
import com.rackflow.core.persistence.Pager;
import com.rackflow.core.persistence.Table;
import com.rackflow.core.persistence.UnitOfWork;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The follow-up index (待跟进): one link item per customer, {@code CUSTOMER#<c>} / {@code FOLLOW_UP}, saying when the
 * customer is to be contacted next and by whom (the customer's owner), in the owner's (gsi1) and the department's
 * (gsi2) partitions under {@code FOLLOW_UP#<date>#<customerId>}: "due today", "overdue" and "this week" are sort-key
 * ranges. It is written only inside the unit of work of what changes it — the activity that sets or fulfils the
 * follow-up, the customer's reassignment (a manager's PATCH, a staff departure's move) — each write conditional on
 * the version read, so a concurrent change is read again, never overwritten (docs/keys.md, "Customer follow-ups").
 */
public final class FollowUps {

    /** One customer's next follow-up: set by the contact {@code activityId} that occurred at {@code activityOccurredAt}. */
    public record FollowUp(String customerId, String customerCode, String ownerId, String departmentId, LocalDate dueDate,
                           String activityId, String activityOccurredAt, String summary, String updatedAt, long version)
            implements Owned {

        FollowUp withOwner(String owner, String department, String at) {
            return new FollowUp(customerId, customerCode, owner, department, dueDate, activityId, activityOccurredAt, summary,
                    at, version + 1);
        }
    }

    private final Table table;

    public FollowUps(Table table) {
        this.table = table;
    }

    /** The customer's follow-up as stored now (consistent read). */
    public Optional<FollowUp> find(String customerId) {
        return table.get(Keys.followUp(customerId)).map(i -> Items.toRecord(i, FollowUp.class));
    }

    /**
     * What one contact (an activity created, changed, deleted or restored) does to its customer's follow-up, added to
     * the activity's unit of work:
     * <ul>
     * <li>the follow-up's own activity changed: its new date (none: cleared); deleted: cleared;</li>
     * <li>a newer contact set it: nothing;</li>
     * <li>a contact with a next follow-up date: that date, for the customer's owner;</li>
     * <li>a contact on or after the due date without a new date: the follow-up was done, cleared.</li>
     * </ul>
     * {@code customer} is as read for this write; the unit of work checks its owner is still the same, so a reassignment
     * meanwhile makes the write be read again (409 VERSION_CONFLICT, see {@link UnitOfWork#commitIfCurrent}).
     */
    public void afterContact(UnitOfWork uow, Customer customer, String activityId, String occurredAt, LocalDate nextDate,
                             String summary, boolean deleted) {
        FollowUp current = find(customer.customerId()).orElse(null);
        LocalDate contactDay = Instant.parse(occurredAt).atZone(CustomerService.BUSINESS_ZONE).toLocalDate();
        boolean own = current != null && current.activityId().equals(activityId);
        FollowUp next;
        if (deleted) {
            if (!own) {
                return;
            }
            next = null;
        } else if (own) {
            next = nextDate == null ? null : followUp(customer, activityId, occurredAt, nextDate, summary, current);
        } else if (current != null && current.activityOccurredAt().compareTo(occurredAt) > 0) {
            return;
        } else if (nextDate != null) {
            next = followUp(customer, activityId, occurredAt, nextDate, summary, current);
        } else if (current != null && !contactDay.isBefore(current.dueDate())) {
            next = null;
        } else {
            return;
        }
        uow.check(Keys.record(CustomerStore.TYPE, customer.customerId()), "#o = :o", Map.of("#o", "ownerId"),
                Map.of(":o", Items.s(customer.ownerId())), old -> ApiException.versionConflict(-1));
        if (next != null) {
            uow.putIfVersion(item(next), current == null ? 0 : current.version());
        } else if (current != null) {
            uow.deleteIfVersion(Keys.followUp(customer.customerId()), current.version());
        }
    }

    private static FollowUp followUp(Customer c, String activityId, String occurredAt, LocalDate date, String summary,
                                     FollowUp current) {
        return new FollowUp(c.customerId(), c.code(), c.ownerId(), c.departmentId(), date, activityId, occurredAt,
                summary, Instant.now().toString(), current == null ? 1 : current.version() + 1);
    }

    /** The customer's follow-up (if any) moves to its new owner in the reassignment's unit of work. */
    void moveWith(UnitOfWork uow, String customerId, String toOwnerId, String toDepartmentId) {
        find(customerId).filter(f -> !f.ownerId().equals(toOwnerId) || !f.departmentId().equals(toDepartmentId))
                .ifPresent(f -> uow.putIfVersion(item(f.withOwner(toOwnerId, toDepartmentId, Instant.now().toString())), f.version()));
    }

    /**
     * Follow-ups due from {@code from} to {@code to} (inclusive; null = open), earliest first: one owner's (gsi1) or one
     * department's (gsi2), kept to {@code scope}; paged with the one cursor style.
     */
    public Page<FollowUp> due(Scope scope, String ownerId, String departmentId, LocalDate from, LocalDate to, String cursor,
                              int limit) {
        String[] range = Keys.followUpRange(from == null ? null : from.toString(), to == null ? null : to.toString());
        KeyQuery q = ownerId != null
                ? KeyQuery.between(Keys.GSI_OWNER, Keys.ownerPartition(ownerId), range[0], range[1])
                : KeyQuery.between(Keys.GSI_DEPARTMENT, Keys.departmentPartition(departmentId), range[0], range[1]);
        return Pager.page(table, List.of(q.oldestFirst()), cursor, limit, i -> Items.toRecord(i, FollowUp.class), scope::includes);
    }

    static Map<String, AttributeValue> item(FollowUp f) {
        Map<String, AttributeValue> item = new HashMap<>(Items.fromRecord(f));
        item.putAll(Keys.followUp(f.customerId()).toMap());
        String sort = Keys.followUpSortKey(f.dueDate().toString(), f.customerId());
        item.put("gsi1pk", Items.s(Keys.ownerPartition(f.ownerId())));
        item.put("gsi1sk", Items.s(sort));
        item.put("gsi2pk", Items.s(Keys.departmentPartition(f.departmentId())));
        item.put("gsi2sk", Items.s(sort));
        return item;
    }
}
