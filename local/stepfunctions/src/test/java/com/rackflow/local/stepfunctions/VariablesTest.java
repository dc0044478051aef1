package com.rackflow.local.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Workflow variables: Assign, `$name` references, simultaneous assignment, and Map/Parallel scoping. */
class VariablesTest extends SfnTestSupport {

    @Test
    void assignedVariablesAreVisibleToLaterStates() {
        String def = "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Assign\":{\"user.$\":\"$.name\","
                + "\"count\":1,\"nested\":{\"x.$\":\"$.name\"}},\"Next\":\"B\"},\"B\":{\"Type\":\"Pass\",\"Parameters\":"
                + "{\"u.$\":\"$user\",\"c.$\":\"$count\",\"x.$\":\"$nested.x\"},\"End\":true}}}";
        assertThat(output(def, "{\"name\":\"Ann\"}")).isEqualTo(json("{\"u\":\"Ann\",\"c\":1,\"x\":\"Ann\"}"));
    }

    @Test
    void theExitedEventListsTheAssignedVariables() {
        String def = single("{\"Type\":\"Pass\",\"Assign\":{\"user.$\":\"$.name\",\"n\":1},\"End\":true}");
        String exec = start(createMachine(def), "{\"name\":\"Ann\"}");
        await(exec);
        var exited = history(exec).get(2).stateExitedEventDetails();
        assertThat(exited.assignedVariables()).containsExactlyInAnyOrderEntriesOf(
                java.util.Map.of("user", "\"Ann\"", "n", "1"));
        assertThat(exited.assignedVariablesDetails().truncated()).isFalse();
    }

    @Test
    void assignmentsInOneStateSeeTheOldValues() {
        String def = "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Assign\":{\"a\":1,\"b\":2},"
                + "\"Next\":\"Swap\"},\"Swap\":{\"Type\":\"Pass\",\"Assign\":{\"a.$\":\"$b\",\"b.$\":\"$a\"},\"Next\":\"C\"},"
                + "\"C\":{\"Type\":\"Pass\",\"Parameters\":{\"a.$\":\"$a\",\"b.$\":\"$b\"},\"End\":true}}}";
        assertThat(output(def, "{}")).isEqualTo(json("{\"a\":2,\"b\":1}"));
    }

    @Test
    void taskAssignSeesTheResultAfterResultSelector() {
        String def = "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Result\":{\"v\":5},\"Assign\":"
                + "{\"fromResult.$\":\"$.v\"},\"ResultPath\":null,\"Next\":\"B\"},\"B\":{\"Type\":\"Pass\","
                + "\"Parameters\":{\"r.$\":\"$fromResult\"},\"End\":true}}}";
        assertThat(output(def, "{}")).isEqualTo(json("{\"r\":5}"));
    }

    @Test
    void iterationsReadOuterVariablesButTheirOwnStayInside() {
        String def = "{\"StartAt\":\"Init\",\"States\":{\"Init\":{\"Type\":\"Pass\",\"Assign\":{\"factor\":10},"
                + "\"Next\":\"M\"},\"M\":{\"Type\":\"Map\",\"ItemProcessor\":{\"StartAt\":\"In\",\"States\":{\"In\":"
                + "{\"Type\":\"Pass\",\"Assign\":{\"inner.$\":\"$\"},\"Parameters\":{\"item.$\":\"$\",\"f.$\":\"$factor\"},"
                + "\"End\":true}}},\"Next\":\"After\"},\"After\":{\"Type\":\"Pass\",\"Parameters\":{\"r.$\":\"$inner\"},"
                + "\"End\":true}}}";
        var d = run(def, "[1,2]");
        assertThat(d.error()).isEqualTo("States.Runtime");
        assertThat(d.cause()).contains("$inner");
        String ok = def.replace("\"r.$\":\"$inner\"", "\"r.$\":\"$\"");
        assertThat(output(ok, "[1,2]")).isEqualTo(json("{\"r\":[{\"item\":1,\"f\":10},{\"item\":2,\"f\":10}]}"));
    }

    @Test
    void waitStateAssigns() {
        String def = "{\"StartAt\":\"W\",\"States\":{\"W\":{\"Type\":\"Wait\",\"Seconds\":1,\"Assign\":{\"waited.$\":"
                + "\"$.n\"},\"Next\":\"P\"},\"P\":{\"Type\":\"Pass\",\"Parameters\":{\"w.$\":\"$waited\"},\"End\":true}}}";
        assertThat(output(def, "{\"n\":3}")).isEqualTo(json("{\"w\":3}"));
    }

    @Test
    void choiceRuleAndCatcherAssign() {
        String def = "{\"StartAt\":\"C\",\"States\":{\"C\":{\"Type\":\"Choice\",\"Choices\":[{\"Variable\":\"$.v\","
                + "\"NumericGreaterThan\":1,\"Assign\":{\"branch\":\"big\"},\"Next\":\"F\"}],\"Default\":\"F\"},"
                + "\"F\":{\"Type\":\"Parallel\",\"Branches\":[{\"StartAt\":\"X\",\"States\":{\"X\":{\"Type\":\"Fail\","
                + "\"Error\":\"E1\"}}}],\"Catch\":[{\"ErrorEquals\":[\"States.ALL\"],\"Assign\":{\"err.$\":\"$.Error\"},"
                + "\"Next\":\"Out\"}],\"End\":true},\"Out\":{\"Type\":\"Pass\",\"Parameters\":{\"b.$\":\"$branch\","
                + "\"e.$\":\"$err\"},\"End\":true}}}";
        assertThat(output(def, "{\"v\":5}")).isEqualTo(json("{\"b\":\"big\",\"e\":\"E1\"}"));
    }

    @Test
    void anAssignAboveTheSizeLimitFailsTheState() {
        String big = "x".repeat(150_000);
        String def = single("{\"Type\":\"Pass\",\"Assign\":{\"a.$\":\"$.big\",\"b.$\":\"$.big\"},\"End\":true}");
        var d = run(def, "{\"big\":\"" + big + "\"}");
        assertThat(d.error()).isEqualTo("States.Runtime");
        assertThat(d.cause()).contains("combined size").contains("262144");
        String one = single("{\"Type\":\"Pass\",\"Assign\":{\"a.$\":\"$.big\"},\"End\":true}");
        assertThat(run(one, "{\"big\":\"" + big + "\"}").error()).isNull();
    }
}
