package com.rackflow.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.rackflow.local.dynalite.Dynalite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static com.rackflow.local.stack.ApiClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A departure or a role change takes effect on the person's next request, although API Gateway still holds the
 * authorizer's decision for their token (ReauthorizeEvery 300 s): the functions read the caller's profile each time.
 */
class StaffChangesEndToEndTest {
    private static LocalStack stack;
    private static ApiClient api;

    @BeforeAll
    static void start() {
        stack = LocalStack.start(new LocalStack.Options(Dynalite.repositoryRoot().resolve("template.yaml"), 0, null, true));
        api = new ApiClient(stack);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static String version(String userId) throws Exception {
        return "\"" + expect(api.call("GET", "/directory/users/" + userId, "admin", null), 200).path("version").asLong() + "\"";
    }

    @Test
    void aDisabledUsersNextRequestIsRefusedWhileTheGatewayStillCachesTheirToken() throws Exception {
        expect(api.call("GET", "/customers", "huang.tao", null), 200);
        String version = version("huang.tao");
        int authorizations = stack.lambda().invocationCount("AuthorizerFunction");
        expect(api.call("POST", "/directory/users/huang.tao/disable", "admin", Map.of(), "If-Match", version), 200);

        ApiClient.Answer refused = api.call("GET", "/customers", "huang.tao", null);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.error().path("code").asText()).isEqualTo("UNAUTHORIZED");
        assertThat(refused.error().path("message").asText()).contains("not an active member of staff");
        assertThat(api.call("POST", "/customers", "huang.tao", Map.of("companyName", "离职后创建的客户有限公司",
                "contacts", java.util.List.of(Map.of("name", "王五", "phone", "13900000077")))).status()).isEqualTo(401);
        assertThat(stack.lambda().invocationCount("AuthorizerFunction"))
                .as("both tokens' decisions came from the gateway's cache: the refusal is the function's").isEqualTo(authorizations);
    }

    @Test
    void aDemotedManagerLosesTheReportsAndTheDepartmentAtOnce() throws Exception {
        expect(api.call("GET", "/reports/contract-expiry", "chen.jing", null), 200);
        JsonNode asManager = expect(api.call("GET", "/customers?limit=100", "chen.jing", null), 200);
        expect(api.call("PATCH", "/directory/users/chen.jing", "admin", Map.of("role", "SALES"), "If-Match", version("chen.jing")), 200);

        ApiClient.Answer reports = api.call("GET", "/reports/contract-expiry", "chen.jing", null);
        assertThat(reports.status()).isEqualTo(403);
        assertThat(reports.error().path("code").asText()).isEqualTo("FORBIDDEN");
        JsonNode asSales = expect(api.call("GET", "/customers?limit=100", "chen.jing", null), 200);
        assertThat(asManager.path("items").size()).as("the south region's customers").isPositive();
        asSales.path("items").forEach(c -> assertThat(c.path("ownerId").asText()).as("only their own now").isEqualTo("chen.jing"));
        assertThat(asSales.path("items").size()).isLessThan(asManager.path("items").size());
    }
}
