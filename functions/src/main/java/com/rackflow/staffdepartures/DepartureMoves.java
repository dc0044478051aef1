package com.rackflow.staffdepartures;

import com.rackflow.access.Caller;
import com.rackflow.activities.ActivityService;
import com.rackflow.contracts.Contract;
import com.rackflow.contracts.ContractService;
import com.rackflow.core.history.Actor;
import com.rackflow.core.http.ApiException;
import com.rackflow.core.persistence.Guard;
import com.rackflow.core.persistence.Items;
import com.rackflow.core.persistence.KeyQuery;
import com.rackflow.core.persistence.Keys;
import com.rackflow.core.persistence.Table;
import com.rackflow.core.persistence.UnitOfWork;
import com.rackflow.core.records.Reassignment;
import com.rackflow.customers.Customer;
import com.rackflow.customers.CustomerService;
import com.rackflow.directory.Department;
import com.rackflow.directory.StaffDirectory;
import com.rackflow.directory.StaffUser;
import com.rackflow.directory.UserStatus;
import com.rackflow.flows.ContractFlows;
import com.rackflow.reports.Reminder;
import com.rackflow.reports.Reminders;
import com.rackflow.servicerecords.ServiceRecordService;
import com.rackflow.workitems.FlowSteps;
import com.rackflow.workitems.FlowTaskHandler;
import com.rackflow.workitems.WorkItem;
import com.rackflow.workitems.WorkItemStatus;
import com.rackflow.workitems.WorkItemStore;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Staff departure, the state machine's side. {@link #moveBatch} moves at most {@link #BATCH} of the departing person's
 * things per call: the records of their owner partition (gsi1), customers first so that each customer's activities,
 * contracts and service records follow it; then what waits in their inbox: open work items assigned or escalated to
 * them, and their reminders. {@link #finish} sets the person DEPARTED, sends the flow back for anything still theirs,
 * else completes with the counts of the ledger.
 * <p>
 * Each record moves in its own unit of work: the record (with its new index keys), its history entry and the
 * departure's ledger item {@code MOVED#<TYPE>#<id>}, all or nothing. The move is conditional on the version read, and
 * the record is read again by key before each move, so a batch run again after a kill (or a late duplicate call)
 * finds it moved and moves nothing twice. The ledger exists only because a departure is larger than one transaction
 * (100 items): it ties the many transactions into one departure — which colleague got which customer (its records
 * follow), and what was moved (the counts, each record once).
 */
public final class DepartureMoves implements FlowSteps {
    static final int BATCH = 100;
    static final String SYSTEM = "system:staff-departure";

    /** Moves one record of a kind from one owner to another for the manager, with more in its transaction. */
    @FunctionalInterface
    interface Reassigner {
        Reassignment reassign(Caller actor, String id, String from, String to, String toDepartmentId, String note,
                              Consumer<UnitOfWork> with);
    }

    private final Table table;
    private final DepartureStore store;
    private final StaffDirectory directory;
    private final CustomerService customers;
    private final ContractService contracts;
    private final WorkItemStore workItems;
    private final Reminders reminders;
    private final Map<MovedType, Reassigner> movers = new EnumMap<>(MovedType.class);
    private final int batch;

    public DepartureMoves(Table table) {
        this(table, BATCH);
    }

    /** {@code batch}: records per {@link #moveBatch} (tests use small batches to run many). */
    DepartureMoves(Table table, int batch) {
        this.batch = batch;
        this.table = table;
        this.store = new DepartureStore(table);
        this.directory = new StaffDirectory(table);
        this.customers = new CustomerService(table);
        this.contracts = new ContractService(table);
        this.workItems = new WorkItemStore(table);
        this.reminders = new Reminders(table);
        movers.put(MovedType.CUSTOMER, customers::reassign);
        movers.put(MovedType.ACTIVITY, new ActivityService(table)::reassign);
        ContractFlows flows = new ContractFlows(table);
        movers.put(MovedType.CONTRACT, (actor, id, from, to, toDepartmentId, note, with) -> contracts.reassign(actor, id,
                from, to, toDepartmentId, note, with.andThen(uow -> flows.follow(id, from, to, toDepartmentId, note, uow))));
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

    /** One batch; true while there may be more to move (the state machine loops), false once nothing was found. */
    public boolean moveBatch(String departureId) {
        StaffDeparture d = store.require(departureId);
        if (d.status() != DepartureStatus.RUNNING) {
            return false;
        }
        Map<MovedType, Integer> counted = new EnumMap<>(MovedType.class);
        boolean more = moveOwned(d, counted) || moveWorkItems(d, counted) || moveReminders(d, counted);
        progress(d, counted);
        return more;
    }

    /** The next batch of the first kind of record the person still owns; false when they own none. */
    private boolean moveOwned(StaffDeparture d, Map<MovedType, Integer> counted) {
        Map<String, String> receiverOfCustomer = new HashMap<>();
        for (MovedType type : MovedType.OWNED) {
            List<Map<String, AttributeValue>> owned = ownedBy(d.departingUserId(), type, batch);
            if (owned.isEmpty()) {
                continue;
            }
            long handedOut = type == MovedType.CUSTOMER ? customersHandedOut(d) : 0;
            for (Map<String, AttributeValue> item : owned) {
                String recordId = item.get(type.idField()).s();
                String receiver = type == MovedType.CUSTOMER ? d.receiverOfCustomer(recordId, (int) handedOut)
                        : receiverOfCustomer.computeIfAbsent(item.get("customerId").s(), c -> receiverOf(d, c));
                Reassignment r = movers.get(type).reassign(d.starter(), recordId, d.departingUserId(), receiver,
                        d.departmentId(), d.historyNote(), uow -> {
                            uow.put(ledger(d, type, recordId, receiver));
                            if (type == MovedType.CUSTOMER && d.split() == SplitRule.ROUND_ROBIN) {
                                // the round robin's position moves with the customer, so a batch run again goes on from here
                                uow.increment(Keys.departureSplitCounter(d.departureId()), 1);
                            }
                        });
                if (r == Reassignment.MOVED) {
                    counted.merge(type, 1, Integer::sum);
                    handedOut++;
                }
            }
            return true;
        }
        return false;
    }

    private long customersHandedOut(StaffDeparture d) {
        return table.get(Keys.departureSplitCounter(d.departureId())).map(i -> Long.parseLong(i.get("value").n())).orElse(0L);
    }

    /** The next batch of open work items assigned or escalated to the person; false when there are none. */
    private boolean moveWorkItems(StaffDeparture d, Map<MovedType, Integer> counted) {
        List<WorkItem> waiting = workItems.openWaitingOn(d.departingUserId(), batch);
        Map<String, String> receiverOfCustomer = new HashMap<>();
        for (WorkItem listed : waiting) {
            if (moveOnce(() -> handOver(d, listed.workItemId(), receiverOfCustomer))) {
                counted.merge(MovedType.WORK_ITEM, 1, Integer::sum);
            }
        }
        return !waiting.isEmpty();
    }

    /**
     * An open work item's places held by the departing person, handed over in one unit of work (the item with its inbox
     * keys, the flow's history entry, the ledger item); empty when it is not open or not theirs (any more).
     * <ul>
     * <li>Assigned to them: to the colleague who now has the item's customer (the default receiver when it has none),
     * not back to the role's queue: a stage given to one person is the customer owner's (acceptance with the customer),
     * which the customer's new owner does; in a queue anyone of the role could take another's customer. The item's
     * owner (who may follow it) follows the same way.</li>
     * <li>Escalated to them (the manager of the assignee's department): to that department's manager now, if another
     * active person holds the post, else to the default receiver, who takes over the person's work. Not dropped: the
     * escalation is how an overdue stage gets a manager's attention, and its assignee or queue stays as it was.</li>
     * </ul>
     */
    private Optional<UnitOfWork> handOver(StaffDeparture d, String workItemId, Map<String, String> receiverOfCustomer) {
        String leaving = d.departingUserId();
        WorkItem w = workItems.find(workItemId).filter(x -> x.status() == WorkItemStatus.OPEN).orElse(null);
        if (w == null || !(leaving.equals(w.assigneeId()) || leaving.equals(w.escalatedTo()))) {
            return Optional.empty();
        }
        String follower = w.customerId() == null ? d.defaultReceiverId()
                : receiverOfCustomer.computeIfAbsent(w.customerId(), c -> receiverOf(d, c));
        String assignee = leaving.equals(w.assigneeId()) ? follower : w.assigneeId();
        String escalation = leaving.equals(w.escalatedTo()) ? managerInsteadOf(leaving, w, d) : w.escalatedTo();
        String owner = leaving.equals(w.ownerId()) ? follower : w.ownerId();
        WorkItem next = w.handedOver(assignee, escalation, owner, Instant.now().toString());
        return Optional.of(new UnitOfWork(table, Actor.of(d.starter()))
                .change(workItems.records(w.flowType()), w, next, "WORK_ITEM_REASSIGNED", w.stage().name() + "：" + d.historyNote())
                .put(ledger(d, MovedType.WORK_ITEM, workItemId, leaving.equals(w.assigneeId()) ? assignee : escalation)));
    }

    private String managerInsteadOf(String leaving, WorkItem w, StaffDeparture d) {
        return directory.activeManager(w.assigneeDepartmentId()).filter(m -> !m.equals(leaving)).orElse(d.defaultReceiverId());
    }

    /** The next batch of the person's reminders; false when there are none. */
    private boolean moveReminders(StaffDeparture d, Map<MovedType, Integer> counted) {
        List<Reminder> inbox = reminders.ownedBy(d.departingUserId(), batch);
        for (Reminder listed : inbox) {
            if (moveOnce(() -> handOver(d, listed.reminderId()))) {
                counted.merge(MovedType.REMINDER, 1, Integer::sum);
            }
        }
        return !inbox.isEmpty();
    }

    /**
     * A reminder goes to the colleague who now has its subject (the contract it is about, moved before it), else to the
     * default receiver: the follow-up (a renewal) is the account owner's. Empty when it is not the person's (any more).
     */
    private Optional<UnitOfWork> handOver(StaffDeparture d, String reminderId) {
        Reminder r = reminders.find(reminderId).filter(x -> d.departingUserId().equals(x.ownerId())).orElse(null);
        if (r == null) {
            return Optional.empty();
        }
        String to = contracts.find(r.subjectId()).map(Contract::ownerId).filter(d::isReceiver).orElse(d.defaultReceiverId());
        return Optional.of(new UnitOfWork(table, Actor.of(d.starter()))
                .change(Reminders.RECORDS, r, r.withOwner(to, d.departmentId(), Instant.now().toString()), "REASSIGNED", d.historyNote())
                .put(ledger(d, MovedType.REMINDER, reminderId, to)));
    }

    /** Commits the move {@code move} builds from what it reads, read again after a concurrent change; false: nothing to move. */
    private static boolean moveOnce(Supplier<Optional<UnitOfWork>> move) {
        for (int attempt = 0; attempt < Reassignment.ATTEMPTS; attempt++) {
            UnitOfWork uow = move.get().orElse(null);
            if (uow == null) {
                return false;
            }
            if (uow.commitIfCurrent()) {
                return true;
            }
        }
        throw ApiException.versionConflict(-1);
    }

    /** Where a customer's records go: where this departure sent the customer, else its owner if a receiver, else the default. */
    private String receiverOf(StaffDeparture d, String customerId) {
        var moved = table.get(Keys.departureMove(d.departureId(), MovedType.CUSTOMER.recordType(), customerId));
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

    /** The ledger item of one moved record (written in the record's move; a record moved again is still one item). */
    private static Map<String, AttributeValue> ledger(StaffDeparture d, MovedType type, String recordId, String receiver) {
        Map<String, AttributeValue> item = new HashMap<>(Keys.departureMove(d.departureId(), type.recordType(), recordId).toMap());
        item.put("type", Items.s(type.name()));
        item.put("recordId", Items.s(recordId));
        item.put("receiverId", Items.s(receiver));
        item.put("at", Items.s(Instant.now().toString()));
        return item;
    }

    /** The running counts shown while the departure runs (the end counts the ledger, whatever a crash left out here). */
    private void progress(StaffDeparture d, Map<MovedType, Integer> counted) {
        if (counted.isEmpty()) {
            return;
        }
        store.update(d.departureId(), Actor.system(SYSTEM), DepartureStore.BOOKKEEPING, "PROGRESSED", null,
                x -> x.status() != DepartureStatus.RUNNING ? x : x.progressed(x.moved().plus(counted), Instant.now().toString()));
    }

    /**
     * The person is set DEPARTED (no more sign-in), then what they still have is looked for once more (records made
     * while the move ran): if any, false, and the flow moves another batch; else the departure COMPLETES with the
     * counts of its ledger.
     */
    public boolean finish(String departureId) {
        StaffDeparture d = store.require(departureId);
        if (d.status() != DepartureStatus.RUNNING) {
            return true;
        }
        depart(d);
        String leaving = d.departingUserId();
        boolean left = !workItems.openWaitingOn(leaving, 1).isEmpty() || !reminders.ownedBy(leaving, 1).isEmpty();
        for (MovedType type : MovedType.OWNED) {
            left |= !ownedBy(leaving, type, 1).isEmpty();
        }
        if (left) {
            return false;
        }
        end(store, departureId, DepartureStatus.COMPLETED, null);
        return true;
    }

    /** The flow failed after its retries: the departure is FAILED (what moved stays moved; a new one moves the rest). */
    public StaffDeparture fail(String departureId, String error, String cause) {
        String why = (error == null ? "failed" : error) + (cause == null ? "" : ": " + cause);
        return end(store, departureId, DepartureStatus.FAILED, why.length() > 500 ? why.substring(0, 500) : why);
    }

    /**
     * The person is DEPARTED (no more sign-in) and the manager posts they held are vacant (until an admin names the
     * next manager, overdue stages are not escalated to someone who cannot act): one unit of work with the directory's
     * history entries.
     */
    private void depart(StaffDeparture d) {
        moveOnce(() -> directory.user(d.departingUserId()).filter(u -> u.status() != UserStatus.DEPARTED).map(u -> {
            UnitOfWork uow = directory.unitOfWork(Actor.of(d.starter())).change(StaffDirectory.USERS, u,
                    new StaffUser(u.userId(), u.displayName(), u.role(), u.departmentId(), UserStatus.DEPARTED, u.email(),
                            u.version() + 1, u.createdAt(), Instant.now().toString()), "DISABLED", d.historyNote());
            directory.departments().stream().filter(dept -> u.userId().equals(dept.managerId())).forEach(dept ->
                    uow.change(StaffDirectory.DEPARTMENTS, dept, new Department(dept.departmentId(), dept.name(),
                            dept.nameZh(), dept.kind(), null, dept.version() + 1), "MANAGER_VACATED", d.historyNote()));
            return uow;
        }));
    }

    /**
     * Ends a RUNNING departure once, in one unit of work: its status with the ledger's counts, its history entry, and
     * the person freed for another departure (the open guard released).
     */
    static StaffDeparture end(DepartureStore store, String departureId, DepartureStatus to, String failure) {
        DepartureStore.Tally tally = store.tally(departureId);
        return store.update(departureId, Actor.system(SYSTEM), DepartureStore.RECORDS, to.name(), failure,
                x -> x.status() != DepartureStatus.RUNNING ? x
                        : x.ended(to, tally.moved(), tally.perReceiver(), failure, Instant.now().toString()),
                (ended, uow) -> uow.release(new Guard(StaffDepartureService.OPEN_GUARD, ended.departingUserId()), departureId));
    }
}
