package com.rackflow.local.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

/** Spec "Wait State" on the scaled clock (0.001: one workflow second is one millisecond). */
class WaitStateTest extends SfnTestSupport {

    @Test
    void secondsWaitsOnTheScaledClock() {
        String exec = start(createMachine(single("{\"Type\":\"Wait\",\"Seconds\":300,\"End\":true}")), "{\"a\":1}");
        long t0 = System.nanoTime();
        assertThat(await(exec).output()).isEqualTo("{\"a\":1}");
        assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(250);
        assertThat(eventTypes(exec)).containsExactly(HistoryEventType.EXECUTION_STARTED,
                HistoryEventType.WAIT_STATE_ENTERED, HistoryEventType.WAIT_STATE_EXITED,
                HistoryEventType.EXECUTION_SUCCEEDED);
    }

    @Test
    void secondsPathTimestampAndTimestampPath() {
        assertThat(output(single("{\"Type\":\"Wait\",\"SecondsPath\":\"$.s\",\"End\":true}"), "{\"s\":10}"))
                .isEqualTo(json("{\"s\":10}"));
        assertThat(output(single("{\"Type\":\"Wait\",\"Timestamp\":\"2016-03-14T01:59:00Z\",\"End\":true}"), "{}"))
                .isEqualTo(json("{}"));
        String soon = Instant.now().plusSeconds(20).toString();
        assertThat(output(single("{\"Type\":\"Wait\",\"TimestampPath\":\"$.expirydate\",\"OutputPath\":\"$.k\","
                + "\"End\":true}"), "{\"expirydate\":\"" + soon + "\",\"k\":5}")).isEqualTo(json("5"));
    }

    @Test
    void invalidSecondsPathFails() {
        assertThat(run(single("{\"Type\":\"Wait\",\"SecondsPath\":\"$.s\",\"End\":true}"), "{\"s\":\"x\"}").error())
                .isEqualTo("States.Runtime");
    }
}
