package com.rackflow.local.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.ActivityDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.GetActivityTaskResponse;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

/** Activities: a worker written for AWS (CreateActivity, GetActivityTask, SendTask*) runs unchanged. */
class ActivityTest extends SfnTestSupport {

    private static String activityMachine(String activityArn, String extra) {
        return single("{\"Type\":\"Task\",\"Resource\":\"" + activityArn + "\"" + extra + ",\"End\":true}");
    }

    @Test
    void aWorkerTakesTheTaskAndAnswersIt() {
        String activity = sfn.createActivity(b -> b.name("rack-survey")).activityArn();
        assertThat(activity).isEqualTo("arn:aws:states:us-east-1:123456789012:activity:rack-survey");
        assertThat(sfn.createActivity(b -> b.name("rack-survey")).activityArn()).isEqualTo(activity);
        String exec = start(createMachine(activityMachine(activity, ",\"ResultPath\":\"$.survey\"")),
                "{\"rack\":\"R7\"}");
        GetActivityTaskResponse task = sfn.getActivityTask(b -> b.activityArn(activity).workerName("surveyor-1"));
        assertThat(task.input()).isEqualTo("{\"rack\":\"R7\"}");
        sfn.sendTaskHeartbeat(b -> b.taskToken(task.taskToken()));
        sfn.sendTaskSuccess(b -> b.taskToken(task.taskToken()).output("{\"freeUnits\":12}"));
        DescribeExecutionResponse d = await(exec);
        assertThat(json(d.output())).isEqualTo(json("{\"rack\":\"R7\",\"survey\":{\"freeUnits\":12}}"));
        assertThat(eventTypes(exec)).containsExactly(HistoryEventType.EXECUTION_STARTED,
                HistoryEventType.TASK_STATE_ENTERED, HistoryEventType.ACTIVITY_SCHEDULED,
                HistoryEventType.ACTIVITY_STARTED, HistoryEventType.ACTIVITY_SUCCEEDED,
                HistoryEventType.TASK_STATE_EXITED, HistoryEventType.EXECUTION_SUCCEEDED);
        assertThat(history(exec).get(3).activityStartedEventDetails().workerName()).isEqualTo("surveyor-1");
        assertThat(sfn.describeActivity(b -> b.activityArn(activity)).name()).isEqualTo("rack-survey");
        assertThat(sfn.listActivities(b -> { }).activities()).anyMatch(a -> a.activityArn().equals(activity));
    }

    @Test
    void aFailureFromTheWorkerFailsTheTask() {
        String activity = sfn.createActivity(b -> b.name("rack-check")).activityArn();
        String exec = start(createMachine(activityMachine(activity, "")), "{}");
        String token = sfn.getActivityTask(b -> b.activityArn(activity)).taskToken();
        sfn.sendTaskFailure(b -> b.taskToken(token).error("Rack.Locked").cause("door sensor"));
        DescribeExecutionResponse d = await(exec);
        assertThat(d.error()).isEqualTo("Rack.Locked");
        assertThat(d.cause()).isEqualTo("door sensor");
        assertThat(eventTypes(exec)).contains(HistoryEventType.ACTIVITY_FAILED);
    }

    @Test
    void aWorkerThatStopsHeartbeatingTimesTheTaskOut() {
        String activity = sfn.createActivity(b -> b.name("rack-slow")).activityArn();
        String exec = start(createMachine(activityMachine(activity, ",\"HeartbeatSeconds\":20")), "{}");
        String token = sfn.getActivityTask(b -> b.activityArn(activity)).taskToken();
        DescribeExecutionResponse d = await(exec);
        assertThat(d.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(d.error()).isEqualTo("States.HeartbeatTimeout");
        assertThat(eventTypes(exec)).contains(HistoryEventType.ACTIVITY_TIMED_OUT);
        assertThatThrownBy(() -> sfn.sendTaskSuccess(b -> b.taskToken(token).output("{}")))
                .hasMessageContaining("Task Timed Out");
    }

    @Test
    void anUnknownActivityIsRefused() {
        assertThatThrownBy(() -> sfn.describeActivity(b -> b.activityArn(
                "arn:aws:states:us-east-1:123456789012:activity:nope"))).isInstanceOf(
                ActivityDoesNotExistException.class);
        sfn.deleteActivity(b -> b.activityArn(sfn.createActivity(c -> c.name("gone")).activityArn()));
        assertThatThrownBy(() -> sfn.getActivityTask(b -> b.activityArn(
                "arn:aws:states:us-east-1:123456789012:activity:gone"))).isInstanceOf(
                ActivityDoesNotExistException.class);
    }
}
