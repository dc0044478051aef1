package com.rackflow.customerimports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.core.json.Json;
import com.rackflow.core.persistence.KeyQuery;
import com.rackflow.core.persistence.Table;
import com.rackflow.customers.Customer;
import com.rackflow.customers.CustomerService;
import com.rackflow.customers.CustomerStore;
import com.rackflow.flows.ExecutionEndsHandler;
import com.rackflow.local.stepfunctions.LambdaFailure;
import com.rackflow.local.stepfunctions.LocalStepFunctions;
import com.rackflow.local.stepfunctions.engine.StateMachineType;
import com.rackflow.testing.CrashingDynamo;
import com.rackflow.testing.CrmFixture;
import com.rackflow.testing.Events;
import com.rackflow.testing.LocalTable;
import com.rackflow.testing.Reply;
import com.rackflow.testing.Staff;
import com.rackflow.workitems.FlowStarter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionRedriveStatus;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static com.rackflow.testing.Staff.EAST_SALES_1;
import static com.rackflow.testing.Staff.SOUTH_SALES_1;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * RedriveExecution of a failed import commit, with statemachines/customer-import.asl.json run by the local Step
 * Functions (local/stepfunctions) and its tasks by the import's task function in this JVM: the function's process is
 * killed mid-batch (after a customer's transaction was applied) — Step Functions sees {@code Lambda.Unknown}, which no
 * Retry covers, so the Map and the execution fail there; the execution's status change (the EventBridge rule's event)
 * reaches the flows' end handler and the import is FAILED. The redrive runs the Map's failed batches again: the import is
 * COMMITTING again at its first step, the batch finds its rows done, the execution SUCCEEDS and the import COMPLETES with
 * exact counts and no customer created twice; the first attempt's FAILED event arriving late changes nothing.
 */
class ImportRedriveTest {
    static final String FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:rackflow-test-CustomerImportTasks";
    static Table table;
    static ImportDriver driver;
    static LocalStepFunctions local;
    static SfnClient sfn;
    static String machineArn;
    static CustomerImportsHandler api;
    static final CrashingDynamo CRASHING = new CrashingDynamo(LocalTable.client());
    /** Per task of a redriven attempt: the import's status before and after it. */
    static final List<String> redrivenSteps = new CopyOnWriteArrayList<>();
    static final List<JsonNode> endEvents = new CopyOnWriteArrayList<>();
    static final List<JsonNode> endOutcomes = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void setUp() throws Exception {
        table = LocalTable.create();
        Staff.seed(table);
        driver = new ImportDriver(table);
        CustomerImportTasksHandler tasks = new CustomerImportTasksHandler(new Table(CRASHING, table.name()), driver.files());
        ImportStore store = new ImportStore(table);
        local = LocalStepFunctions.builder().port(0).timeScale(0.001).lambdaInvoker((arn, payload) -> {
            JsonNode event;
            try {
                event = Json.MAPPER.readTree(payload);
            } catch (java.io.IOException e) {
                throw LambdaFailure.fromException(e);
            }
            boolean redriven = event.path("redriveCount").asInt() > 0;
            String before = redriven ? store.require(event.path("flowId").asText()).status().name() : null;
            try {
                return Json.write(tasks.handle(event)).getBytes(StandardCharsets.UTF_8);
            } catch (RuntimeException e) {
                if (killed(e)) {   // the process died: no error document, Step Functions reports Lambda.Unknown
                    throw LambdaFailure.unhandled("Runtime exited with error: signal: killed");
                }
                throw LambdaFailure.fromException(e);
            } finally {
                if (redriven) {
                    redrivenSteps.add(event.path("action").asText() + ": " + before + " -> "
                            + store.require(event.path("flowId").asText()).status().name());
                }
            }
        }).build().start();
        String definition = LocalStepFunctions.substitute(Files.readString(LocalTable.repositoryRoot()
                .resolve("statemachines/customer-import.asl.json")), Map.of("CustomerImportTasksFunctionArn", FUNCTION));
        machineArn = local.createOrUpdateStateMachine("rackflow-test-customer-import", definition, null, StateMachineType.STANDARD);
        // the EventBridge rule of FlowExecutionEndsFunction: Step Functions Execution Status Change, FAILED / TIMED_OUT / ABORTED
        ExecutionEndsHandler ends = new ExecutionEndsHandler(Map.of(machineArn,
                new ExecutionEndsHandler.FlowKind(CustomerImportTasksHandler.flow(table, null), "importId")));
        local.onExecutionStatusChange(change -> {
            if (Set.of("FAILED", "TIMED_OUT", "ABORTED").contains(change.status()) && machineArn.equals(change.stateMachineArn())) {
                ObjectNode event = Json.object().put("id", UUID.randomUUID().toString()).put("source", "aws.states")
                        .put("detail-type", "Step Functions Execution Status Change");
                event.set("detail", change.detail());
                endEvents.add(event);
                endOutcomes.add(ends.handle(event));
            }
        });
        var creds = StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
        sfn = SfnClient.builder().endpointOverride(local.endpoint()).region(Region.US_EAST_1).credentialsProvider(creds)
                .httpClient(UrlConnectionHttpClient.create()).build();
        api = new CustomerImportsHandler(table, driver.files(), FlowStarter.of(sfn), machineArn);
    }

