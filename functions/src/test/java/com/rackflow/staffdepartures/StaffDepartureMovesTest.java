package com.rackflow.staffdepartures;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.rackflow.access.AccessPolicy;
import com.rackflow.access.AuthorizerHandler;
import com.rackflow.access.Caller;
import com.rackflow.access.Role;
import com.rackflow.access.TokenVerifier;
import com.rackflow.activities.Activity;
import com.rackflow.contracts.ContractService;
import com.rackflow.core.history.History;
import com.rackflow.core.history.HistoryEntry;
import com.rackflow.core.http.ApiException;
import com.rackflow.core.persistence.Keys;
import com.rackflow.core.persistence.Table;
import com.rackflow.customers.Customer;
import com.rackflow.customers.CustomerService;
import com.rackflow.customers.CustomerStore;
import com.rackflow.directory.UserStatus;
import com.rackflow.reports.Reminder;
import com.rackflow.reports.Reminders;
import com.rackflow.servicerecords.ServiceRecord;
import com.rackflow.testing.CrashingDynamo;
import com.rackflow.testing.Events;
import com.rackflow.testing.LocalTable;
import com.rackflow.testing.Reply;
import com.rackflow.racking.RackingFlow;
import com.rackflow.racking.RackingService;
import com.rackflow.workitems.FlowStarter;
import com.rackflow.workitems.FlowStatus;
import com.rackflow.workitems.RetryableStepException;
import com.rackflow.workitems.WorkItem;
import com.rackflow.workitems.WorkItemStatus;
import com.rackflow.workitems.WorkItemStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static com.rackflow.testing.Staff.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The moves of a staff departure, driven through the task function as the state machine drives it (small batches, so
 * one departure takes many): counts, receivers per customer, an audit entry on every moved record, retries and
 * crashes, concurrent edits, and the departed person's sign-in.
 */
class StaffDepartureMovesTest {
    static final int BATCH = 3;
    static DepartureFixture f;
    static Table table;
    static History history;
    static CustomerService customers;
    static ContractService contracts;
    static WorkItemStore workItems;

    @BeforeAll
    static void setUp() {
        table = LocalTable.create();
        f = new DepartureFixture(table, BATCH);
        history = new History(table);
        customers = new CustomerService(table);
        contracts = new ContractService(table);
        workItems = new WorkItemStore(table);
    }

    private static String started(Caller manager, Map<String, Object> body) {
        Reply r = f.start(manager, body);
        assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
        return r.text("departureId");
    }

    private static List<HistoryEntry> reassignedEntries(String type, String id, String departureId) {
        return history.list(type, id, null, 100).items().stream()
                .filter(e -> e.action().equals("REASSIGNED") && e.note() != null && e.note().contains(departureId)).toList();
    }

    /** Every record of the book is with {@code receiver}, with exactly one REASSIGNED entry of the departure. */
    private static void assertMovedTo(DepartureFixture.Book b, String receiver, String departureId) {
        Customer c = customers.find(b.customer().customerId()).orElseThrow();
        assertThat(c.ownerId()).isEqualTo(receiver);
        assertThat(reassignedEntries("CUSTOMER", c.customerId(), departureId)).hasSize(1);
        for (Activity a : b.activities()) {
            assertThat(f.activities.get(ADMIN, a.activityId()).ownerId()).isEqualTo(receiver);
            assertThat(reassignedEntries("ACTIVITY", a.activityId(), departureId)).hasSize(1);
        }
        if (b.contract() != null) {
            assertThat(contracts.find(b.contract().contractId()).orElseThrow().ownerId()).isEqualTo(receiver);
            assertThat(reassignedEntries("CONTRACT", b.contract().contractId(), departureId)).hasSize(1);
        }
        if (b.serviceRecord() != null) {
            ServiceRecord s = f.serviceRecords.get(ADMIN, b.serviceRecord().serviceRecordId());
            assertThat(s.ownerId()).isEqualTo(receiver);
            assertThat(reassignedEntries("SERVICE_RECORD", s.serviceRecordId(), departureId)).hasSize(1);
        }
        if (b.workItem() != null) {
            WorkItem w = workItems.find(b.workItem().workItemId()).orElseThrow();
            assertThat(w.assigneeId()).isEqualTo(receiver);
            assertThat(history.list("RACKING_FLOW", w.flowId(), null, 50).items())
                    .filteredOn(e -> e.action().equals("WORK_ITEM_REASSIGNED")).hasSize(1);
        }
    }

