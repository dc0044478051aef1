package com.rackflow.local.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.CreateStateMachineResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.GetExecutionHistoryResponse;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.InvalidArnException;
import software.amazon.awssdk.services.sfn.model.InvalidDefinitionException;
import software.amazon.awssdk.services.sfn.model.InvalidExecutionInputException;
import software.amazon.awssdk.services.sfn.model.InvalidNameException;
import software.amazon.awssdk.services.sfn.model.ListExecutionsResponse;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.StartSyncExecutionResponse;
import software.amazon.awssdk.services.sfn.model.StateMachineAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.StateMachineTypeNotSupportedException;
import software.amazon.awssdk.services.sfn.model.StateMachineType;
import software.amazon.awssdk.services.sfn.model.SyncExecutionStatus;
import software.amazon.awssdk.services.sfn.model.ValidateStateMachineDefinitionResponse;
import software.amazon.awssdk.services.sfn.model.ValidateStateMachineDefinitionResultCode;

/** The Step Functions API operations and their error codes, through the SDK. */
class ApiTest extends SfnTestSupport {

    private static final String PASS = single("{\"Type\":\"Pass\",\"End\":true}");
    private static final String WAIT = single("{\"Type\":\"Wait\",\"Seconds\":100000,\"End\":true}");

    @Test
    void createStateMachineIsIdempotentForIdenticalRequests() {
        CreateStateMachineResponse a = sfn.createStateMachine(b -> b.name("idem").definition(PASS).roleArn(ROLE));
        CreateStateMachineResponse again = sfn.createStateMachine(b -> b.name("idem").definition(PASS).roleArn(ROLE));
        assertThat(again.stateMachineArn()).isEqualTo(a.stateMachineArn())
                .isEqualTo("arn:aws:states:us-east-1:123456789012:stateMachine:idem");
        assertThat(again.creationDate()).isEqualTo(a.creationDate());
        assertThatThrownBy(() -> sfn.createStateMachine(b -> b.name("idem").definition(WAIT).roleArn(ROLE)))
                .isInstanceOf(StateMachineAlreadyExistsException.class);
    }

    @Test
    void createStateMachineRefusesBadNamesAndDefinitions() {
        assertThatThrownBy(() -> sfn.createStateMachine(b -> b.name("bad name").definition(PASS).roleArn(ROLE)))
                .isInstanceOf(InvalidNameException.class);
        assertThatThrownBy(() -> sfn.createStateMachine(b -> b.name("x".repeat(81)).definition(PASS).roleArn(ROLE)))
                .isInstanceOf(InvalidNameException.class);
        assertThatThrownBy(() -> sfn.createStateMachine(b -> b.name("broken").roleArn(ROLE)
                .definition("{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Next\":\"Nowhere\"}}}")))
                .isInstanceOf(InvalidDefinitionException.class)
                .hasMessageContaining("MISSING_TRANSITION_TARGET")
                .hasMessageContaining("/States/A/Next");
        assertThatThrownBy(() -> sfn.createStateMachine(b -> b.name("notjson").roleArn(ROLE).definition("{")))
                .isInstanceOf(InvalidDefinitionException.class).hasMessageContaining("INVALID_JSON_DESCRIPTION");
    }

    @Test
    void describeListUpdateDeleteStateMachine() {
        String arn = sfn.createStateMachine(b -> b.name("crud").definition(PASS).roleArn(ROLE)).stateMachineArn();
        var d = sfn.describeStateMachine(b -> b.stateMachineArn(arn));
        assertThat(d.name()).isEqualTo("crud");
        assertThat(d.definition()).isEqualTo(PASS);
        assertThat(d.typeAsString()).isEqualTo("STANDARD");
        assertThat(d.statusAsString()).isEqualTo("ACTIVE");
        assertThat(sfn.listStateMachinesPaginator(b -> b.maxResults(1)).stateMachines().stream()
                .map(m -> m.name())).contains("crud");
        String running = start(arn, "{}");
        var updated = sfn.updateStateMachine(b -> b.stateMachineArn(arn).definition(WAIT));
        assertThat(sfn.describeStateMachineForExecution(b -> b.executionArn(running)).definition()).isEqualTo(PASS);
        assertThat(updated.updateDate()).isNotNull();
        assertThat(sfn.describeStateMachine(b -> b.stateMachineArn(arn)).definition()).isEqualTo(WAIT);
        sfn.deleteStateMachine(b -> b.stateMachineArn(arn));
        assertThatThrownBy(() -> sfn.describeStateMachine(b -> b.stateMachineArn(arn)))
                .isInstanceOf(StateMachineDoesNotExistException.class);
        assertThatThrownBy(() -> sfn.describeStateMachine(b -> b.stateMachineArn("nope")))
                .isInstanceOf(InvalidArnException.class);
    }

