package com.rackflow.local.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

/** Executions, histories and task tokens persisted in the data folder survive a restart of the emulator. */
class DurabilityTest {

    private static final String ROLE = "arn:aws:iam::123456789012:role/r";

    private static LocalStepFunctions start(Path data, LambdaInvoker invoker) {
        return LocalStepFunctions.builder().dataFolder(data).timeScale(0.001).lambdaInvoker(invoker).build().start();
    }

    private static ExecutionStatus status(SfnClient sfn, String exec) {
        return sfn.describeExecution(b -> b.executionArn(exec)).status();
    }

    private static void awaitStatus(SfnClient sfn, String exec, ExecutionStatus expected) {
        for (int i = 0; i < 2000 && status(sfn, exec) != expected; i++) {
            SfnTestSupport.sleep(5);
        }
        assertThat(status(sfn, exec)).isEqualTo(expected);
    }

    /** Runs a new machine's execution to FAILED in an emulator on {@code data} that is then closed. */
    private static String failInFirstEmulator(Path data, LambdaInvoker invoker, String name, String definition,
                                              String input) {
        try (LocalStepFunctions first = start(data, invoker); SfnClient sfn = SfnTestSupport.client(first)) {
            String machine = sfn.createStateMachine(b -> b.name(name).definition(definition).roleArn(ROLE))
                    .stateMachineArn();
            String exec = sfn.startExecution(b -> b.stateMachineArn(machine).input(input)).executionArn();
            awaitStatus(sfn, exec, ExecutionStatus.FAILED);
            return exec;
        }
    }

    private static List<HistoryEvent> history(SfnClient sfn, String exec) {
        return sfn.getExecutionHistoryPaginator(b -> b.executionArn(exec)).events().stream().toList();
    }

    @Test
    void aStateInterruptedByARestartRunsAgain(@TempDir Path data) {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        LambdaInvoker slow = (arn, payload) -> {
            if (calls.incrementAndGet() == 1) {
                SfnTestSupport.sleep(5_000); // the first attempt is cut short by the restart
            }
            return "{\"done\":true}".getBytes(StandardCharsets.UTF_8);
        };
        String def = "{\"StartAt\":\"T\",\"States\":{\"T\":{\"Type\":\"Task\",\"Resource\":"
                + "\"arn:aws:lambda:us-east-1:123456789012:function:slow\",\"End\":true}}}";
        String exec;
        try (LocalStepFunctions first = start(data, slow); SfnClient sfn = SfnTestSupport.client(first)) {
            String machine = sfn.createStateMachine(b -> b.name("rerun").definition(def).roleArn(ROLE))
                    .stateMachineArn();
            exec = sfn.startExecution(b -> b.stateMachineArn(machine).input("{}")).executionArn();
            SfnTestSupport.sleep(200);
        }
        try (LocalStepFunctions second = start(data, slow); SfnClient sfn = SfnTestSupport.client(second)) {
            awaitStatus(sfn, exec, ExecutionStatus.SUCCEEDED);
            assertThat(calls.get()).isEqualTo(2); // at least once: the interrupted task ran again
            assertThat(history(sfn, exec)).extracting(HistoryEvent::type).containsExactly(
                    HistoryEventType.EXECUTION_STARTED, HistoryEventType.TASK_STATE_ENTERED,
                    HistoryEventType.LAMBDA_FUNCTION_SCHEDULED, HistoryEventType.LAMBDA_FUNCTION_STARTED,
                    HistoryEventType.LAMBDA_FUNCTION_SUCCEEDED, HistoryEventType.TASK_STATE_EXITED,
                    HistoryEventType.EXECUTION_SUCCEEDED);
        }
    }