    private static JsonNode moved(String departureId) {
        return moved(departureId, EAST_MANAGER);
    }

    private static JsonNode moved(String departureId, Caller reader) {
        Reply r = f.get(reader, departureId);
        assertThat(r.status()).isEqualTo(200);
        return r.body().path("moved");
    }

    @Test
    void roundRobinSplitsCustomersAndEachCustomersRecordsFollowIt() {
        Caller leaving = f.colleague(Role.SALES, "east");
        Caller a = f.colleague(Role.SALES, "east");
        Caller b = f.colleague(Role.REGIONAL_MANAGER, "east");
        List<DepartureFixture.Book> books = List.of(f.fullBook(leaving), f.fullBook(leaving), f.smallBook(leaving), f.smallBook(leaving));
        String id = started(EAST_MANAGER, DepartureFixture.body(leaving.userId(), List.of(a.userId(), b.userId())));

        List<String> calls = f.runFlow(id);
        assertThat(calls.stream().filter("moveBatch"::equals).count()).as("bounded batches of " + BATCH).isGreaterThan(5);

        JsonNode d = f.get(EAST_MANAGER, id).body();
        assertThat(d.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(d.path("statusLabel").asText()).isEqualTo("已完成");
        assertThat(d.path("completedAt").asText()).isNotEmpty();
        JsonNode m = d.path("moved");
        assertThat(m.path("customers").asInt()).isEqualTo(4);
        assertThat(m.path("activities").asInt()).isEqualTo(6);
        assertThat(m.path("contracts").asInt()).isEqualTo(2);
        assertThat(m.path("serviceRecords").asInt()).isEqualTo(2);
        assertThat(m.path("workItems").asInt()).isEqualTo(2);
        assertThat(m.path("total").asInt()).isEqualTo(16);

        Map<String, Integer> perReceiver = new HashMap<>();
        for (DepartureFixture.Book book : books) {
            String owner = customers.find(book.customer().customerId()).orElseThrow().ownerId();
            assertThat(owner).isIn(a.userId(), b.userId());
            perReceiver.merge(owner, 1, Integer::sum);
            assertMovedTo(book, owner, id);
        }
        assertThat(perReceiver).containsEntry(a.userId(), 2).containsEntry(b.userId(), 2);
        int received = 0;
        for (JsonNode r : d.path("receivers")) {
            assertThat(r.path("moved").path("customers").asInt()).as(r.toString()).isEqualTo(2);
            received += r.path("moved").path("total").asInt();
        }
        assertThat(received).as("every moved record went to one receiver").isEqualTo(16);
        HistoryEntry reassigned = reassignedEntries("CUSTOMER", books.get(0).customer().customerId(), id).get(0);
        assertThat(reassigned.actorId()).isEqualTo(EAST_MANAGER.userId());
        assertThat(reassigned.changes().toString()).contains("ownerId", leaving.userId());

        assertThat(f.directory.user(leaving.userId()).orElseThrow().status()).isEqualTo(UserStatus.DEPARTED);
        assertThat(history.list("USER", leaving.userId(), null, 10).items())
                .anyMatch(e -> e.action().equals("DISABLED") && e.note().contains(id));
        // the colleagues see their new customers; the departing person's partition is empty
        var listA = customers.list(a, new CustomerStore.ListFilter(null, null, null, false), null, 100).items();
        assertThat(listA).hasSize(2);
        assertThat(table.query(com.rackflow.core.persistence.KeyQuery.on(Keys.GSI_OWNER, Keys.ownerPartition(leaving.userId()), null),
                null, 10).items()).isEmpty();
    }

    @Test
    void assignedSplitGivesListedCustomersToTheirColleagueAndTheRestToTheDefault() {
        Caller leaving = f.colleague(Role.SALES, "east");
        Caller a = f.colleague(Role.SALES, "east");
        Caller b = f.colleague(Role.SALES, "east");
        DepartureFixture.Book key = f.fullBook(leaving);
        List<DepartureFixture.Book> rest = List.of(f.smallBook(leaving), f.fullBook(leaving));
        Map<String, Object> body = DepartureFixture.body(leaving.userId(), List.of(a.userId(), b.userId()));
        body.put("split", "ASSIGNED");
        body.put("assignments", List.of(Map.of("customerId", key.customer().customerId(), "receiverId", b.userId())));
        body.put("defaultReceiverId", a.userId());
        String id = started(EAST_MANAGER, body);
        f.runFlow(id);
        assertMovedTo(key, b.userId(), id);
        rest.forEach(book -> assertMovedTo(book, a.userId(), id));
        assertThat(moved(id).path("customers").asInt()).isEqualTo(3);
        assertThat(f.get(ADMIN, id).body().path("splitLabel").asText()).isEqualTo("指定分配");
    }

    @Test
    void retriedBatchesAndACrashBetweenBatchesEndInTheSameStateWithoutDoubleCounts() {
        Caller leaving = f.colleague(Role.SALES, "east");
        Caller a = f.colleague(Role.SALES, "east");
        Caller b = f.colleague(Role.SALES, "east");
        List<DepartureFixture.Book> books = List.of(f.fullBook(leaving), f.fullBook(leaving), f.smallBook(leaving));
        String id = started(EAST_MANAGER, DepartureFixture.body(leaving.userId(), List.of(a.userId(), b.userId())));

        // a batch whose answer was lost is run again by the Retry; then the execution dies between batches
        f.task("moveBatch", id);
        f.task("moveBatch", id);
        f.task("moveBatch", id);
        assertThat(f.get(EAST_MANAGER, id).text("status")).isEqualTo("RUNNING");
        // the same departure run again from the start (a redriven execution)
        f.runFlow(id);
        // late duplicate invocations after the end change nothing
        assertThat(f.task("moveBatch", id).path("more").asBoolean()).isFalse();
        assertThat(f.task("finish", id).path("completed").asBoolean()).isTrue();

        JsonNode m = moved(id);
        assertThat(m.path("customers").asInt()).isEqualTo(3);
        assertThat(m.path("activities").asInt()).isEqualTo(5);
        assertThat(m.path("contracts").asInt()).isEqualTo(2);
        assertThat(m.path("serviceRecords").asInt()).isEqualTo(2);
        assertThat(m.path("workItems").asInt()).isEqualTo(2);
        for (DepartureFixture.Book book : books) {
            assertMovedTo(book, customers.find(book.customer().customerId()).orElseThrow().ownerId(), id);
        }
    }

    @Test
    void stagesEscalationsAndRemindersWaitingOnTheLeaversFollowAndCrashesMoveEachOnce() {
        Caller manager = f.regionManager();
        String region = manager.departmentId();
        Caller leaving = f.colleague(Role.SALES, region);
        Caller successor = f.colleague(Role.SALES, region);
        DepartureFixture.Book book = f.fullBook(leaving);
        Reminder reminder = f.reminder(book.contract());
        String id = started(manager, DepartureFixture.body(leaving.userId(), List.of(successor.userId())));

        // the function dies between two batches (before the first batch's progress), then inside one, right after the
        // stage's move was written; the state machine runs the batch again each time
        CrashingDynamo dynamo = new CrashingDynamo(table.client());
        StaffDepartureTasksHandler crashing = new StaffDepartureTasksHandler(new DepartureMoves(new Table(dynamo, table.name()), BATCH));
        dynamo.beforePut(r -> CrashingDynamo.hasAttribute(r, "pk", "STAFF_DEPARTURE#" + id));
        assertThatThrownBy(() -> DepartureFixture.runFlow(crashing, id)).isInstanceOf(RetryableStepException.class);
        dynamo.afterTransaction(CrashingDynamo.writing("RACKING_FLOW#" + book.workItem().flowId(), "WORK_ITEM#"));
        assertThatThrownBy(() -> DepartureFixture.runFlow(crashing, id)).isInstanceOf(RetryableStepException.class);
        assertThat(dynamo.fired()).isTrue();
        f.runFlow(id);

        assertMovedTo(book, successor.userId(), id);
        Reminders reminders = new Reminders(table);
        assertThat(reminders.find(reminder.reminderId()).orElseThrow().ownerId()).isEqualTo(successor.userId());
        assertThat(reassignedEntries("REMINDER", reminder.reminderId(), id)).hasSize(1);
        assertThat(reminders.ownedBy(successor.userId(), 10)).extracting(Reminder::reminderId).containsExactly(reminder.reminderId());
        assertThat(workItems.inbox(successor, WorkItemStatus.OPEN, null, 10).items()).extracting(WorkItem::workItemId)
                .containsExactly(book.workItem().workItemId());
        assertThat(workItems.openWaitingOn(leaving.userId(), 10)).isEmpty();
        assertThat(reminders.ownedBy(leaving.userId(), 10)).isEmpty();
        JsonNode m = moved(id, manager);
        assertThat(m.path("workItems").asInt()).isEqualTo(1);
        assertThat(m.path("reminders").asInt()).isEqualTo(1);
        assertThat(m.path("total").asInt()).as("customer, 2 activities, contract, service record, stage, reminder").isEqualTo(7);

        // the region's manager leaves: a stage waiting on the sales role, escalated to them, goes to their successor
        // (nobody else holds the post yet) and stays in the role's queue
        WorkItem escalated = f.escalatedRoleStage(f.deals.signedCustomer(successor), region);
        assertThat(escalated.escalatedTo()).isEqualTo(manager.userId());
        String managerLeaves = started(ADMIN, DepartureFixture.body(manager.userId(), List.of(successor.userId())));
        f.runFlow(managerLeaves);
        WorkItem now = workItems.find(escalated.workItemId()).orElseThrow();
        assertThat(now.escalatedTo()).isEqualTo(successor.userId());
        assertThat(now.assigneeId()).isNull();
        assertThat(AccessPolicy.mayAct(successor, now)).isTrue();
        assertThat(history.list("RACKING_FLOW", now.flowId(), null, 20).items())
                .filteredOn(e -> e.action().equals("WORK_ITEM_REASSIGNED")).singleElement()
                .satisfies(e -> assertThat(e.changes().toString()).contains("escalatedTo", manager.userId(), successor.userId()));
        assertThat(moved(managerLeaves, ADMIN).path("workItems").asInt()).isEqualTo(1);
    }

    @Test
    void theContractsFlowsFollowItSoItsNewOwnerTracksThemAndACrashMovesBothOrNeither() {
        Caller manager = f.regionManager();
        Caller leaving = f.colleague(Role.SALES, manager.departmentId());
        Caller successor = f.colleague(Role.SALES, manager.departmentId());
        com.rackflow.contracts.Contract k = f.deals.activeContract(leaving);
        RackingService racking = new RackingService(table, f.workItems, (arn, name, input) -> FlowStarter.executionArn(arn, name),
                "arn:aws:states:us-east-1:123456789012:stateMachine:rackflow-racking-dev");
        RackingFlow flow = racking.start(leaving, new RackingService.StartRequest(k.serial(), LocalDate.now().plusDays(7),
                List.of(), "上架"), null);
        assertThatThrownBy(() -> racking.get(successor, flow.flowId())).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(404));
        String id = started(manager, DepartureFixture.body(leaving.userId(), List.of(successor.userId())));

        // the function dies right after the contract's move was written; the state machine runs the batch again
        CrashingDynamo dynamo = new CrashingDynamo(table.client());
        StaffDepartureTasksHandler crashing = new StaffDepartureTasksHandler(new DepartureMoves(new Table(dynamo, table.name()), BATCH));
        dynamo.afterTransaction(CrashingDynamo.writing(Keys.record("CONTRACT", k.contractId()).pk(), "RECORD"));
        assertThatThrownBy(() -> DepartureFixture.runFlow(crashing, id)).isInstanceOf(RetryableStepException.class);
        assertThat(dynamo.fired()).isTrue();
        assertThat(CrashingDynamo.keys(dynamo.killed())).as("the contract and its flow in one transaction")
                .contains(Keys.record("RACKING_FLOW", flow.flowId()).pk() + " | RECORD");
        f.runFlow(id);

        RackingFlow now = racking.get(successor, flow.flowId());
        assertThat(now.ownerId()).isEqualTo(successor.userId());
        assertThat(now.status()).isEqualTo(FlowStatus.RUNNING);
        assertThat(racking.tracking(successor, flow.flowId()).path("flowId").asText()).isEqualTo(flow.flowId());
        assertThat(reassignedEntries("RACKING_FLOW", flow.flowId(), id)).hasSize(1);
        assertThat(racking.ofContract(successor, k.contractId(), null, 10).items()).extracting(RackingFlow::flowId)
                .containsExactly(flow.flowId());
    }