    @Test
    void startExecutionNameIdempotency() {
        String machine = createMachine(WAIT);
        String first = sfn.startExecution(b -> b.stateMachineArn(machine).name("once").input("{\"a\":1}"))
                .executionArn();
        String same = sfn.startExecution(b -> b.stateMachineArn(machine).name("once").input("{\"a\":1}"))
                .executionArn();
        assertThat(same).isEqualTo(first).endsWith(":execution:" + machine.substring(machine.lastIndexOf(':') + 1)
                + ":once");
        assertThatThrownBy(() -> sfn.startExecution(b -> b.stateMachineArn(machine).name("once").input("{\"a\":2}")))
                .isInstanceOf(ExecutionAlreadyExistsException.class);
        sfn.stopExecution(b -> b.executionArn(first));
        assertThatThrownBy(() -> sfn.startExecution(b -> b.stateMachineArn(machine).name("once").input("{\"a\":1}")))
                .isInstanceOf(ExecutionAlreadyExistsException.class);
    }

    @Test
    void startExecutionValidatesInput() {
        String machine = createMachine(PASS);
        assertThatThrownBy(() -> sfn.startExecution(b -> b.stateMachineArn(machine).input("{not json")))
                .isInstanceOf(InvalidExecutionInputException.class);
        String big = "{\"s\":\"" + "x".repeat(262_144) + "\"}";
        assertThatThrownBy(() -> sfn.startExecution(b -> b.stateMachineArn(machine).input(big)))
                .isInstanceOf(SfnException.class).hasMessageContaining("262144");
        assertThatThrownBy(() -> sfn.startExecution(b -> b.stateMachineArn(machine).name("a/b")))
                .isInstanceOf(InvalidNameException.class);
        assertThatThrownBy(() -> sfn.startExecution(b -> b.stateMachineArn(machine + "x")))
                .isInstanceOf(StateMachineDoesNotExistException.class);
        assertThat(await(sfn.startExecution(b -> b.stateMachineArn(machine)).executionArn()).input()).isEqualTo("{}");
    }

    @Test
    void stateOutputOverTheLimitFailsWithDataLimitExceeded() {
        String def = single("{\"Type\":\"Pass\",\"Parameters\":{\"a.$\":\"$.s\",\"b.$\":\"$.s\"},\"End\":true}");
        String input = "{\"s\":\"" + "x".repeat(200_000) + "\"}";
        assertThat(run(def, input).error()).isEqualTo("States.DataLimitExceeded");
    }

