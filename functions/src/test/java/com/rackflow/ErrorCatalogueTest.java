package com.rackflow;

import com.rackflow.testing.LocalTable;
import com.rackflow.workitems.FlowType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/errors.md lists every error code the API answers: the functions' and API Gateway's own (template.yaml). */
class ErrorCatalogueTest {
    private static final Path ROOT = LocalTable.repositoryRoot();
    private static final Pattern CATALOGUED = Pattern.compile("(?m)^\\| `([A-Z][A-Z0-9_]+)` \\|");
    /** Where an ApiException gets its code: {@code conflict(<code>, ...)} or {@code new ApiException(<status>, <code>, ...)}. */
    private static final Pattern THROWN = Pattern.compile("(?:\\bconflict\\(|new ApiException\\(\\s*\\d+\\s*,)\\s*([^,]+),");
    private static final Pattern LITERAL = Pattern.compile("\"([A-Z][A-Z0-9_]+)\"");
    private static final Pattern GATEWAY_CODE = Pattern.compile("\"code\":\"([A-Z][A-Z0-9_]+)\"");
    /** Codes built at run time, by the expression that builds them. */
    private static final Map<String, List<String>> COMPUTED = Map.of(
            "\"DUPLICATE_\" + type", List.of("DUPLICATE_SITE", "DUPLICATE_ROOM", "DUPLICATE_RACK", "DUPLICATE_IP_PREFIX"),
            "type.runningCode()", Stream.of(FlowType.values()).map(FlowType::runningCode).toList(),
            "code", List.of(), "String code", List.of()); // ApiException.conflict's own declaration and body

    @Test
    void everyCodeTheFunctionsThrowOrTheGatewayAnswersIsCatalogued() throws IOException {
        Set<String> catalogue = catalogue();
        Set<String> used = new TreeSet<>();
        List<String> unknownExpressions = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ROOT.resolve("functions/src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = THROWN.matcher(Files.readString(f));
                while (m.find()) {
                    String expression = m.group(1).strip();
                    Matcher literal = LITERAL.matcher(expression);
                    if (literal.matches()) {
                        used.add(literal.group(1));
                    } else if (COMPUTED.containsKey(expression)) {
                        used.addAll(COMPUTED.get(expression));
                    } else {
                        unknownExpressions.add(ROOT.relativize(f) + ": " + expression);
                    }
                }
            }
        }
        assertThat(unknownExpressions).as("codes computed in a way this test does not know; add them to COMPUTED").isEmpty();
        assertThat(used).contains("VALIDATION_FAILED", "INVALID_CURSOR", "NOT_FOUND", "FORBIDDEN", "DUPLICATE_CUSTOMER",
                "TERMINATION_RUNNING", "DUPLICATE_RACK");
        Set<String> gateway = gatewayCodes();
        assertThat(gateway).contains("UNAUTHORIZED", "FORBIDDEN", "THROTTLED", "PAYLOAD_TOO_LARGE");

        assertThat(catalogue).as("docs/errors.md").containsAll(used).containsAll(gateway);
        Set<String> stale = new TreeSet<>(catalogue);
        stale.removeAll(used);
        stale.removeAll(gateway);
        assertThat(stale).as("catalogued codes nothing answers any more").isEmpty();
    }

    @Test
    void theAuthorizersDenialUsesTheFunctionsForbiddenCode() throws IOException {
        String template = Files.readString(ROOT.resolve("template.yaml"));
        Matcher accessDenied = Pattern.compile("(?s)\\n        ACCESS_DENIED:.*?application/json: '([^']+)'").matcher(template);
        assertThat(accessDenied.find()).isTrue();
        assertThat(accessDenied.group(1)).contains("\"status\":403", "\"code\":\"FORBIDDEN\"", "\"messageZh\":",
                "\"requestId\":\"$context.requestId\"");
    }

    private static Set<String> catalogue() throws IOException {
        Set<String> codes = new TreeSet<>();
        Matcher m = CATALOGUED.matcher(Files.readString(ROOT.resolve("docs/errors.md")));
        while (m.find()) {
            codes.add(m.group(1));
        }
        return codes;
    }

    private static Set<String> gatewayCodes() throws IOException {
        String template = Files.readString(ROOT.resolve("template.yaml"));
        String responses = template.substring(template.indexOf("GatewayResponses:"), template.indexOf("\n  AuthorizerFunction:"));
        Set<String> codes = new TreeSet<>();
        Matcher m = GATEWAY_CODE.matcher(responses);
        while (m.find()) {
            codes.add(m.group(1));
        }
        return codes;
    }
}