    @Test
    void anExecutionWaitingForATaskTokenSurvivesARestart(@TempDir Path data) {
        AtomicReference<String> token = new AtomicReference<>();
        LambdaInvoker inbox = (arn, payload) -> {
            token.set(SfnTestSupport.json(new String(payload, StandardCharsets.UTF_8)).get("token").asText());
            return "{}".getBytes(StandardCharsets.UTF_8);
        };
        String def = "{\"StartAt\":\"Prepare\",\"States\":{\"Prepare\":{\"Type\":\"Pass\",\"Assign\":{\"who\":\"ops\"},"
                + "\"Result\":{\"stage\":\"review\"},\"ResultPath\":\"$.s\",\"Next\":\"Approve\"},"
                + "\"Approve\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::lambda:invoke.waitForTaskToken\","
                + "\"Parameters\":{\"FunctionName\":\"Inbox\",\"Payload\":{\"token.$\":\"$$.Task.Token\"}},"
                + "\"ResultPath\":\"$.decision\",\"Next\":\"Done\"},"
                + "\"Done\":{\"Type\":\"Pass\",\"Parameters\":{\"decision.$\":\"$.decision\",\"by.$\":\"$who\"},\"End\":true}}}";
        String machine;
        String exec;
        String finished;
        try (LocalStepFunctions first = start(data, inbox); SfnClient sfn = SfnTestSupport.client(first)) {
            machine = sfn.createStateMachine(b -> b.name("racking").definition(def).roleArn(ROLE)).stateMachineArn();
            String quick = sfn.createStateMachine(b -> b.name("quick").roleArn(ROLE)
                    .definition("{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}"))
                    .stateMachineArn();
            finished = sfn.startExecution(b -> b.stateMachineArn(quick).input("{\"q\":1}")).executionArn();
            awaitStatus(sfn, finished, ExecutionStatus.SUCCEEDED);
            exec = sfn.startExecution(b -> b.stateMachineArn(machine).name("flow-1").input("{\"contract\":\"HT1\"}"))
                    .executionArn();
            for (int i = 0; i < 2000 && token.get() == null; i++) {
                SfnTestSupport.sleep(5);
            }
            assertThat(token.get()).isNotNull();
            SfnTestSupport.sleep(50);
        }
        try (LocalStepFunctions second = start(data, LambdaInvoker.none());
             SfnClient sfn = SfnTestSupport.client(second)) {
            assertThat(sfn.describeStateMachine(b -> b.stateMachineArn(machine)).definition()).isEqualTo(def);
            assertThat(sfn.describeExecution(b -> b.executionArn(finished)).output()).isEqualTo("{\"q\":1}");
            assertThat(status(sfn, exec)).isEqualTo(ExecutionStatus.RUNNING);
            sfn.sendTaskSuccess(b -> b.taskToken(token.get()).output("{\"approved\":true}"));
            awaitStatus(sfn, exec, ExecutionStatus.SUCCEEDED);
            assertThat(SfnTestSupport.json(sfn.describeExecution(b -> b.executionArn(exec)).output()))
                    .isEqualTo(SfnTestSupport.json("{\"decision\":{\"approved\":true},\"by\":\"ops\"}"));
            List<HistoryEvent> events = history(sfn, exec);
            assertThat(events).extracting(HistoryEvent::id).containsExactlyElementsOf(
                    LongStream.rangeClosed(1, events.size()).boxed().toList());
            assertThat(events).extracting(HistoryEvent::type).containsExactly(HistoryEventType.EXECUTION_STARTED,
                    HistoryEventType.PASS_STATE_ENTERED, HistoryEventType.PASS_STATE_EXITED,
                    HistoryEventType.TASK_STATE_ENTERED, HistoryEventType.TASK_SCHEDULED, HistoryEventType.TASK_STARTED,
                    HistoryEventType.TASK_SUBMITTED, HistoryEventType.TASK_SUCCEEDED,
                    HistoryEventType.TASK_STATE_EXITED, HistoryEventType.PASS_STATE_ENTERED,
                    HistoryEventType.PASS_STATE_EXITED, HistoryEventType.EXECUTION_SUCCEEDED);
        }
        try (LocalStepFunctions third = start(data, LambdaInvoker.none());
             SfnClient sfn = SfnTestSupport.client(third)) {
            assertThat(status(sfn, exec)).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(history(sfn, exec)).hasSize(12);
        }
    }

    @Test
    void aWaitInterruptedByARestartResumesItsDeadlineWithoutDuplicateEvents(@TempDir Path data) {
        String def = "{\"StartAt\":\"W\",\"States\":{\"W\":{\"Type\":\"Wait\",\"Seconds\":3000,\"Next\":\"P\"},"
                + "\"P\":{\"Type\":\"Pass\",\"End\":true}}}";
        String exec;
        try (LocalStepFunctions first = start(data, LambdaInvoker.none()); SfnClient sfn =
                SfnTestSupport.client(first)) {
            String machine = sfn.createStateMachine(b -> b.name("waiter").definition(def).roleArn(ROLE))
                    .stateMachineArn();
            exec = sfn.startExecution(b -> b.stateMachineArn(machine).input("{}")).executionArn();
            SfnTestSupport.sleep(1600); // of the 3 s (scaled) wait
        }
        long restarted = System.nanoTime();
        try (LocalStepFunctions second = start(data, LambdaInvoker.none());
             SfnClient sfn = SfnTestSupport.client(second)) {
            awaitStatus(sfn, exec, ExecutionStatus.SUCCEEDED);
            long waitedAfterRestart = (System.nanoTime() - restarted) / 1_000_000;
            assertThat(waitedAfterRestart).as("the wait resumed its deadline instead of starting again")
                    .isLessThan(2_600);
            assertThat(history(sfn, exec)).extracting(HistoryEvent::type).containsExactly(
                    HistoryEventType.EXECUTION_STARTED, HistoryEventType.WAIT_STATE_ENTERED,
                    HistoryEventType.WAIT_STATE_EXITED, HistoryEventType.PASS_STATE_ENTERED,
                    HistoryEventType.PASS_STATE_EXITED, HistoryEventType.EXECUTION_SUCCEEDED);
        }
    }