    @Test
    void aDepartedOrDisabledManagerIsNeverEscalatedTo() {
        Caller manager = f.regionManager();
        String region = manager.departmentId();
        Caller sales = f.colleague(Role.SALES, region);
        String id = started(ADMIN, DepartureFixture.body(manager.userId(), List.of(sales.userId())));
        f.runFlow(id);

        // the post is vacant after the departure, in the directory's history
        assertThat(f.directory.department(region).orElseThrow().managerId()).isNull();
        assertThat(history.list("DEPT", region, null, 10).items())
                .anyMatch(e -> e.action().equals("MANAGER_VACATED") && e.note().contains(id));
        WorkItem overdue = f.escalatedRoleStage(f.deals.signedCustomer(sales), region);
        assertThat(overdue.escalated()).isTrue();
        assertThat(overdue.escalatedTo()).as("not the departed manager").isNull();
        assertThat(history.list("RACKING_FLOW", overdue.flowId(), null, 10).items())
                .anyMatch(e -> e.action().equals("STAGE_ESCALATED") && e.note().contains("经理空缺"));

        // a manager an admin disabled in the directory (no departure ran) still holds the post, but is skipped too
        Caller disabled = f.regionManager();
        Caller member = f.colleague(Role.SALES, disabled.departmentId());
        var u = f.directory.user(disabled.userId()).orElseThrow();
        f.directory.put(new com.rackflow.directory.StaffUser(u.userId(), u.displayName(), u.role(), u.departmentId(),
                UserStatus.DEPARTED, u.email(), u.version() + 1, u.createdAt(), u.updatedAt()));
        assertThat(f.escalatedRoleStage(f.deals.signedCustomer(member), disabled.departmentId()).escalatedTo()).isNull();
    }

