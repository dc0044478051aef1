package com.rackflow.staffdepartures;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.access.AccessPolicy;
import com.rackflow.access.Caller;
import com.rackflow.access.Module;
import com.rackflow.access.RecordKind;
import com.rackflow.access.Role;
import com.rackflow.core.history.Actor;
import com.rackflow.core.http.ApiException;
import com.rackflow.core.http.Violation;
import com.rackflow.core.json.Json;
import com.rackflow.core.logging.Log;
import com.rackflow.core.persistence.Guard;
import com.rackflow.core.persistence.Keys;
import com.rackflow.core.persistence.Page;
import com.rackflow.core.persistence.Table;
import com.rackflow.core.persistence.UnitOfWork;
import com.rackflow.core.records.Requests;
import com.rackflow.customers.Customer;
import com.rackflow.customers.CustomerService;
import com.rackflow.directory.StaffDirectory;
import com.rackflow.directory.StaffUser;
import com.rackflow.staffdepartures.StaffDeparture.Assignment;
import com.rackflow.staffdepartures.StaffDeparture.Receiver;
import com.rackflow.workitems.FlowStarter;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Staff departure (离职), the API side: a manager of the departing person's department (or an admin) names the
 * receiving colleagues and the split; the departure is recorded and its state machine started (the execution is
 * named after the departure, so it starts once). One departure runs per person at a time. The moves themselves:
 * {@link DepartureMoves}.
 */
public final class StaffDepartureService {
    static final String OPEN_GUARD = "STAFF_DEPARTURE_OPEN";
    private static final Set<Role> RECORD_OWNERS = Set.of(Role.SALES, Role.REGIONAL_MANAGER);
    private static final String WHAT = "staff departure";

    private final Table table;
    private final DepartureStore store;
    private final StaffDirectory directory;
    private final CustomerService customers;
    private final FlowStarter starter;
    private final ExecutionStatus executions;
    private final String stateMachineArn;

    public StaffDepartureService(Table table, FlowStarter starter, ExecutionStatus executions, String stateMachineArn) {
        this.table = table;
        this.store = new DepartureStore(table);
        this.directory = new StaffDirectory(table);
        this.customers = new CustomerService(table);
        this.starter = starter;
        this.executions = executions;
        this.stateMachineArn = stateMachineArn;
    }

    /** What the manager asks for; {@code assignments} and {@code defaultReceiverId} belong to the ASSIGNED split. */
    public record StartRequest(String departingUserId, List<String> receiverIds, SplitRule split,
                               List<Assignment> assignments, String defaultReceiverId, String note) {
    }

    public StaffDeparture start(Caller caller, StartRequest r) {
        AccessPolicy.requireModule(caller, Module.STAFF_DEPARTURES);
        StaffUser departing = AccessPolicy.requireVisible(caller, RecordKind.STAFF_USER,
                directory.user(r.departingUserId()).orElse(null), "user");
        List<Receiver> receivers = checked(caller, departing, r);
        String id = nextId();
        String now = Instant.now().toString();
        String defaultReceiver = r.defaultReceiverId() != null ? r.defaultReceiverId() : receivers.get(0).userId();
        StaffDeparture d = new StaffDeparture(id, departing.userId(), departing.displayName(), departing.departmentId(),
                receivers, r.split(), r.assignments() == null ? List.of() : r.assignments(), defaultReceiver, r.note(),
                DepartureStatus.RUNNING, MovedCounts.NONE, null, 1, null, caller.userId(), caller.role(),
                caller.departmentId(), now, null, now, 1);
        // the record, its STARTED entry and the person's open guard (one departure of a person at a time): one write
        try {
            new UnitOfWork(table, Actor.of(caller)).create(DepartureStore.RECORDS, d, "STARTED", r.note())
                    .claim(openGuard(departing.userId()), id, StaffDepartureService::running).commit();
        } catch (ApiException e) {
            if ("STAFF_DEPARTURE_RUNNING".equals(e.code())) {
                startedIfNever(departing.userId());
            }
            throw e;
        }
        return run(d);
    }

    /**
     * The running departure of the person, if its record was written but its execution never started (the request
     * died in between), is started now (named after it: once); the answer stays 409 naming it.
     */
    private void startedIfNever(String userId) {
        table.get(openGuard(userId).key()).map(g -> g.get("holderId").s()).flatMap(store::find)
                .filter(d -> d.status() == DepartureStatus.RUNNING && d.executionArn() == null).ifPresent(this::run);
    }

