package com.rackflow.staffdepartures;

import com.rackflow.access.Caller;
import com.rackflow.access.Owned;
import com.rackflow.access.Role;

import java.util.List;
import java.util.Map;

/**
 * A staff departure (离职交接): everything one person owns moves to colleagues of their department, then the person
 * is DEPARTED. Seen by the department's manager and admins (the departing person's directory scope). The
 * departure id is also the name of the state machine execution that moves the records.
 */
public record StaffDeparture(String departureId, String departingUserId, String departingUserName, String departmentId,
                             List<Receiver> receivers, SplitRule split, List<Assignment> assignments,
                             String defaultReceiverId, String note, DepartureStatus status, MovedCounts moved,
                             String executionArn, int runs, String failure,
                             String startedBy, Role startedByRole, String startedByDepartmentId, String startedAt,
                             String completedAt, String updatedAt, long version) implements Owned {

    /** A receiving colleague; {@code moved}: what they received, once the departure has ended. */
    public record Receiver(String userId, String displayName, MovedCounts moved) {
    }

    /** One customer given to a named colleague ({@link SplitRule#ASSIGNED}). */
    public record Assignment(String customerId, String receiverId) {
    }

    @Override
    public String ownerId() {
        return departingUserId;
    }

    /** The manager (or admin) who started it: the moves are theirs in every record's history. */
    public Caller starter() {
        return new Caller(startedBy, startedByRole, startedByDepartmentId);
    }

    /** The note of every moved record's history entry: names the departure. */
    public String historyNote() {
        return "离职交接 " + departureId + " (staff departure)";
    }

    /**
     * The receiver of the {@code index}-th customer handed out (round robin), or of a listed customer (assigned). A
     * record that does not follow a customer of the departure goes to {@link #defaultReceiverId}.
     */
    public String receiverOfCustomer(String customerId, int index) {
        if (split == SplitRule.ASSIGNED) {
            return assignments.stream().filter(a -> a.customerId().equals(customerId)).map(Assignment::receiverId)
                    .findFirst().orElse(defaultReceiverId);
        }
        return receivers.get(Math.floorMod(index, receivers.size())).userId();
    }

    public boolean isReceiver(String userId) {
        return receivers.stream().anyMatch(r -> r.userId().equals(userId));
    }

    StaffDeparture progressed(MovedCounts moved, String at) {
        return new StaffDeparture(departureId, departingUserId, departingUserName, departmentId, receivers, split,
                assignments, defaultReceiverId, note, status, moved, executionArn, runs, failure, startedBy,
                startedByRole, startedByDepartmentId, startedAt, completedAt, at, version + 1);
    }

    StaffDeparture started(String executionArn, String at) {
        return new StaffDeparture(departureId, departingUserId, departingUserName, departmentId, receivers, split,
                assignments, defaultReceiverId, note, status, moved, executionArn, runs, failure, startedBy,
                startedByRole, startedByDepartmentId, startedAt, completedAt, at, version + 1);
    }

    /** The state machine execution of this run: the departure id, then {@code <id>-<run>} for each retry. */
    public String executionName() {
        return runs <= 1 ? departureId : departureId + "-" + runs;
    }

    /** A FAILED departure run again: the ledger stays, so only what has not moved moves, and counts go on. */
    StaffDeparture retried(String at) {
        if (!status.mayMoveTo(DepartureStatus.RUNNING)) {
            throw new IllegalStateException("a " + status + " departure cannot be run again");
        }
        List<Receiver> cleared = receivers.stream().map(r -> new Receiver(r.userId(), r.displayName(), null)).toList();
        return new StaffDeparture(departureId, departingUserId, departingUserName, departmentId, cleared, split,
                assignments, defaultReceiverId, note, DepartureStatus.RUNNING, moved, null, runs + 1, null,
                startedBy, startedByRole, startedByDepartmentId, startedAt, null, at, version + 1);
    }

    /** The end, with the counts of the move ledger: in all and per receiver. */
    StaffDeparture ended(DepartureStatus to, MovedCounts moved, Map<String, MovedCounts> perReceiver, String failure, String at) {
        if (!status.mayMoveTo(to)) {
            throw new IllegalStateException("a " + status + " departure cannot become " + to);
        }
        List<Receiver> received = receivers.stream()
                .map(r -> new Receiver(r.userId(), r.displayName(), perReceiver.getOrDefault(r.userId(), MovedCounts.NONE))).toList();
        return new StaffDeparture(departureId, departingUserId, departingUserName, departmentId, received, split,
                assignments, defaultReceiverId, note, to, moved, executionArn, runs, failure, startedBy,
                startedByRole, startedByDepartmentId, startedAt, at, at, version + 1);
    }
}
