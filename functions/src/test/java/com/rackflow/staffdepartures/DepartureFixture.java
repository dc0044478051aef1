package com.rackflow.staffdepartures;

import com.fasterxml.jackson.databind.JsonNode;
import com.rackflow.access.Caller;
import com.rackflow.access.Role;
import com.rackflow.activities.Activity;
import com.rackflow.activities.ActivityService;
import com.rackflow.activities.ActivityType;
import com.rackflow.contracts.Contract;
import com.rackflow.core.json.Json;
import com.rackflow.core.persistence.Table;
import com.rackflow.customers.Customer;
import com.rackflow.directory.Department;
import com.rackflow.directory.DepartmentKind;
import com.rackflow.directory.StaffDirectory;
import com.rackflow.directory.StaffUser;
import com.rackflow.directory.UserStatus;
import com.rackflow.reports.Reminder;
import com.rackflow.reports.Reminders;
import com.rackflow.servicerecords.Priority;
import com.rackflow.servicerecords.ServiceRecord;
import com.rackflow.servicerecords.ServiceRecordService;
import com.rackflow.servicerecords.ServiceType;
import com.rackflow.testing.Deals;
import com.rackflow.testing.Events;
import com.rackflow.testing.RecordingCallbacks;
import com.rackflow.testing.Reply;
import com.rackflow.testing.Staff;
import com.rackflow.workitems.FlowStarter;
import com.rackflow.workitems.FlowType;
import com.rackflow.workitems.OpenStage;
import com.rackflow.workitems.Stage;
import com.rackflow.workitems.WorkItem;
import com.rackflow.workitems.WorkItemService;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A table with the test staff, the departures API with a recording starter (no engine), the task function driven as
 * the state machine drives it, and salespeople with a book of records (customers with activities, contracts,
 * service records and an open work item), made through the services as their owners would make them.
 */
final class DepartureFixture {
    static final String SM = "arn:aws:states:us-east-1:123456789012:stateMachine:rackflow-staff-departure-dev";
    private static final AtomicLong SEQ = new AtomicLong(System.nanoTime() % 1_000_000);

    final Table table;
    final List<String> started = new CopyOnWriteArrayList<>();
    /** What DescribeExecution answers per execution ARN; RUNNING when not set. */
    final Map<String, String> executionStatus = new java.util.concurrent.ConcurrentHashMap<>();
    final StaffDeparturesHandler api;
    final StaffDepartureTasksHandler tasks;
    final Deals deals;
    final ActivityService activities;
    final ServiceRecordService serviceRecords;
    final WorkItemService workItems;
    final StaffDirectory directory;

    DepartureFixture(Table table, int batch) {
        this.table = table;
        Staff.seed(table);
        this.api = api(table);
        this.workItems = WorkItemService.forTasks(table, new RecordingCallbacks());
        this.tasks = new StaffDepartureTasksHandler(new DepartureMoves(table, batch));
        this.deals = new Deals(table);
        this.activities = new ActivityService(table);
        this.serviceRecords = new ServiceRecordService(table);
        this.directory = new StaffDirectory(table);
    }

    /** The departures API on {@code table}, with the recording starter (no engine). */
    StaffDeparturesHandler api(Table on) {
        FlowStarter starter = (arn, name, input) -> {
            started.add(name);
            return FlowStarter.executionArn(arn, name);
        };
        return new StaffDeparturesHandler(on, starter, arn -> java.util.Optional.of(executionStatus.getOrDefault(arn, "RUNNING")), SM);
    }

    /** A new ACTIVE member of a department. */
    Caller colleague(Role role, String departmentId) {
        String id = departmentId + "." + role.name().toLowerCase() + SEQ.incrementAndGet();
        directory.put(new StaffUser(id, "同事" + id, role, departmentId, UserStatus.ACTIVE, id + "@rackflow.example", 1,
                "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z"));
        return new Caller(id, role, departmentId);
    }

    /** The manager of a new sales region: the escalations of the region's stages go to them. */
    Caller regionManager() {
        String region = "region" + SEQ.incrementAndGet();
        Caller manager = colleague(Role.REGIONAL_MANAGER, region);
        directory.put(new Department(region, "Region " + region, "区域" + region, DepartmentKind.SALES_REGION, manager.userId(), 1));
        return manager;
    }

    /** A stage waiting on the sales role of a department (no one person), escalated to the department's manager. */
    WorkItem escalatedRoleStage(Customer c, String departmentId) {
        WorkItem w = workItems.open(new OpenStage(FlowType.RACKING, "RF-ESC" + SEQ.incrementAndGet() + "-1", Stage.ACCEPTANCE,
                "token-esc", null, 3600, null, Role.SALES, departmentId, null, null, c.customerId(), c.code(), c.ownerId(),
                departmentId));
        return workItems.escalate(w.flowId(), Stage.ACCEPTANCE).orElseThrow();
    }