    /**
     * Runs a FAILED departure again under the same id (also one still RUNNING whose execution has ended without
     * finishing; 409 for one running or COMPLETED, and when another departure of the person runs now): only what has not moved moves, and nothing moved before is counted again.
     */
    public StaffDeparture retry(Caller caller, String id) {
        StaffDeparture d = get(caller, id);
        if (d.status() == DepartureStatus.RUNNING && d.executionArn() != null) {
            // an execution stopped by hand or timed out never reached RecordFailure: the departure is FAILED now
            String ended = executions.of(d.executionArn()).filter(s -> !s.equals("RUNNING")).orElse(null);
            if (ended != null) {
                d = DepartureMoves.end(store, id, DepartureStatus.FAILED, "the execution ended " + ended + " without finishing");
            }
        }
        if (d.status() != DepartureStatus.FAILED) {
            throw ApiException.conflict("NOT_FAILED", "staff departure " + id + " is " + d.status() + "; only a FAILED one is run again",
                    "只有失败的离职交接可以重试（当前：" + d.status().labelZh() + "）", Map.of("status", d.status().name()));
        }
        List<String> gone = d.receivers().stream().map(Receiver::userId)
                .filter(u -> directory.user(u).map(x -> !x.isActive()).orElse(true)).toList();
        if (!gone.isEmpty()) {
            throw ApiException.conflict("RECEIVER_NOT_ACTIVE", "receivers " + gone + " are no longer active; start a new departure with other colleagues",
                    "接收人已离职：" + gone + "，请重新发起交接", Map.of("receivers", gone));
        }
        StaffDeparture retried = store.update(id, Actor.of(caller), DepartureStore.RECORDS, "RETRIED", null,
                x -> x.status() == DepartureStatus.FAILED ? x.retried(Instant.now().toString()) : x,
                (x, uow) -> uow.claim(openGuard(x.departingUserId()), id, StaffDepartureService::running));
        if (retried.status() != DepartureStatus.RUNNING || retried.runs() == d.runs()) {
            throw ApiException.versionConflict(retried.version());
        }
        return run(retried);
    }

    /** Starts this run's execution (named after the departure and run, so it starts once). */
    private StaffDeparture run(StaffDeparture d) {
        String arn;
        try {
            arn = starter.start(stateMachineArn, d.executionName(), Json.object().put("departureId", d.departureId()));
        } catch (RuntimeException e) {
            Log.error("staff departure could not be started", e, "departureId", d.departureId());
            DepartureMoves.end(store, d.departureId(), DepartureStatus.FAILED, "the state machine could not be started");
            throw new ApiException(503, "DEPARTURE_START_FAILED", "the staff departure could not be started; try again",
                    "离职交接启动失败，请重试", null, Map.of("departureId", d.departureId()));
        }
        return store.update(d.departureId(), Actor.system(DepartureMoves.SYSTEM), DepartureStore.BOOKKEEPING, "EXECUTION_STARTED", null,
                x -> x.executionArn() != null ? x : x.started(arn, Instant.now().toString()));
    }

    /** One departure of a person runs at a time: the guard is held by the running one. */
    private static Guard openGuard(String userId) {
        return new Guard(OPEN_GUARD, userId);
    }

    /** 409 naming the departure of the person that runs now. */
    private static ApiException running(String open) {
        String id = open == null ? "" : open;
        return ApiException.conflict("STAFF_DEPARTURE_RUNNING", "a staff departure of this person is already running: " + id,
                "该员工的离职交接正在进行：" + id, Map.of("runningDepartureId", id));
    }

    /** {@code SD} + business year + 6-digit sequence: readable, and a valid execution name. */
    private String nextId() {
        int year = Instant.now().atZone(Requests.BUSINESS_ZONE).getYear();
        return String.format("SD%04d%06d", year, table.increment(Keys.counter(DepartureStore.TYPE + "#" + year)));
    }