    @Test
    void listExecutionsFiltersAndPages() {
        String machine = createMachine(WAIT);
        List<String> running = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            running.add(start(machine, "{}"));
        }
        sfn.stopExecution(b -> b.executionArn(running.get(0)));
        ListExecutionsResponse page1 = sfn.listExecutions(b -> b.stateMachineArn(machine).maxResults(2));
        assertThat(page1.executions()).hasSize(2);
        assertThat(page1.nextToken()).isNotNull();
        ListExecutionsResponse page2 = sfn.listExecutions(b -> b.stateMachineArn(machine).maxResults(2)
                .nextToken(page1.nextToken()));
        assertThat(page2.executions()).hasSize(1);
        assertThat(page2.nextToken()).isNull();
        assertThat(sfn.listExecutions(b -> b.stateMachineArn(machine).statusFilter(ExecutionStatus.ABORTED))
                .executions()).extracting(e -> e.executionArn()).containsExactly(running.get(0));
        assertThat(sfn.listExecutions(b -> b.stateMachineArn(machine).statusFilter(ExecutionStatus.RUNNING))
                .executions()).hasSize(2);
        running.subList(1, 3).forEach(arn -> sfn.stopExecution(b -> b.executionArn(arn)));
    }

    @Test
    void getExecutionHistoryPagesAndReverses() {
        String def = "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Next\":\"B\"},\"B\":{\"Type\":\"Pass\","
                + "\"Next\":\"C\"},\"C\":{\"Type\":\"Pass\",\"End\":true}}}";
        String exec = start(createMachine(def), "{}");
        await(exec);
        GetExecutionHistoryResponse p1 = sfn.getExecutionHistory(b -> b.executionArn(exec).maxResults(3));
        assertThat(p1.events()).extracting(e -> e.id()).containsExactly(1L, 2L, 3L);
        GetExecutionHistoryResponse p2 = sfn.getExecutionHistory(b -> b.executionArn(exec).maxResults(100)
                .nextToken(p1.nextToken()));
        assertThat(p2.events()).extracting(e -> e.id()).containsExactly(4L, 5L, 6L, 7L, 8L);
        GetExecutionHistoryResponse reversed = sfn.getExecutionHistory(b -> b.executionArn(exec).reverseOrder(true));
        assertThat(reversed.events().get(0).type()).isEqualTo(HistoryEventType.EXECUTION_SUCCEEDED);
        assertThat(reversed.events().get(0).previousEventId()).isEqualTo(7L);
        var noData = sfn.getExecutionHistory(b -> b.executionArn(exec).includeExecutionData(false));
        assertThat(noData.events().get(1).stateEnteredEventDetails().input()).isNull();
        assertThat(p1.events().get(0).timestamp()).isNotNull();
        assertThatThrownBy(() -> sfn.getExecutionHistory(b -> b.executionArn(exec + "x")))
                .isInstanceOf(ExecutionDoesNotExistException.class);
    }

    @Test
    void stopExecutionAbortsAWaitingExecution() {
        String exec = start(createMachine(WAIT), "{}");
        sleep(20);
        var stop = sfn.stopExecution(b -> b.executionArn(exec).error("Why").cause("Because"));
        assertThat(stop.stopDate()).isNotNull();
        var d = await(exec);
        assertThat(d.status()).isEqualTo(ExecutionStatus.ABORTED);
        assertThat(d.error()).isEqualTo("Why");
        assertThat(eventTypes(exec)).containsExactly(HistoryEventType.EXECUTION_STARTED,
                HistoryEventType.WAIT_STATE_ENTERED, HistoryEventType.EXECUTION_ABORTED);
    }

    @Test
    void executionTimeoutSecondsTimesTheExecutionOut() {
        String def = "{\"TimeoutSeconds\":50,\"StartAt\":\"W\",\"States\":{\"W\":{\"Type\":\"Wait\",\"Seconds\":100000,"
                + "\"End\":true}}}";
        String exec = start(createMachine(def), "{}");
        var d = await(exec);
        assertThat(d.status()).isEqualTo(ExecutionStatus.TIMED_OUT);
        assertThat(eventTypes(exec)).endsWith(HistoryEventType.EXECUTION_TIMED_OUT);
    }

    @Test
    void anExecutionStopsAtTwentyFiveThousandHistoryEvents() {
        String def = "{\"StartAt\":\"Loop\",\"States\":{\"Loop\":{\"Type\":\"Choice\",\"Choices\":[{\"Variable\":"
                + "\"$.spin\",\"BooleanEquals\":true,\"Next\":\"Loop\"}],\"Default\":\"Done\"},\"Done\":{\"Type\":\"Succeed\"}}}";
        String exec = start(createMachine(def), "{\"spin\":true}");
        var d = await(exec);
        assertThat(d.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(d.error()).isEqualTo("States.Runtime");
        assertThat(d.cause()).isEqualTo("The execution reached the maximum number of history events (25000).");
        var last = sfn.getExecutionHistory(b -> b.executionArn(exec).reverseOrder(true).maxResults(2)).events();
        assertThat(last.get(0).id()).isEqualTo(25_000L);
        assertThat(last.get(0).type()).isEqualTo(HistoryEventType.EXECUTION_FAILED);
        assertThat(last.get(0).previousEventId()).isEqualTo(24_999L);
    }

    @Test
    void startSyncExecutionRunsExpressMachines() {
        String express = createMachine(single("{\"Type\":\"Pass\",\"Parameters\":{\"doubled.$\":"
                + "\"States.MathAdd($.n, $.n)\"},\"End\":true}"), StateMachineType.EXPRESS);
        StartSyncExecutionResponse r = sfn.startSyncExecution(b -> b.stateMachineArn(express).input("{\"n\":21}"));
        assertThat(r.status()).isEqualTo(SyncExecutionStatus.SUCCEEDED);
        assertThat(json(r.output())).isEqualTo(json("{\"doubled\":42}"));
        assertThat(r.executionArn()).contains(":express:");
        assertThat(r.stopDate()).isNotNull();
        StartSyncExecutionResponse failed = sfn.startSyncExecution(b -> b.stateMachineArn(createMachine(
                single("{\"Type\":\"Fail\",\"Error\":\"Nope\",\"Cause\":\"c\"}"), StateMachineType.EXPRESS)));
        assertThat(failed.status()).isEqualTo(SyncExecutionStatus.FAILED);
        assertThat(failed.error()).isEqualTo("Nope");
        String standard = createMachine(PASS);
        assertThatThrownBy(() -> sfn.startSyncExecution(b -> b.stateMachineArn(standard)))
                .isInstanceOf(StateMachineTypeNotSupportedException.class);
        assertThatThrownBy(() -> sfn.listExecutions(b -> b.stateMachineArn(express)))
                .isInstanceOf(StateMachineTypeNotSupportedException.class);
    }

    @Test
    void validateStateMachineDefinitionReportsDiagnostics() {
        ValidateStateMachineDefinitionResponse ok = sfn.validateStateMachineDefinition(b -> b.definition(PASS));
        assertThat(ok.result()).isEqualTo(ValidateStateMachineDefinitionResultCode.OK);
        assertThat(ok.diagnostics()).isEmpty();
        ValidateStateMachineDefinitionResponse bad = sfn.validateStateMachineDefinition(b -> b.definition(
                "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Task\",\"End\":true,\"Bogus\":1}}}"));
        assertThat(bad.result()).isEqualTo(ValidateStateMachineDefinitionResultCode.FAIL);
        assertThat(bad.diagnostics()).extracting(d -> d.code() + " " + d.location()).contains(
                "SCHEMA_VALIDATION_FAILED /States/A/Bogus");
        assertThat(bad.diagnostics()).extracting(d -> d.severityAsString()).containsOnly("ERROR");
        String warnings = "{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"Parameters\":{\"id\":\"$.id\"},"
                + "\"Next\":\"R\"},\"R\":{\"Type\":\"Pass\",\"Result\":{\"x.$\":\"$.x\"},\"End\":true}}}";
        ValidateStateMachineDefinitionResponse warned = sfn.validateStateMachineDefinition(b -> b.definition(warnings));
        assertThat(warned.result()).isEqualTo(ValidateStateMachineDefinitionResultCode.OK);
        assertThat(warned.diagnostics()).extracting(d -> d.severityAsString() + " " + d.code() + " " + d.location())
                .containsExactlyInAnyOrder("WARNING NO_DOLLAR /States/P/Parameters/id",
                        "WARNING PASS_RESULT_IS_STATIC /States/R/Result");
        assertThat(createMachine(warnings)).isNotBlank();
    }

    @Test
    void describeExecutionOfASucceededExecution() {
        String machine = createMachine(PASS);
        String exec = sfn.startExecution(b -> b.stateMachineArn(machine).name("desc").input("{\"k\":\"v\"}"))
                .executionArn();
        var d = await(exec);
        assertThat(d.stateMachineArn()).isEqualTo(machine);
        assertThat(d.name()).isEqualTo("desc");
        assertThat(d.input()).isEqualTo("{\"k\":\"v\"}");
        assertThat(d.output()).isEqualTo("{\"k\":\"v\"}");
        assertThat(d.startDate()).isBeforeOrEqualTo(d.stopDate());
        assertThat(d.inputDetails().included()).isTrue();
    }
}