    /** A contract-expiry reminder in the contract owner's inbox, as the report job writes it. */
    Reminder reminder(Contract k) {
        String now = java.time.Instant.now().toString();
        Reminder r = new Reminder("CONTRACT_EXPIRY#" + k.contractId() + "#30", "CONTRACT_EXPIRY", k.ownerId(), k.departmentId(),
                k.contractId(), k.serial(), 30, "2026-12-31", "contract " + k.serial() + " expires", "合同 " + k.serial() + " 即将到期",
                now, "test-run", now, 1);
        table.put(new Reminders(table).item(r));
        return r;
    }

    /** One customer of a salesperson and what hangs off it. */
    record Book(Customer customer, List<Activity> activities, Contract contract, ServiceRecord serviceRecord, WorkItem workItem) {
    }

    /** A signed customer with two activities, a contract, a service record and an open acceptance work item. */
    Book fullBook(Caller sales) {
        Customer c = deals.signedCustomer(sales);
        List<Activity> acts = List.of(activity(sales, c), activity(sales, c));
        Contract k = deals.draftContract(sales, c.customerId());
        ServiceRecord s = serviceRecords.open(Staff.MAINTENANCE, new ServiceRecordService.Opening(c.customerId(),
                ServiceType.REMOTE_HANDS, Priority.P3, "重启服务器", "客户请求重启", null));
        WorkItem w = workItems.open(new OpenStage(FlowType.RACKING, "RF-" + k.serial() + "-1", Stage.ACCEPTANCE, "token-" + k.serial(),
                null, 3600, sales.userId(), Role.SALES, sales.departmentId(), k.contractId(), k.serial(), c.customerId(),
                c.code(), sales.userId(), sales.departmentId()));
        return new Book(c, acts, k, s, w);
    }

    /** A signed customer with one activity only. */
    Book smallBook(Caller sales) {
        Customer c = deals.signedCustomer(sales);
        return new Book(c, List.of(activity(sales, c)), null, null, null);
    }

    Activity activity(Caller sales, Customer c) {
        Map<String, Object> d = new HashMap<>();
        d.put("type", ActivityType.CALL);
        d.put("occurredAt", "2026-11-2" + (SEQ.incrementAndGet() % 7) + "T02:30:00Z");
        d.put("summary", "电话沟通机柜需求");
        return activities.log(sales, c.customerId(), d);
    }

    static Map<String, Object> body(String departing, List<String> receivers) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("departingUserId", departing);
        b.put("receivers", receivers);
        return b;
    }

    Reply start(Caller caller, Object body) {
        return start(api, caller, body);
    }

    static Reply start(StaffDeparturesHandler api, Caller caller, Object body) {
        return Reply.of(api, Events.load("staff-departures/start-staff-departure.json").as(caller)
                .header("Idempotency-Key", "dep-" + SEQ.incrementAndGet()).body(body));
    }

    Reply get(Caller caller, String id) {
        return Reply.of(api, Events.load("staff-departures/get-staff-departure.json").as(caller).id(id));
    }

    Reply retry(Caller caller, String id) {
        return Reply.of(api, Events.load("staff-departures/retry-staff-departure.json").as(caller).id(id)
                .header("Idempotency-Key", "retry-" + SEQ.incrementAndGet()));
    }

    Reply list(Caller caller) {
        return Reply.of(api, Events.load("staff-departures/list-staff-departures.json").as(caller).query("limit", "100"));
    }

    /** A task call as the state machine makes it: the sample payload of the action, for this departure. */
    JsonNode task(String action, String departureId) {
        return task(tasks, action, departureId);
    }

    static JsonNode task(StaffDepartureTasksHandler function, String action, String departureId) {
        String file = action.equals("moveBatch") ? "task-move-batch.json" : "task-" + action + ".json";
        var payload = Events.load("staff-departures/" + file).json();
        payload.put("flowId", departureId);
        return function.handle(payload);
    }

    List<String> runFlow(String departureId) {
        return runFlow(tasks, departureId);
    }

    /** What the state machine does: MoveBatch while more, then Finish, back to MoveBatch until completed. Returns the task calls made. */
    static List<String> runFlow(StaffDepartureTasksHandler function, String departureId) {
        List<String> calls = new ArrayList<>();
        boolean completed;
        do {
            boolean more;
            do {
                calls.add("moveBatch");
                more = task(function, "moveBatch", departureId).path("more").asBoolean();
            } while (more);
            calls.add("finish");
            completed = task(function, "finish", departureId).path("completed").asBoolean();
        } while (!completed);
        return calls;
    }
}
