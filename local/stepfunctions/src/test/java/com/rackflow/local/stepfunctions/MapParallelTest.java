package com.rackflow.local.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.local.stepfunctions.asl.Json;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

/** Spec "Parallel State" and "Map State" (Iterator/Parameters and ItemProcessor/ItemSelector forms). */
class MapParallelTest extends SfnTestSupport {

    static final AtomicInteger RUNNING = new AtomicInteger();
    static final AtomicInteger PEAK = new AtomicInteger();

    @BeforeAll
    static void functions() {
        FUNCTIONS.put("ship-val", (arn, payload) -> {
            ObjectNode in = (ObjectNode) json(new String(payload, StandardCharsets.UTF_8));
            in.put("valid", true);
            return Json.write(in).getBytes(StandardCharsets.UTF_8);
        });
        FUNCTIONS.put("Add", (arn, payload) -> {
            var in = json(new String(payload, StandardCharsets.UTF_8));
            return String.valueOf(in.get(0).asInt() + in.get(1).asInt()).getBytes(StandardCharsets.UTF_8);
        });
        FUNCTIONS.put("Subtract", (arn, payload) -> {
            var in = json(new String(payload, StandardCharsets.UTF_8));
            return String.valueOf(in.get(0).asInt() - in.get(1).asInt()).getBytes(StandardCharsets.UTF_8);
        });
        FUNCTIONS.put("Counted", (arn, payload) -> {
            int now = RUNNING.incrementAndGet();
            PEAK.accumulateAndGet(now, Math::max);
            sleep(50);
            RUNNING.decrementAndGet();
            return payload;
        });
    }

    private static final String SHIPMENT = "{\"ship-date\":\"2016-03-14T01:59:00Z\",\"detail\":{\"delivery-partner\":"
            + "\"UQS\",\"shipped\":[{\"prod\":\"R31\",\"dest-code\":9511,\"quantity\":1344},{\"prod\":\"S39\","
            + "\"dest-code\":9511,\"quantity\":40},{\"prod\":\"R31\",\"dest-code\":9833,\"quantity\":12},{\"prod\":"
            + "\"R40\",\"dest-code\":9860,\"quantity\":887},{\"prod\":\"R40\",\"dest-code\":9511,\"quantity\":1220}]}}";

    @Test
    void specExampleMapWithIteratorAndParameters() {
        String def = "{\"StartAt\":\"Validate-All\",\"States\":{\"Validate-All\":{\"Type\":\"Map\",\"InputPath\":"
                + "\"$.detail\",\"ItemsPath\":\"$.shipped\",\"MaxConcurrency\":0,\"Parameters\":{\"parcel.$\":"
                + "\"$$.Map.Item.Value\",\"courier.$\":\"$.delivery-partner\"},\"Iterator\":{\"StartAt\":\"Validate\","
                + "\"States\":{\"Validate\":{\"Type\":\"Task\",\"Resource\":\"" + lambdaArn("ship-val") + "\","
                + "\"End\":true}}},\"ResultPath\":\"$.detail.shipped\",\"End\":true}}}";
        var out = output(def, SHIPMENT);
        var shipped = out.get("detail").get("shipped");
        assertThat(shipped).hasSize(5);
        assertThat(shipped.get(0)).isEqualTo(json("{\"parcel\":{\"prod\":\"R31\",\"dest-code\":9511,\"quantity\":1344},"
                + "\"courier\":\"UQS\",\"valid\":true}"));
        assertThat(shipped.get(4).get("parcel").get("quantity").asInt()).isEqualTo(1220);
        assertThat(out.get("ship-date").asText()).isEqualTo("2016-03-14T01:59:00Z");
    }

    @Test
    void itemProcessorWithItemSelectorIndexAndHistory() {
        String def = "{\"StartAt\":\"M\",\"States\":{\"M\":{\"Type\":\"Map\",\"ItemsPath\":\"$.items\","
                + "\"ItemSelector\":{\"i.$\":\"$$.Map.Item.Index\",\"v.$\":\"$$.Map.Item.Value\",\"tag.$\":\"$.tag\"},"
                + "\"ItemProcessor\":{\"ProcessorConfig\":{\"Mode\":\"INLINE\"},\"StartAt\":\"P\",\"States\":{\"P\":"
                + "{\"Type\":\"Pass\",\"End\":true}}},\"End\":true}}}";
        String exec = start(createMachine(def), "{\"items\":[\"a\",\"b\"],\"tag\":\"t\"}");
        assertThat(json(await(exec).output())).isEqualTo(json("[{\"i\":0,\"v\":\"a\",\"tag\":\"t\"},"
                + "{\"i\":1,\"v\":\"b\",\"tag\":\"t\"}]"));
        var events = history(exec);
        assertThat(events.stream().map(HistoryEvent::type).filter(t -> t == HistoryEventType.MAP_ITERATION_STARTED))
                .hasSize(2);
        assertThat(events.stream().map(HistoryEvent::type)).startsWith(HistoryEventType.EXECUTION_STARTED,
                HistoryEventType.MAP_STATE_ENTERED, HistoryEventType.MAP_STATE_STARTED)
                .endsWith(HistoryEventType.MAP_STATE_SUCCEEDED, HistoryEventType.MAP_STATE_EXITED,
                        HistoryEventType.EXECUTION_SUCCEEDED);
        assertThat(events.get(2).mapStateStartedEventDetails().length()).isEqualTo(2);
        assertThat(events.stream().filter(e -> e.type() == HistoryEventType.MAP_ITERATION_SUCCEEDED)
                .map(e -> e.mapIterationSucceededEventDetails().name())).containsOnly("M");
    }