    @AfterAll
    static void tearDown() {
        sfn.close();
        local.close();
        driver.close();
    }

    static boolean killed(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CrashingDynamo.Killed) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aCommitKilledMidBatchIsRedrivenToCompletionWithExactCountsAndNoDuplicate() throws Exception {
        Customer mine = new CrmFixture(table).customer(EAST_SALES_1);
        Customer theirs = new CrmFixture(table).customer(SOUTH_SALES_1);
        PlantedFile f = new PlantedFile(250, 4242, mine.companyName(), theirs.creditCode());
        String id = driver.upload(EAST_SALES_1, "客户.csv", f.csv(StandardCharsets.UTF_8), null);
        assertThat(request("preview-import.json", id).status()).isEqualTo(202);
        JsonNode previewed = await(() -> get(id), "PREVIEWED", "FAILED");
        assertThat(previewed.path("status").asText()).isEqualTo("PREVIEWED");
        assertThat(previewed.path("batches").asInt()).isEqualTo(3);
        assertThat(previewed.path("preview").path("ok").asInt()).isEqualTo(f.ok);

        // the 40th customer's transaction is applied, then the task function's process dies (batch 0 or 1, two run at once)
        AtomicInteger creates = new AtomicInteger();
        CRASHING.afterTransaction(r -> CrashingDynamo.writing("CUSTOMER_IMPORT#" + id, "ROW#").test(r) && creates.incrementAndGet() == 40);
        Reply commit = request("commit-import.json", id);
        assertThat(commit.status()).isEqualTo(202);
        String execution = FlowStarter.executionArn(machineArn, new ImportStore(table).require(id).execution());

        DescribeExecutionResponse failed = awaitExecution(execution);
        assertThat(CRASHING.fired()).isTrue();
        assertThat(failed.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(failed.error()).isEqualTo("Lambda.Unknown");
        assertThat(failed.redriveStatus()).isEqualTo(ExecutionRedriveStatus.REDRIVABLE);
        JsonNode stopped = await(() -> get(id), "FAILED", "COMPLETED");
        assertThat(stopped.path("status").asText()).as("FAILED through the execution's status change").isEqualTo("FAILED");
        assertThat(stopped.path("problem").path("code").asText()).isEqualTo("Lambda.Unknown");
        assertThat(endOutcomes).extracting(o -> o.path("outcome").asText()).containsExactly("RECONCILED");
        int createdBefore = imported(f, mine).size();
        assertThat(createdBefore).as("part of the file was created before the kill").isBetween(40, f.ok - 1);

        sfn.redriveExecution(b -> b.executionArn(execution));
        DescribeExecutionResponse redriven = awaitExecution(execution);
        assertThat(redriven.status()).as(String.valueOf(redriven.cause())).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(redriven.redriveCount()).isEqualTo(1);
        // the redriven attempt's first step took the FAILED import up again; then it ran to COMPLETED
        assertThat(redrivenSteps.get(0)).matches("commitBatch: FAILED -> COMMITTING");
        assertThat(redrivenSteps).last().isEqualTo("finish: COMMITTING -> COMPLETED");
        assertThat(redrivenSteps).filteredOn(s -> s.startsWith("read")).as("the redrive starts at the Map, not the file").isEmpty();

        JsonNode done = get(id);
        assertThat(done.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(done.path("problem").isNull()).isTrue();
        assertThat(done.path("batchesDone").asInt()).isEqualTo(3);
        assertThat(done.path("counts").path("created").asInt()).isEqualTo(f.ok);
        assertThat(done.path("counts").path("refused").asInt()).isEqualTo(f.invalid);
        assertThat(done.path("counts").path("duplicate").asInt()).isEqualTo(f.duplicate);
        List<Customer> created = imported(f, mine);
        assertThat(created).hasSize(f.ok);
        assertThat(created.stream().map(Customer::companyName).distinct().count()).as("no name created twice").isEqualTo(f.ok);
        assertThat(table.queryAll(KeyQuery.on(null, "CUSTOMER_IMPORT#" + id, "ROW#"))).hasSize(f.ok + f.invalid + f.duplicate);

        // the first attempt's FAILED event, delivered again late (EventBridge retries): the import stays COMPLETED
        ExecutionEndsHandler ends = new ExecutionEndsHandler(Map.of(machineArn,
                new ExecutionEndsHandler.FlowKind(CustomerImportTasksHandler.flow(table, null), "importId")));
        assertThat(ends.handle(endEvents.get(0)).path("outcome").asText()).isEqualTo("EARLIER_RUN");
        assertThat(get(id).path("status").asText()).isEqualTo("COMPLETED");
        assertThat(imported(f, mine)).hasSize(f.ok);
    }

    static Reply request(String event, String id) {
        return Reply.of(api, Events.load("customer-imports/" + event).as(EAST_SALES_1).id(id)
                .header("Idempotency-Key", ImportDriver.key()));
    }

    static JsonNode get(String id) {
        return Reply.of(api, Events.load("customer-imports/get-import.json").as(EAST_SALES_1).id(id).clearQuery()).body();
    }

    static JsonNode await(Supplier<JsonNode> read, String... statuses) throws InterruptedException {
        Instant until = Instant.now().plus(Duration.ofMinutes(5));
        JsonNode last = read.get();
        while (!List.of(statuses).contains(last.path("status").asText()) && Instant.now().isBefore(until)) {
            Thread.sleep(100);
            last = read.get();
        }
        return last;
    }

    static DescribeExecutionResponse awaitExecution(String arn) throws InterruptedException {
        Instant until = Instant.now().plus(Duration.ofMinutes(5));
        DescribeExecutionResponse d = sfn.describeExecution(b -> b.executionArn(arn));
        while (d.status() == ExecutionStatus.RUNNING && Instant.now().isBefore(until)) {
            Thread.sleep(100);
            d = sfn.describeExecution(b -> b.executionArn(arn));
        }
        return d;
    }

    /** The customers of the file's names that east.sales1 owns, but the one that existed before (the planted duplicate). */
    static List<Customer> imported(PlantedFile f, Customer existing) {
        CustomerService customers = new CustomerService(table);
        Set<String> names = new HashSet<>();
        f.rows.forEach(r -> names.add(r[0]));
        List<Customer> out = new ArrayList<>();
        String cursor = null;
        do {
            var page = customers.list(EAST_SALES_1, new CustomerStore.ListFilter(null, null, null, false), cursor, 100);
            page.items().stream().filter(c -> names.contains(c.companyName()) && !c.customerId().equals(existing.customerId()))
                    .forEach(out::add);
            cursor = page.nextCursor();
        } while (cursor != null);
        return out;
    }
}