    /** Every rule of the request at once (400 naming field and rule); the receivers as recorded. */
    private List<Receiver> checked(Caller caller, StaffUser departing, StartRequest r) {
        List<Violation> v = new ArrayList<>();
        if (departing.userId().equals(caller.userId())) {
            v.add(new Violation("departingUserId", "notSelf", "a manager hands over another person's records, not their own"));
        }
        if (!RECORD_OWNERS.contains(departing.role())) {
            v.add(new Violation("departingUserId", "role", "must be a salesperson or regional manager (the roles that own customers)"));
        }
        List<Receiver> receivers = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < r.receiverIds().size(); i++) {
            String field = "receivers[" + i + "]";
            String id = r.receiverIds().get(i);
            StaffUser u = directory.user(id).orElse(null);
            if (!seen.add(id)) {
                v.add(new Violation(field, "unique", "names a receiver twice"));
            } else if (id.equals(departing.userId())) {
                v.add(new Violation(field, "notDepartingUser", "the departing person cannot receive their own records"));
            } else if (u == null) {
                v.add(new Violation(field, "exists", "must be the user id of a colleague"));
            } else if (!u.departmentId().equals(departing.departmentId())) {
                v.add(new Violation(field, "sameDepartment", "must be a member of " + departing.departmentId() + ", the departing person's department"));
            } else if (!u.isActive()) {
                v.add(new Violation(field, "active", "has departed (" + u.status().labelZh() + ") and cannot receive records"));
            } else if (!RECORD_OWNERS.contains(u.role())) {
                v.add(new Violation(field, "role", "must be a salesperson or regional manager"));
            } else {
                receivers.add(new Receiver(u.userId(), u.displayName(), null));
            }
        }
        Set<String> receiverIds = new HashSet<>(r.receiverIds());
        if (r.split() == SplitRule.ASSIGNED) {
            if (r.defaultReceiverId() == null) {
                v.add(new Violation("defaultReceiverId", "required", "name the receiver of the customers not assigned"));
            }
            Set<String> customersSeen = new HashSet<>();
            for (int i = 0; i < r.assignments().size(); i++) {
                Assignment a = r.assignments().get(i);
                String field = "assignments[" + i + "].";
                if (!receiverIds.contains(a.receiverId())) {
                    v.add(new Violation(field + "receiverId", "receiver", "must be one of receivers"));
                }
                if (!customersSeen.add(a.customerId())) {
                    v.add(new Violation(field + "customerId", "unique", "assigns a customer twice"));
                } else if (customers.find(a.customerId()).map(Customer::ownerId).filter(departing.userId()::equals).isEmpty()) {
                    v.add(new Violation(field + "customerId", "ownedByDepartingUser", "must be a customer of the departing person"));
                }
            }
        } else if (!r.assignments().isEmpty()) {
            v.add(new Violation("assignments", "split", "customers are assigned one by one only with split ASSIGNED"));
        }
        if (r.defaultReceiverId() != null && !receiverIds.contains(r.defaultReceiverId())) {
            v.add(new Violation("defaultReceiverId", "receiver", "must be one of receivers"));
        }
        if (!v.isEmpty()) {
            throw ApiException.invalid(v);
        }
        return receivers;
    }

    public StaffDeparture get(Caller caller, String id) {
        AccessPolicy.requireModule(caller, Module.STAFF_DEPARTURES);
        return AccessPolicy.requireVisible(caller, RecordKind.STAFF_USER, store.find(id).orElse(null), WHAT);
    }

    public Page<StaffDeparture> list(Caller caller, String cursor, int limit) {
        AccessPolicy.requireModule(caller, Module.STAFF_DEPARTURES);
        return store.list(AccessPolicy.requireScope(caller, RecordKind.STAFF_USER, "staff departures"), cursor, limit);
    }

    /** The API view: what it lists (not the split's bookkeeping), zh-CN labels, total moved. */
    public static ObjectNode view(StaffDeparture d) {
        ObjectNode o = com.rackflow.core.json.View.of(d, "departureId", "departingUserId", "departingUserName",
                "departmentId", "receivers", "split", "assignments", "defaultReceiverId", "note", "status", "moved",
                "executionArn", "runs", "failure", "startedBy", "startedByRole", "startedByDepartmentId", "startedAt",
                "completedAt", "updatedAt", "version");
        o.put("statusLabel", d.status().labelZh());
        o.put("splitLabel", d.split().labelZh());
        ((ObjectNode) o.get("moved")).put("total", d.moved().total());
        for (int i = 0; i < d.receivers().size(); i++) {
            MovedCounts received = d.receivers().get(i).moved();
            if (received != null) {
                ((ObjectNode) o.get("receivers").get(i).get("moved")).put("total", received.total());
            }
        }
        return o;
    }
}