    @Test
    void aFailedExecutionCanBeRedrivenAfterARestart(@TempDir Path data) {
        java.util.concurrent.atomic.AtomicInteger prepared = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean rackBusy = new java.util.concurrent.atomic.AtomicBoolean(true);
        LambdaInvoker invoker = (arn, payload) -> {
            if (arn.endsWith(":prepare")) {
                prepared.incrementAndGet();
                return "{\"prepared\":true}".getBytes(StandardCharsets.UTF_8);
            }
            if (rackBusy.get()) {
                throw new LambdaFailure("Rack.Busy", "try later", null);
            }
            return payload;
        };
        String def = "{\"StartAt\":\"Prepare\",\"States\":{\"Prepare\":{\"Type\":\"Task\",\"Resource\":"
                + "\"arn:aws:lambda:us-east-1:123456789012:function:prepare\",\"Assign\":{\"who\":\"ops\"},"
                + "\"Next\":\"Place\"},\"Place\":{\"Type\":\"Task\",\"Resource\":"
                + "\"arn:aws:lambda:us-east-1:123456789012:function:place\",\"Parameters\":{\"in.$\":\"$\","
                + "\"by.$\":\"$who\",\"redrives.$\":\"$$.Execution.RedriveCount\"},\"End\":true}}}";
        String exec = failInFirstEmulator(data, invoker, "redrive-restart", def, "{}");
        rackBusy.set(false);
        try (LocalStepFunctions second = start(data, invoker); SfnClient sfn = SfnTestSupport.client(second)) {
            assertThat(sfn.describeExecution(b -> b.executionArn(exec)).redriveStatus())
                    .isEqualTo(software.amazon.awssdk.services.sfn.model.ExecutionRedriveStatus.REDRIVABLE);
            sfn.redriveExecution(b -> b.executionArn(exec));
            awaitStatus(sfn, exec, ExecutionStatus.SUCCEEDED);
            assertThat(SfnTestSupport.json(sfn.describeExecution(b -> b.executionArn(exec)).output())).isEqualTo(
                    SfnTestSupport.json("{\"in\":{\"prepared\":true},\"by\":\"ops\",\"redrives\":1}"));
        }
        assertThat(prepared.get()).as("the state before the failed one is not run again").isEqualTo(1);
        try (LocalStepFunctions third = start(data, invoker); SfnClient sfn = SfnTestSupport.client(third)) {
            var d = sfn.describeExecution(b -> b.executionArn(exec));
            assertThat(d.redriveCount()).isEqualTo(1);
            assertThat(d.redriveDate()).isNotNull();
            List<HistoryEvent> events = history(sfn, exec);
            assertThat(events).extracting(HistoryEvent::id).containsExactlyElementsOf(
                    LongStream.rangeClosed(1, events.size()).boxed().toList());
            assertThat(events).extracting(HistoryEvent::type).contains(HistoryEventType.EXECUTION_FAILED,
                    HistoryEventType.EXECUTION_REDRIVEN).endsWith(HistoryEventType.TASK_STATE_EXITED,
                    HistoryEventType.EXECUTION_SUCCEEDED);
        }
    }

    @Test
    void aRedriveAfterARestartRunsOnlyTheFailedIterations(@TempDir Path data) {
        List<String> calls = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        java.util.concurrent.atomic.AtomicBoolean busy = new java.util.concurrent.atomic.AtomicBoolean(true);
        LambdaInvoker invoker = (arn, payload) -> {
            String item = SfnTestSupport.json(new String(payload, StandardCharsets.UTF_8)).get("item").asText();
            calls.add(item);
            if (item.equals("s2") && busy.get()) {
                throw new LambdaFailure("Rack.Busy", "try later", null);
            }
            return ("{\"racked\":\"" + item + "\"}").getBytes(StandardCharsets.UTF_8);
        };
        String def = "{\"StartAt\":\"Each\",\"States\":{\"Each\":{\"Type\":\"Map\",\"MaxConcurrency\":1,"
                + "\"ItemProcessor\":{\"StartAt\":\"Rack\",\"States\":{\"Rack\":{\"Type\":\"Task\",\"Resource\":"
                + "\"arn:aws:lambda:us-east-1:123456789012:function:rack\",\"Parameters\":{\"item.$\":\"$\"},"
                + "\"End\":true}}},\"End\":true}}}";
        String exec = failInFirstEmulator(data, invoker, "redrive-map", def, "[\"s1\",\"s2\",\"s3\"]");
        assertThat(calls).containsExactly("s1", "s2");
        calls.clear();
        busy.set(false);
        try (LocalStepFunctions second = start(data, invoker); SfnClient sfn = SfnTestSupport.client(second)) {
            sfn.redriveExecution(b -> b.executionArn(exec));
            awaitStatus(sfn, exec, ExecutionStatus.SUCCEEDED);
            assertThat(SfnTestSupport.json(sfn.describeExecution(b -> b.executionArn(exec)).output())).isEqualTo(
                    SfnTestSupport.json("[{\"racked\":\"s1\"},{\"racked\":\"s2\"},{\"racked\":\"s3\"}]"));
        }
        assertThat(calls).as("the iteration that succeeded before the restart is not run again")
                .containsExactly("s2", "s3");
    }
}
