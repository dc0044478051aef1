package com.rackflow.staffdepartures;

import com.rackflow.access.Caller;
import com.rackflow.activities.ActivityService;
import com.rackflow.contracts.ContractService;
import com.rackflow.core.history.History;
import com.rackflow.core.persistence.Items;
import com.rackflow.core.persistence.Key;
import com.rackflow.core.persistence.KeyQuery;
import com.rackflow.core.persistence.Keys;
import com.rackflow.core.persistence.Table;
import com.rackflow.core.persistence.UniqueValues;
import com.rackflow.core.persistence.UniqueValues.Claim;
import com.rackflow.core.records.Reassignment;
import com.rackflow.customers.Customer;
import com.rackflow.customers.CustomerService;
import com.rackflow.directory.StaffDirectory;
import com.rackflow.directory.StaffUser;
import com.rackflow.directory.UserStatus;
import com.rackflow.servicerecords.ServiceRecordService;
import com.rackflow.workitems.FlowSteps;
import com.rackflow.workitems.FlowTaskHandler;
import com.rackflow.workitems.WorkItemService;
import com.rackflow.workitems.WorkItemStatus;
import com.rackflow.workitems.WorkItemStore;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Staff departure, the state machine's side. A departure moves hundreds of records, far more than one transaction
 * holds (100 items), so it runs as many units of work, one per record; the move ledger below is what ties them into one
 * departure (which receiver got which customer, what was counted) and is kept for that reason alone. {@link #moveBatch} moves at most {@link #BATCH} records of the departing
 * person's owner partition (gsi1) per call, customers first; {@link #finish} sets the person DEPARTED, sends the flow
 * back for anything still owned, else completes with counts from the ledger. Every step is safe to run again:
 * <ul>
 * <li>before a record moves, a PENDING ledger item names its receiver; the next call finishes any it finds;</li>
 * <li>a record moves only while the departing person still owns it (versioned write; a concurrent change is re-read,
 * never overwritten), so a second run moves nothing twice;</li>
 * <li>each moved record gets one MOVED ledger item (conditional put): counts come from those, never twice.</li>
 * </ul>
 */
public final class DepartureMoves implements FlowSteps {
    static final int BATCH = 100;
    static final String PENDING = "PENDING";
    static final String MOVED = "MOVED";

    /** Moves one record of a kind from one owner to another for the manager; see {@link Reassignment}. */
    @FunctionalInterface
    interface Reassigner {
        Reassignment reassign(Caller actor, String id, String from, String to, String toDepartmentId, String note);
    }

    private final Table table;
    private final DepartureStore store;
    private final UniqueValues unique;
    private final History history;
    private final StaffDirectory directory;
    private final CustomerService customers;
    private final WorkItemService workItems;
    private final WorkItemStore workItemStore;
    private final Map<MovedType, Reassigner> movers = new EnumMap<>(MovedType.class);
    private final int batch;

    public DepartureMoves(Table table, WorkItemService workItems) {
        this(table, workItems, BATCH);
    }

    /** {@code batch}: records per {@link #moveBatch} (tests use small batches to run many). */
    DepartureMoves(Table table, WorkItemService workItems, int batch) {
        this.batch = batch;
        this.table = table;
        this.store = new DepartureStore(table);
        this.unique = new UniqueValues(table);
        this.history = new History(table);
        this.directory = new StaffDirectory(table);
        this.customers = new CustomerService(table);
        this.workItems = workItems;
        this.workItemStore = new WorkItemStore(table);
        movers.put(MovedType.CUSTOMER, customers::reassign);
        movers.put(MovedType.ACTIVITY, new ActivityService(table)::reassign);
        movers.put(MovedType.CONTRACT, new ContractService(table)::reassign);
        movers.put(MovedType.SERVICE_RECORD, new ServiceRecordService(table)::reassign);
    }

    /**
     * The state machine's steps: {@code moveBatch} (answers {@code more}), {@code finish} (answers {@code completed}),
     * {@code compensate} (the caught error: the departure is FAILED).
     */
    @Override
    public Map<String, Step> steps() {
        Map<String, Step> steps = new LinkedHashMap<>();
        steps.put("moveBatch", (id, e, out) -> out.put("more", moveBatch(id)));
        steps.put("finish", (id, e, out) -> out.put("completed", finish(id)));
        steps.put("compensate", (id, e, out) -> out.put("status", endEarly(id, FlowTaskHandler.error(e), FlowTaskHandler.cause(e))));
        return steps;
    }

    @Override
    public String endEarly(String departureId, String error, String cause) {
        return fail(departureId, error, cause).status().name();
    }

    @Override
    public boolean exists(String departureId) {
        return store.find(departureId).isPresent();
    }

    @Override
    public boolean isCurrentExecution(String departureId, String executionName) {
        return store.find(departureId).map(d -> d.executionName().equals(executionName)).orElse(true);
    }

    /** One batch; true while there may be more to move (the state machine loops), false once work items moved too. */
    public boolean moveBatch(String departureId) {
        StaffDeparture d = store.require(departureId);
        if (d.status() != DepartureStatus.RUNNING) {
            return false;
        }
        Map<MovedType, Integer> counted = new EnumMap<>(MovedType.class);
        for (Map<String, AttributeValue> p : table.query(KeyQuery.on(null, Keys.record(DepartureStore.TYPE, departureId).pk(),
                Keys.departureMovePrefix(PENDING, null)), null, batch).items()) {
            MovedType type = MovedType.valueOf(p.get("type").s());
            if (finishMove(d, type, p.get("recordId").s(), p.get("receiverId").s())) {
                counted.merge(type, 1, Integer::sum);
            }
        }
        int index = d.nextReceiverIndex();
        Map<String, String> receiverOfCustomer = new HashMap<>();
        for (MovedType type : MovedType.OWNED) {
            List<Map<String, AttributeValue>> owned = ownedBy(d.departingUserId(), type, batch);
            if (owned.isEmpty()) {
                continue;
            }
            for (Map<String, AttributeValue> item : owned) {
                String recordId = item.get(type.idField()).s();
                String receiver = type == MovedType.CUSTOMER ? d.receiverOfCustomer(recordId, index++)
                        : receiverOfCustomer.computeIfAbsent(item.get("customerId").s(), c -> receiverOf(d, c));
                table.put(ledger(d, PENDING, type, recordId, receiver));
                if (finishMove(d, type, recordId, receiver)) {
                    counted.merge(type, 1, Integer::sum);
                }
            }
            progress(d, counted, index);
            return true;
        }
        counted.merge(MovedType.WORK_ITEM, moveWorkItems(d), Integer::sum);
        progress(d, counted, index);
        return false;
    }

    /**
     * Open work items follow the customer they are about to its new owner (the default receiver when the customer is
     * not one of the departing person's); each becomes PENDING first, like the records, then moves with
     * {@link WorkItemService#reassignOpen(String, String, String, Caller)}.
     */
    private int moveWorkItems(StaffDeparture d) {
        var open = workItemStore.openAssignedTo(d.departingUserId());
        if (open.isEmpty()) {
            return 0;
        }
        Map<String, String> receiverOfCustomer = new HashMap<>();
        int counted = 0;
        for (var w : open) {
            String receiver = w.customerId() == null ? d.defaultReceiverId()
                    : receiverOfCustomer.computeIfAbsent(w.customerId(), c -> receiverOf(d, c));
            table.put(ledger(d, PENDING, MovedType.WORK_ITEM, w.workItemId(), receiver));
            counted += finishMove(d, MovedType.WORK_ITEM, w.workItemId(), receiver) ? 1 : 0;
        }
        return counted;
    }

    /** Moves (or confirms the earlier move of) one record, records MOVED once, clears its PENDING item. */
    private boolean finishMove(StaffDeparture d, MovedType type, String recordId, String receiver) {
        Caller actor = d.starter();
        Reassignment r = type == MovedType.WORK_ITEM
                ? reassignWorkItem(d, recordId, receiver, actor)
                : movers.get(type).reassign(actor, recordId, d.departingUserId(), receiver, d.departmentId(), d.historyNote());
        Key moved = Keys.departureMove(d.departureId(), MOVED, type.recordType(), recordId);
        // the audit entry is written before MOVED: a record not yet MOVED may have lost it in a crash
        if (r == Reassignment.ALREADY_MOVED && type != MovedType.WORK_ITEM && table.get(moved).isEmpty()) {
            ensureHistory(d, type, recordId, actor);
        }
        boolean counted = r != Reassignment.NOT_OWNED && table.putIfAbsent(ledger(d, MOVED, type, recordId, receiver));
        table.delete(Keys.departureMove(d.departureId(), PENDING, type.recordType(), recordId));
        return counted;
    }

    private Reassignment reassignWorkItem(StaffDeparture d, String workItemId, String receiver, Caller actor) {
        if (workItems.reassignOpen(workItemId, d.departingUserId(), receiver, actor)) {
            return Reassignment.MOVED;
        }
        var w = workItemStore.find(workItemId).orElse(null);
        boolean withReceiver = w != null && w.status() == WorkItemStatus.OPEN && receiver.equals(w.assigneeId());
        return withReceiver ? Reassignment.ALREADY_MOVED : Reassignment.NOT_OWNED;
    }

    /** A record moved before a crash may lack its history entry: add it unless the departure's entry is there. */
    private void ensureHistory(StaffDeparture d, MovedType type, String recordId, Caller actor) {
        boolean recorded = history.list(type.recordType(), recordId, null, 20).items().stream()
                .anyMatch(e -> "REASSIGNED".equals(e.action()) && d.historyNote().equals(e.note()));
        if (!recorded) {
            history.record(type.recordType(), recordId, "REASSIGNED", actor, List.of(), d.historyNote());
        }
    }

    /** Where a customer's records go: where this departure sent the customer, else its owner if a receiver, else the default. */
    private String receiverOf(StaffDeparture d, String customerId) {
        var moved = table.get(Keys.departureMove(d.departureId(), MOVED, MovedType.CUSTOMER.recordType(), customerId));
        if (moved.isPresent()) {
            return moved.get().get("receiverId").s();
        }
        String owner = customers.find(customerId).map(Customer::ownerId).orElse(null);
        return owner != null && d.isReceiver(owner) ? owner : d.receiverOfCustomer(customerId, 0);
    }

    private List<Map<String, AttributeValue>> ownedBy(String userId, MovedType type, int limit) {
        return table.query(KeyQuery.on(Keys.GSI_OWNER, Keys.ownerPartition(userId), type.recordType() + "#").oldestFirst(),
                null, limit).items();
    }

    private static Map<String, AttributeValue> ledger(StaffDeparture d, String state, MovedType type, String recordId,
                                                      String receiver) {
        Key k = Keys.departureMove(d.departureId(), state, type.recordType(), recordId);
        Map<String, AttributeValue> item = new HashMap<>(k.toMap());
        item.put("type", Items.s(type.name()));
        item.put("recordId", Items.s(recordId));
        item.put("receiverId", Items.s(receiver));
        item.put("at", Items.s(Instant.now().toString()));
        return item;
    }

    private void progress(StaffDeparture d, Map<MovedType, Integer> counted, int nextIndex) {
        if (counted.isEmpty() && nextIndex == d.nextReceiverIndex()) {
            return;
        }
        store.update(d.departureId(), x -> x.progressed(x.moved().plus(counted), Math.max(nextIndex, x.nextReceiverIndex()),
                Instant.now().toString()));
    }

    /**
     * The person is set DEPARTED (no more sign-in), then what they still own is looked for once more (records made
     * while the move ran): if any, false, and the flow moves another batch; else the departure COMPLETES with the
     * counts of its ledger.
     */
    public boolean finish(String departureId) {
        StaffDeparture d = store.require(departureId);
        if (d.status() != DepartureStatus.RUNNING) {
            return true;
        }
        depart(d);
        boolean left = workItemStore.openAssignedTo(d.departingUserId()).stream().findAny().isPresent();
        for (MovedType type : MovedType.OWNED) {
            left |= !ownedBy(d.departingUserId(), type, 1).isEmpty();
        }
        if (left) {
            return false;
        }
        end(store, unique, history, departureId, DepartureStatus.COMPLETED, null);
        return true;
    }

    /** The flow failed after its retries: the departure is FAILED (what moved stays moved; a new one moves the rest). */
    public StaffDeparture fail(String departureId, String error, String cause) {
        String why = (error == null ? "failed" : error) + (cause == null ? "" : ": " + cause);
        return end(store, unique, history, departureId, DepartureStatus.FAILED, why.length() > 500 ? why.substring(0, 500) : why);
    }

    private void depart(StaffDeparture d) {
        StaffUser u = directory.user(d.departingUserId()).orElse(null);
        if (u == null || u.status() == UserStatus.DEPARTED) {
            return;
        }
        StaffUser departed = new StaffUser(u.userId(), u.displayName(), u.role(), u.departmentId(), UserStatus.DEPARTED,
                u.email(), u.version() + 1, u.createdAt(), Instant.now().toString());
        try {
            directory.unitOfWork(com.rackflow.core.history.Actor.of(d.starter()))
                    .change(StaffDirectory.USERS, u, departed, "DISABLED", d.historyNote()).commit();
        } catch (com.rackflow.core.http.ApiException e) {
            if (!"VERSION_CONFLICT".equals(e.code())) {
                throw e;
            }
            depart(d);
        }
    }

    /** Ends a RUNNING departure once, with the ledger's counts, and frees the person for another departure. */
    static StaffDeparture end(DepartureStore store, UniqueValues unique, History history, String departureId,
                              DepartureStatus to, String failure) {
        StaffDeparture before = store.require(departureId);
        DepartureStore.Tally tally = store.tally(departureId);
        StaffDeparture ended = store.update(departureId, x -> x.status() != DepartureStatus.RUNNING ? x
                : x.ended(to, tally.moved(), tally.perReceiver(), failure, Instant.now().toString()));
        unique.releaseAll(departureId, List.of(new Claim(StaffDepartureService.OPEN_GUARD, ended.departingUserId())));
        if (before.status() == DepartureStatus.RUNNING && ended.status() == to) {
            history.record(DepartureStore.TYPE, departureId, to.name(), "system:staff-departure", "SYSTEM", null,
                    History.diff(before, ended, Set.of("version", "updatedAt", "nextReceiverIndex")), failure);
        }
        return ended;
    }
}
