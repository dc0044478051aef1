package com.rackflow.local.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/** Spec Appendix B and AWS's intrinsic functions: all 18, their limits and States.IntrinsicFailure. */
class IntrinsicFunctionsTest extends SfnTestSupport {

    private static final String INPUT = "{\"name\":\"Ann\",\"arr\":[1,2,3,4,5],\"dup\":[1,2,2,\"a\",\"a\",{\"k\":1},{\"k\":1}],"
            + "\"obj\":{\"a\":1,\"b\":{\"c\":2}},\"obj2\":{\"b\":3,\"d\":4},\"text\":\"{\\\"x\\\":[1,true]}\","
            + "\"csv\":\"1,2,3\",\"n\":7}";

    /** Evaluates one intrinsic call in a Pass state's Parameters and returns the value of field r. */
    private static JsonNode eval(String call) {
        String def = single("{\"Type\":\"Pass\",\"Parameters\":{\"r.$\":" + quote(call) + "},\"End\":true}");
        return output(def, INPUT).get("r");
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static DescribeExecutionResponse failing(String call) {
        String def = single("{\"Type\":\"Pass\",\"Parameters\":{\"r.$\":" + quote(call) + "},\"End\":true}");
        return run(def, INPUT);
    }

    static List<Arguments> calls() {
        return List.of(
                Arguments.of("States.Format('Hello {}, you are {}', $.name, $.n)", "\"Hello Ann, you are 7\""),
                Arguments.of("States.Format('Welcome to {} {}\\'s playlist.', $.name, 'Smith')",
                        "\"Welcome to Ann Smith's playlist.\""),
                Arguments.of("States.Format('braces \\{\\} and {}', true)", "\"braces {} and true\""),
                Arguments.of("States.StringToJson($.text)", "{\"x\":[1,true]}"),
                Arguments.of("States.JsonToString($.obj)", "\"{\\\"a\\\":1,\\\"b\\\":{\\\"c\\\":2}}\""),
                Arguments.of("States.Array('a', 1, $.n, null)", "[\"a\",1,7,null]"),
                Arguments.of("States.ArrayPartition($.arr, 2)", "[[1,2],[3,4],[5]]"),
                Arguments.of("States.ArrayContains($.arr, 3)", "true"),
                Arguments.of("States.ArrayContains($.arr, 9)", "false"),
                Arguments.of("States.ArrayRange(1, 9, 2)", "[1,3,5,7,9]"),
                Arguments.of("States.ArrayRange(5, 1, -2)", "[5,3,1]"),
                Arguments.of("States.ArrayGetItem($.arr, 1)", "2"),
                Arguments.of("States.ArrayLength($.arr)", "5"),
                Arguments.of("States.ArrayUnique($.dup)", "[1,2,\"a\",{\"k\":1}]"),
                Arguments.of("States.Base64Encode('Data to encode')", "\"RGF0YSB0byBlbmNvZGU=\""),
                Arguments.of("States.Base64Decode('RGF0YSB0byBlbmNvZGU=')", "\"Data to encode\""),
                Arguments.of("States.Hash('input data', 'SHA-1')", "\"aaff4a450a104cd177d28d18d74485e8cae074b7\""),
                Arguments.of("States.Hash('abc', 'MD5')", "\"900150983cd24fb0d6963f7d28e17f72\""),
                Arguments.of("States.Hash('abc', 'SHA-256')",
                        "\"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\""),
                Arguments.of("States.JsonMerge($.obj, $.obj2, false)", "{\"a\":1,\"b\":3,\"d\":4}"),
                Arguments.of("States.MathAdd($.n, -10)", "-3"),
                Arguments.of("States.StringSplit($.csv, ',')", "[\"1\",\"2\",\"3\"]"),
                Arguments.of("States.StringSplit('This.is+a,test=string', '.+,=')",
                        "[\"This\",\"is\",\"a\",\"test\",\"string\"]"),
                Arguments.of("States.ArrayLength(States.StringSplit('a b c', ' '))", "3"),
                // AWS rounds non-integer arguments of these functions to the nearest integer
                Arguments.of("States.MathAdd(1.5, 1)", "3"),
                Arguments.of("States.ArrayPartition($.arr, 2.4)", "[[1,2],[3,4],[5]]"),
                Arguments.of("States.ArrayRange(1, 9.4, 2)", "[1,3,5,7,9]"),
                // escaped reserved characters in a literal that is not a format string
                Arguments.of("States.StringSplit('a\\{b,c\\'d', ',')", "[\"a{b\",\"c'd\"]"),
                Arguments.of("States.Format('{} \\\\ {}', 'x', 'y')", "\"x \\\\ y\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("calls")
    void evaluates(String call, String expected) {
        assertThat(eval(call)).isEqualTo(json(expected));
    }

    @Test
    void uuidIsARandomVersion4Uuid() {
        String a = eval("States.UUID()").asText();
        String b = eval("States.UUID()").asText();
        assertThat(a).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void mathRandomStaysInRangeAndIsStableForASeed() {
        for (int i = 0; i < 5; i++) {
            int v = eval("States.MathRandom(1, 5)").asInt();
            assertThat(v).isBetween(1, 4);
        }
        assertThat(eval("States.MathRandom(0, 1000, 42)")).isEqualTo(eval("States.MathRandom(0, 1000, 42)"));
    }

    static List<Arguments> failures() {
        return List.of(
                Arguments.of("States.Format('{} {}', 'only one')"),
                Arguments.of("States.StringToJson('not json')"),
                Arguments.of("States.ArrayPartition($.arr, 0)"),
                Arguments.of("States.ArrayRange(1, 2000, 1)"),
                Arguments.of("States.ArrayRange(1, 5, 0)"),
                Arguments.of("States.ArrayGetItem($.arr, 5)"),
                Arguments.of("States.ArrayLength($.name)"),
                Arguments.of("States.Hash('x', 'SHA-999')"),
                Arguments.of("States.JsonMerge($.obj, $.obj2, true)"),
                Arguments.of("States.MathAdd(2147483647, 1)"),
                Arguments.of("States.Base64Decode('%%%')"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void failsWithIntrinsicFailure(String call) {
        DescribeExecutionResponse d = failing(call);
        assertThat(d.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(d.error()).isEqualTo("States.IntrinsicFailure");
    }

    @Test
    void stringLimitOf10000CharactersForBase64AndHash() {
        String big = "x".repeat(10_001);
        String def = single("{\"Type\":\"Pass\",\"Parameters\":{\"r.$\":\"States.Base64Encode($.s)\"},\"End\":true}");
        assertThat(run(def, "{\"s\":\"" + big + "\"}").error()).isEqualTo("States.IntrinsicFailure");
        String hash = single("{\"Type\":\"Pass\",\"Parameters\":{\"r.$\":\"States.Hash($.s, 'MD5')\"},\"End\":true}");
        assertThat(run(hash, "{\"s\":\"" + big + "\"}").error()).isEqualTo("States.IntrinsicFailure");
    }

    @Test
    void intrinsicFailureCanBeCaughtByStatesAll() {
        String def = "{\"StartAt\":\"T\",\"States\":{\"T\":{\"Type\":\"Parallel\",\"Branches\":[{\"StartAt\":\"P\","
                + "\"States\":{\"P\":{\"Type\":\"Pass\",\"Parameters\":{\"r.$\":\"States.ArrayGetItem($.a, 9)\"},"
                + "\"End\":true}}}],\"Catch\":[{\"ErrorEquals\":[\"States.ALL\"],\"Next\":\"Caught\"}],\"End\":true},"
                + "\"Caught\":{\"Type\":\"Pass\",\"End\":true}}}";
        assertThat(output(def, "{\"a\":[1]}").get("Error").asText()).isEqualTo("States.IntrinsicFailure");
    }
}