    @Test
    void aReminderWrittenBeforeRecordsCarriedVersionsMovesToo() {
        Caller leaving = f.colleague(Role.SALES, "east");
        Caller a = f.colleague(Role.SALES, "east");
        DepartureFixture.Book book = f.fullBook(leaving);
        Reminder r = f.reminder(book.contract());
        var item = Reminders.item(r);
        table.client().updateItem(b -> b.tableName(table.name())
                .key(Map.of("pk", item.get("pk"), "sk", item.get("sk"))).updateExpression("REMOVE version"));
        assertThat(new Reminders(table).find(r.reminderId()).orElseThrow().version()).isZero();

        String id = started(EAST_MANAGER, DepartureFixture.body(leaving.userId(), List.of(a.userId())));
        f.runFlow(id);
        Reminder moved = new Reminders(table).find(r.reminderId()).orElseThrow();
        assertThat(moved.ownerId()).isEqualTo(a.userId());
        assertThat(moved.version()).isEqualTo(1);
        assertThat(moved(id).path("reminders").asInt()).isEqualTo(1);
    }

    @Test
    void aStartThatDiedBeforeItsExecutionStartedIsStartedByTheNextRequest() {
        Caller leaving = f.colleague(Role.SALES, "east");
        Caller a = f.colleague(Role.SALES, "east");
        DepartureFixture.Book book = f.smallBook(leaving);
        CrashingDynamo dynamo = new CrashingDynamo(table.client());
        dynamo.afterNextTransaction();
        Reply died = DepartureFixture.start(f.api(new Table(dynamo, table.name())), EAST_MANAGER,
                DepartureFixture.body(leaving.userId(), List.of(a.userId())));
        assertThat(died.status()).as("the request died").isGreaterThanOrEqualTo(500);
        assertThat(dynamo.fired()).isTrue();

        // the next request names the departure that holds the person, and starts its execution (once)
        Reply again = f.start(EAST_MANAGER, DepartureFixture.body(leaving.userId(), List.of(a.userId())));
        assertThat(again.errorCode()).isEqualTo("STAFF_DEPARTURE_RUNNING");
        String id = again.body().path("error").path("details").path("runningDepartureId").asText();
        assertThat(f.started).contains(id);
        assertThat(f.get(EAST_MANAGER, id).text("executionArn")).endsWith(":" + id);
        f.runFlow(id);
        assertMovedTo(book, a.userId(), id);
    }