    @Test
    void maxConcurrencyBoundsParallelIterations() {
        PEAK.set(0);
        String def = "{\"StartAt\":\"M\",\"States\":{\"M\":{\"Type\":\"Map\",\"MaxConcurrency\":3,\"ItemProcessor\":"
                + "{\"StartAt\":\"T\",\"States\":{\"T\":{\"Type\":\"Task\",\"Resource\":\"" + lambdaArn("Counted")
                + "\",\"End\":true}}},\"End\":true}}}";
        var out = output(def, "[1,2,3,4,5,6,7,8,9,10,11,12]");
        assertThat(out).isEqualTo(json("[1,2,3,4,5,6,7,8,9,10,11,12]"));
        assertThat(PEAK.get()).isBetween(2, 3);
    }

    @Test
    void emptyItemsGiveAnEmptyArray() {
        assertThat(output("{\"StartAt\":\"M\",\"States\":{\"M\":{\"Type\":\"Map\",\"ItemProcessor\":{\"StartAt\":"
                + "\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}},\"End\":true}}}", "[]"))
                .isEqualTo(json("[]"));
    }

    @Test
    void aFailedIterationFailsTheMapAndCanBeCaught() {
        String def = "{\"StartAt\":\"M\",\"States\":{\"M\":{\"Type\":\"Map\",\"ItemProcessor\":{\"StartAt\":\"C\","
                + "\"States\":{\"C\":{\"Type\":\"Choice\",\"Choices\":[{\"Variable\":\"$\",\"NumericEquals\":3,"
                + "\"Next\":\"F\"}],\"Default\":\"OK\"},\"F\":{\"Type\":\"Fail\",\"Error\":\"Item.Bad\",\"Cause\":\"three\"},"
                + "\"OK\":{\"Type\":\"Pass\",\"End\":true}}},\"Catch\":[{\"ErrorEquals\":[\"Item.Bad\"],\"Next\":\"H\"}],"
                + "\"End\":true},\"H\":{\"Type\":\"Pass\",\"End\":true}}}";
        String exec = start(createMachine(def), "[1,2,3,4]");
        assertThat(json(await(exec).output())).isEqualTo(json("{\"Error\":\"Item.Bad\",\"Cause\":\"three\"}"));
        assertThat(eventTypes(exec)).contains(HistoryEventType.MAP_ITERATION_FAILED, HistoryEventType.MAP_STATE_FAILED);
    }

    @Test
    void itemsPathMustSelectAnArray() {
        String def = "{\"StartAt\":\"M\",\"States\":{\"M\":{\"Type\":\"Map\",\"ItemsPath\":\"$.x\",\"ItemProcessor\":"
                + "{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}},\"End\":true}}}";
        assertThat(run(def, "{\"x\":1}").error()).isEqualTo("States.Runtime");
    }

    @Test
    void specExampleParallelFunWithMath() {
        String def = "{\"StartAt\":\"FunWithMath\",\"States\":{\"FunWithMath\":{\"Type\":\"Parallel\",\"Branches\":["
                + "{\"StartAt\":\"Add\",\"States\":{\"Add\":{\"Type\":\"Task\",\"Resource\":\"" + lambdaArn("Add")
                + "\",\"End\":true}}},{\"StartAt\":\"Subtract\",\"States\":{\"Subtract\":{\"Type\":\"Task\","
                + "\"Resource\":\"" + lambdaArn("Subtract") + "\",\"End\":true}}}],\"End\":true}}}";
        String exec = start(createMachine(def), "[3,2]");
        assertThat(json(await(exec).output())).isEqualTo(json("[5,1]"));
        var types = eventTypes(exec);
        assertThat(types).startsWith(HistoryEventType.EXECUTION_STARTED, HistoryEventType.PARALLEL_STATE_ENTERED,
                HistoryEventType.PARALLEL_STATE_STARTED).endsWith(HistoryEventType.TASK_STATE_EXITED,
                HistoryEventType.PARALLEL_STATE_EXITED, HistoryEventType.EXECUTION_SUCCEEDED)
                .doesNotContain(HistoryEventType.PARALLEL_STATE_SUCCEEDED); // AWS never sends it
        assertThat(types.stream().filter(t -> t == HistoryEventType.TASK_STATE_ENTERED)).hasSize(2);
    }

    @Test
    void parallelBranchFailureFailsTheState() {
        String def = "{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Parallel\",\"Branches\":["
                + "{\"StartAt\":\"W\",\"States\":{\"W\":{\"Type\":\"Wait\",\"Seconds\":5,\"End\":true}}},"
                + "{\"StartAt\":\"F\",\"States\":{\"F\":{\"Type\":\"Fail\",\"Error\":\"Branch.Broken\"}}}],"
                + "\"End\":true}}}";
        String exec = start(createMachine(def), "{}");
        DescribeExecutionResponse d = await(exec);
        assertThat(d.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(d.error()).isEqualTo("Branch.Broken");
        assertThat(eventTypes(exec)).contains(HistoryEventType.PARALLEL_STATE_FAILED);
    }

    @Test
    void parallelParametersAndResultSelector() {
        String def = "{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Parallel\",\"Parameters\":{\"n.$\":\"$.n\"},"
                + "\"Branches\":[{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"End\":true}}},"
                + "{\"StartAt\":\"B\",\"States\":{\"B\":{\"Type\":\"Pass\",\"Result\":\"b\",\"End\":true}}}],"
                + "\"ResultSelector\":{\"first.$\":\"$[0].n\",\"second.$\":\"$[1]\"},\"ResultPath\":\"$.r\",\"End\":true}}}";
        assertThat(output(def, "{\"n\":1,\"m\":2}")).isEqualTo(json("{\"n\":1,\"m\":2,\"r\":{\"first\":1,"
                + "\"second\":\"b\"}}"));
    }
}
