package com.rackflow.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.rackflow.directory.StaffUser;
import com.rackflow.directory.UserStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Role × route: the policy the authorizer returns, evaluated as API Gateway evaluates it (resource wildcards
 * against the method ARN), allows exactly the routes of the role's modules. The policy is cached per token, so it
 * is computed for one route and must answer for all the others too.
 */
class AuthorizerPolicyMatrixTest {
    static final String PREFIX = "arn:aws:execute-api:us-east-1:123456789012:abc123/dev/";

    /** Routes and whether each role may reach them (S = sales, M = manager, X = maintenance, O = operations, A = admin). */
    static final Map<String, String> ROUTES = Map.ofEntries(
            Map.entry("GET/customers", "SMA"),
            Map.entry("POST/customers/c1/transitions", "SMA"),
            Map.entry("GET/customers/c1/activities", "SMA"),
            Map.entry("GET/activities", "SMA"),
            Map.entry("POST/contracts", "SMA"),
            Map.entry("GET/contracts/by-serial/HT2026000001", "SMA"),
            Map.entry("GET/pickers/signed-customers", "SMXOA"),
            Map.entry("POST/service-records", "SMXA"),
            Map.entry("POST/racking-flows", "SMOA"),
            Map.entry("POST/terminations", "MA"),
            Map.entry("GET/work-items", "SMXOA"),
            Map.entry("GET/racks/r1/elevation", "OA"),
            Map.entry("POST/ip-prefixes", "OA"),
            Map.entry("GET/reports/call-volume", "MA"),
            Map.entry("POST/directory/users", "MA"),
            Map.entry("POST/staff-departures", "MA"));

    static Stream<Arguments> cells() {
        List<Arguments> out = new ArrayList<>();
        Map<Role, Character> letters = Map.of(Role.SALES, 'S', Role.REGIONAL_MANAGER, 'M', Role.MAINTENANCE, 'X',
                Role.OPERATIONS, 'O', Role.ADMIN, 'A');
        for (Role role : Role.values()) {
            for (var route : ROUTES.entrySet()) {
                out.add(Arguments.of(role, route.getKey(), route.getValue().indexOf(letters.get(role)) >= 0));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} → {2}")
    @MethodSource("cells")
    void cachedPolicyAnswersEveryRouteOfTheRole(Role role, String route, boolean allowed) {
        StaffUser user = new StaffUser("u1", "U", role, "east", UserStatus.ACTIVE, null, 1, null, null);
        // computed for a first route of the session, as API Gateway caches it per token
        JsonNode policy = AuthorizerHandler.policy(user, PREFIX + "GET/work-items");
        assertThat(evaluate(policy, PREFIX + route)).as("%s %s", role, route).isEqualTo(allowed);
    }

    /** API Gateway's evaluation: an explicit Deny wins, else any matching Allow; '*' and '?' are wildcards. */
    static boolean evaluate(JsonNode policy, String methodArn) {
        boolean allow = false;
        for (JsonNode st : policy.path("policyDocument").path("Statement")) {
            for (JsonNode r : st.path("Resource")) {
                if (glob(r.asText()).matcher(methodArn).matches()) {
                    if (st.path("Effect").asText().equals("Deny")) {
                        return false;
                    }
                    allow = true;
                }
            }
        }
        return allow;
    }

    static Pattern glob(String resource) {
        StringBuilder re = new StringBuilder();
        for (char c : resource.toCharArray()) {
            re.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(re.toString());
    }
}