    @Test
    void aConcurrentEditDuringTheMoveIsNotLost() throws Exception {
        Caller leaving = f.colleague(Role.SALES, "east");
        Caller a = f.colleague(Role.SALES, "east");
        DepartureFixture.Book book = f.fullBook(leaving);
        List<Activity> more = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            more.add(f.activity(leaving, book.customer()));
        }
        String id = started(EAST_MANAGER, DepartureFixture.body(leaving.userId(), List.of(a.userId())));

        // the manager keeps editing the customer and an activity while the flow moves them
        String activityId = more.get(5).activityId();
        CompletableFuture<Integer> edits = CompletableFuture.supplyAsync(() -> {
            int done = 0;
            for (int i = 0; i < 15; i++) {
                String note = "经理备注 " + i;
                String summary = "更新摘要 " + i;
                done += retryOnConflict(() -> customers.change(EAST_MANAGER, book.customer().customerId(),
                        customers.get(EAST_MANAGER, book.customer().customerId()).version(),
                        d -> new com.rackflow.customers.CustomerDetails(d.companyName(), d.creditCode(), d.contacts(), d.region(),
                                d.source(), note), Optional.empty()));
                retryOnConflict(() -> {
                    Activity cur = f.activities.get(EAST_MANAGER, activityId);
                    return f.activities.change(EAST_MANAGER, f.activities.changeable(EAST_MANAGER, activityId, cur.version()),
                            Map.of("summary", summary));
                });
            }
            return done;
        });
        f.runFlow(id);
        assertThat(edits.get()).isEqualTo(15);

