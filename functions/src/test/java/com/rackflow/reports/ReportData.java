package com.rackflow.reports;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.access.Caller;
import com.rackflow.activities.ActivityService;
import com.rackflow.activities.ActivityType;
import com.rackflow.contracts.Contract;
import com.rackflow.contracts.ContractService;
import com.rackflow.contracts.ContractStatus;
import com.rackflow.contracts.ContractTerms;
import com.rackflow.core.json.Json;
import com.rackflow.core.persistence.Table;
import com.rackflow.core.records.Requests;
import com.rackflow.customers.Contact;
import com.rackflow.customers.Customer;
import com.rackflow.customers.CustomerDetails;
import com.rackflow.customers.CustomerService;
import com.rackflow.customers.CustomerSource;
import com.rackflow.customers.CustomerStatus;
import com.rackflow.racking.RackingHandler;
import com.rackflow.racking.RackingTasksHandler;
import com.rackflow.servicerecords.Priority;
import com.rackflow.servicerecords.ServiceRecord;
import com.rackflow.servicerecords.ServiceRecordService;
import com.rackflow.servicerecords.ServiceStatus;
import com.rackflow.servicerecords.ServiceType;
import com.rackflow.testing.Events;
import com.rackflow.testing.RecordingCallbacks;
import com.rackflow.testing.Reply;
import com.rackflow.workitems.FlowStarter;
import com.rackflow.workitems.Stage;
import com.rackflow.workitems.WorkItemsHandler;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Records for the report tests, made through the services and handlers as staff (and the racking flow) make them. */
final class ReportData {
    private static final AtomicLong SEQ = new AtomicLong(System.nanoTime() % 1_000_000);
    static final LocalDate TODAY = LocalDate.now(Requests.BUSINESS_ZONE);

    final Table table;
    final CustomerService customers;
    final ContractService contracts;
    final ActivityService activities;
    final ServiceRecordService service;
    final RecordingCallbacks sent = new RecordingCallbacks();
    final RackingHandler racking;
    final RackingTasksHandler tasks;
    final WorkItemsHandler inbox;
    private int tokens;

    ReportData(Table table) {
        this.table = table;
        this.customers = new CustomerService(table);
        this.contracts = new ContractService(table);
        this.activities = new ActivityService(table);
        this.service = new ServiceRecordService(table);
        this.racking = new RackingHandler(table, (arn, name, input) -> FlowStarter.executionArn(arn, name), sent,
                "arn:aws:states:us-east-1:123456789012:stateMachine:rackflow-racking-dev");
        this.tasks = new RackingTasksHandler(table, sent);
        this.inbox = new WorkItemsHandler(table, sent);
    }

    Customer customer(Caller owner, String name) {
        long n = SEQ.incrementAndGet();
        return customers.create(owner, new CustomerDetails(name == null ? "报表测试客户" + n + "科技有限公司" : name, null,
                List.of(new Contact("张工", "运维", String.format("136%08d", n % 100_000_000), null, true)),
                "east", CustomerSource.REFERRAL, null), Optional.empty());
    }

    Customer move(Caller by, Customer c, CustomerStatus... to) {
        for (CustomerStatus s : to) {
            c = customers.transition(by, c.customerId(), s, s == CustomerStatus.LOST ? "选择了其他机房" : null, c.version());
        }
        return c;
    }

    Customer signed(Caller owner, String name) {
        return move(owner, customer(owner, name), CustomerStatus.CONTACTED, CustomerStatus.NEGOTIATING, CustomerStatus.SIGNED);
    }

    Contract draft(Caller owner, Customer c, String monthlyFee, LocalDate endDate) {
        return contracts.create(owner, c.customerId(), new ContractTerms(1, 10, new BigDecimal("4.0"), 100, 8,
                new BigDecimal(monthlyFee), TODAY.minusDays(300), endDate, null));
    }

    Contract active(Caller owner, Customer c, String monthlyFee, LocalDate endDate) {
        Contract d = draft(owner, c, monthlyFee, endDate);
        return contracts.transition(owner, d.contractId(), ContractStatus.ACTIVE, null, d.version());
    }

    void activity(Caller owner, Customer c, ActivityType type, String occurredAt) {
        Map<String, Object> d = new HashMap<>();
        d.put("type", type);
        d.put("occurredAt", occurredAt);
        d.put("summary", "报表测试活动");
        activities.log(owner, c.customerId(), d);
    }

    ServiceRecord serviceRecord(Caller maintenance, Customer c, ServiceType type, ServiceStatus... to) {
        ServiceRecord s = service.open(maintenance, new ServiceRecordService.Opening(c.customerId(), type, Priority.P2,
                "报表测试工单", "客户报障", null));
        for (ServiceStatus st : to) {
            s = service.transition(maintenance, s.serviceRecordId(), st, st == ServiceStatus.RESOLVED ? "已更换网线" : null, s.version());
        }
        return s;
    }

    // ---- the racking flow, played as its state machine would (no engine) ----

    String startRacking(Caller sales, Contract k) {
        Reply r = Reply.of(racking, Events.load("racking/start-racking-flow.json").as(sales).header("Idempotency-Key", null)
                .body(Map.of("contractSerial", k.serial(), "plannedDate", TODAY.plusDays(7).toString(),
                        "devices", List.of(Map.of("model", "Dell R750", "uHeight", 2)))));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
        return r.text("flowId");
    }

    String openStage(String flowId, Stage stage) {
        String token = "token-" + flowId + "-" + stage + "-" + (++tokens);
        ObjectNode e = event("task-open-stage.json");
        e.put("flowId", flowId).put("stage", stage.name()).put("taskToken", token)
                .put("executionArn", "arn:aws:states:us-east-1:123456789012:execution:racking:" + flowId);
        tasks.handle(e);
        return token;
    }

    void decide(Caller by, String flowId, Stage stage, Map<String, Object> body) {
        Reply r = Reply.of(inbox, Events.load("work-items/complete-work-item.json").as(by).id(flowId + "." + stage.name()).body(body));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
    }

    void escalate(String flowId, Stage stage) {
        ObjectNode e = event("task-escalate-stage.json");
        e.put("flowId", flowId).put("stage", stage.name());
        tasks.handle(e);
    }

    /** The Catch → Compensate path after a stage rejected the flow (its token got the failure). */
    void compensateRejection(String flowId, String token) {
        var failure = sent.forToken(token).get(0);
        ObjectNode e = event("task-compensate.json");
        e.put("flowId", flowId);
        e.putObject("error").put("Error", failure.error()).put("Cause", failure.cause());
        tasks.handle(e);
    }

    private static ObjectNode event(String name) {
        try {
            return (ObjectNode) Json.read(Files.readString(com.rackflow.testing.LocalTable.repositoryRoot().resolve("events/racking/" + name)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