        Customer c = customers.find(book.customer().customerId()).orElseThrow();
        assertThat(c.ownerId()).isEqualTo(a.userId());
        assertThat(c.notes()).isEqualTo("经理备注 14");
        Activity act = f.activities.get(ADMIN, activityId);
        assertThat(act.ownerId()).isEqualTo(a.userId());
        assertThat(act.summary()).isEqualTo("更新摘要 14");
        assertThat(moved(id).path("activities").asInt()).isEqualTo(8);
        assertMovedTo(book, a.userId(), id);
    }

    @Test
    void anEditLandingBetweenTheMoversReadAndWriteIsKeptAndTheMoveRetried() {
        Caller leaving = f.colleague(Role.SALES, "east");
        Caller a = f.colleague(Role.SALES, "east");
        DepartureFixture.Book book = f.fullBook(leaving);
        String customerId = book.customer().customerId();
        String activityId = book.activities().get(0).activityId();
        String id = started(EAST_MANAGER, DepartureFixture.body(leaving.userId(), List.of(a.userId())));

        CrashingDynamo client = new CrashingDynamo(table.client());
        client.beforeNextWriteOf("CUSTOMER#" + customerId, () -> customers.change(EAST_MANAGER, customerId,
                customers.get(EAST_MANAGER, customerId).version(), d -> new com.rackflow.customers.CustomerDetails(d.companyName(),
                        d.creditCode(), d.contacts(), d.region(), d.source(), "经理刚刚修改的备注"), Optional.empty()));
        client.beforeNextWriteOf("ACTIVITY#" + activityId, () -> f.activities.change(EAST_MANAGER,
                f.activities.changeable(EAST_MANAGER, activityId, f.activities.get(EAST_MANAGER, activityId).version()),
                Map.of("summary", "经理补充的摘要")));
        StaffDepartureTasksHandler tasks = new StaffDepartureTasksHandler(new DepartureMoves(new Table(client, table.name()), BATCH));
        DepartureFixture.runFlow(tasks, id);

        Customer c = customers.find(customerId).orElseThrow();
        assertThat(c.notes()).isEqualTo("经理刚刚修改的备注");
        assertThat(c.ownerId()).isEqualTo(a.userId());
        assertThat(history.list("CUSTOMER", customerId, null, 10).items()).extracting(HistoryEntry::action)
                .startsWith("REASSIGNED", "CHANGED");
        Activity act = f.activities.get(ADMIN, activityId);
        assertThat(act.summary()).isEqualTo("经理补充的摘要");
        assertThat(act.ownerId()).isEqualTo(a.userId());
        assertThat(act.version()).isEqualTo(3);
        assertMovedTo(book, a.userId(), id);
    }

    private static int retryOnConflict(java.util.function.Supplier<?> write) {
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                write.get();
                return 1;
            } catch (ApiException e) {
                if (!e.code().equals("VERSION_CONFLICT")) {
                    throw e;
                }
            }
        }
        throw new AssertionError("kept conflicting");
    }

    @Test
    void aFailedFlowRecordsWhyKeepsWhatMovedAndFreesThePerson() {
        Caller leaving = f.colleague(Role.SALES, "east");
        Caller a = f.colleague(Role.SALES, "east");
        f.smallBook(leaving);
        String id = started(EAST_MANAGER, DepartureFixture.body(leaving.userId(), List.of(a.userId())));
        f.task("moveBatch", id);
        JsonNode out = f.task("compensate", id);
        assertThat(out.path("status").asText()).isEqualTo("FAILED");
        JsonNode d = f.get(EAST_MANAGER, id).body();
        assertThat(d.path("status").asText()).isEqualTo("FAILED");
        assertThat(d.path("failure").asText()).contains("RetryableStepException", "throttled");
        assertThat(d.path("moved").path("customers").asInt()).isEqualTo(1);
        assertThat(f.directory.user(leaving.userId()).orElseThrow().isActive()).as("not departed").isTrue();
        // a new departure moves the rest
        String again = started(EAST_MANAGER, DepartureFixture.body(leaving.userId(), List.of(a.userId())));
        f.runFlow(again);
        assertThat(moved(again).path("activities").asInt()).isEqualTo(1);
        assertThat(moved(again).path("customers").asInt()).isZero();
    }

    @Test
    void aFailedDepartureRunAgainMovesOnlyTheRestAndCountsEachRecordOnce() {
        Caller leaving = f.colleague(Role.SALES, "east");
        Caller a = f.colleague(Role.SALES, "east");
        Caller b = f.colleague(Role.SALES, "east");
        List<DepartureFixture.Book> books = List.of(f.fullBook(leaving), f.smallBook(leaving), f.smallBook(leaving), f.fullBook(leaving));
        String id = started(EAST_MANAGER, DepartureFixture.body(leaving.userId(), List.of(a.userId(), b.userId())));
        f.task("moveBatch", id);
        f.task("compensate", id);
        assertThat(moved(id).path("customers").asInt()).isEqualTo(BATCH);
        assertThat(f.retry(SOUTH_MANAGER, id).status()).isEqualTo(404);

        Reply retried = f.retry(EAST_MANAGER, id);
        assertThat(retried.status()).as(retried.body().toString()).isEqualTo(200);
        assertThat(retried.text("status")).isEqualTo("RUNNING");
        assertThat(retried.body().path("runs").asInt()).isEqualTo(2);
        assertThat(retried.text("executionArn")).endsWith(":" + id + "-2");
        assertThat(retried.body().has("failure")).isFalse();
        assertThat(f.started).contains(id + "-2");
        assertThat(f.retry(EAST_MANAGER, id).errorCode()).isEqualTo("NOT_FAILED");

        f.runFlow(id);
        JsonNode m = moved(id);
        assertThat(m.path("customers").asInt()).isEqualTo(4);
        assertThat(m.path("activities").asInt()).isEqualTo(6);
        assertThat(m.path("contracts").asInt()).isEqualTo(2);
        assertThat(m.path("workItems").asInt()).isEqualTo(2);
        for (DepartureFixture.Book book : books) {
            assertMovedTo(book, customers.find(book.customer().customerId()).orElseThrow().ownerId(), id);
        }
        assertThat(f.get(EAST_MANAGER, id).text("status")).isEqualTo("COMPLETED");
        assertThat(f.retry(ADMIN, id).status()).isEqualTo(409);
        assertThat(history.list("STAFF_DEPARTURE", id, null, 20).items()).extracting(HistoryEntry::action)
                .containsExactly("COMPLETED", "RETRIED", "FAILED", "STARTED");
    }

    @Test
    void aDepartureWhoseExecutionWasStoppedIsFailedAndRunAgain() {
        Caller leaving = f.colleague(Role.SALES, "east");
        Caller a = f.colleague(Role.SALES, "east");
        DepartureFixture.Book book = f.fullBook(leaving);
        String id = started(EAST_MANAGER, DepartureFixture.body(leaving.userId(), List.of(a.userId())));
        f.task("moveBatch", id);
        Reply running = f.retry(EAST_MANAGER, id);
        assertThat(running.status()).isEqualTo(409);
        assertThat(running.errorCode()).isEqualTo("NOT_FAILED");

        // someone stopped the execution in the console: it never reached RecordFailure
        f.executionStatus.put(f.get(EAST_MANAGER, id).text("executionArn"), "ABORTED");
        Reply retried = f.retry(EAST_MANAGER, id);
        assertThat(retried.status()).as(retried.body().toString()).isEqualTo(200);
        assertThat(retried.body().path("runs").asInt()).isEqualTo(2);
        assertThat(history.list("STAFF_DEPARTURE", id, null, 20).items()).extracting(HistoryEntry::action)
                .containsExactly("RETRIED", "FAILED", "STARTED");
        assertThat(history.list("STAFF_DEPARTURE", id, null, 20).items().get(1).note()).contains("ABORTED");
        f.runFlow(id);
        assertMovedTo(book, a.userId(), id);
        assertThat(moved(id).path("total").asInt()).as("customer, 2 activities, contract, service record, work item").isEqualTo(6);
    }

    @Test
    void aFailedDepartureWhoseReceiverLeftMeanwhileIsNotRunAgain() {
        Caller leaving = f.colleague(Role.SALES, "east");
        Caller a = f.colleague(Role.SALES, "east");
        f.smallBook(leaving);
        String id = started(EAST_MANAGER, DepartureFixture.body(leaving.userId(), List.of(a.userId())));
        f.task("compensate", id);
        var user = f.directory.user(a.userId()).orElseThrow();
        f.directory.put(new com.rackflow.directory.StaffUser(user.userId(), user.displayName(), user.role(), user.departmentId(),
                UserStatus.DEPARTED, user.email(), user.version() + 1, user.createdAt(), user.updatedAt()));
        Reply r = f.retry(EAST_MANAGER, id);
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.errorCode()).isEqualTo("RECEIVER_NOT_ACTIVE");
        assertThat(f.get(EAST_MANAGER, id).text("status")).isEqualTo("FAILED");
    }

    @Test
    void theDepartedPersonsTokenIsRefusedAfterwards() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
        AuthorizerHandler authorizer = new AuthorizerHandler(new TokenVerifier("https://idp.rackflow.test/", "rackflow-api",
                new ImmutableJWKSet<SecurityContext>(new JWKSet(key.toPublicJWK()))), f.directory);
        Caller leaving = f.colleague(Role.SALES, "east");
        f.smallBook(leaving);
        Date now = new Date();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").type(JOSEObjectType.JWT).build(),
                new JWTClaimsSet.Builder().subject(leaving.userId()).issuer("https://idp.rackflow.test/").audience("rackflow-api")
                        .issueTime(now).notBeforeTime(now).expirationTime(new Date(now.getTime() + 600_000)).build());
        jwt.sign(new RSASSASigner(key));
        ObjectNode event = (ObjectNode) Events.load("authorizer/token.json").json();
        event.put("authorizationToken", "Bearer " + jwt.serialize());
        event.put("methodArn", "arn:aws:execute-api:us-east-1:123456789012:abc123/dev/GET/customers");
        assertThat(authorizer.authorize(event).path("principalId").asText()).isEqualTo(leaving.userId());

        String id = started(EAST_MANAGER, DepartureFixture.body(leaving.userId(), List.of(EAST_SALES_2.userId())));
        f.runFlow(id);
        assertThatThrownBy(() -> authorizer.authorize(event)).hasMessage("Unauthorized");
    }

}
