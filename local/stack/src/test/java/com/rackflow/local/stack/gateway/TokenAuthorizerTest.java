package com.rackflow.local.stack.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

import org.junit.jupiter.api.Test;

import com.rackflow.local.stack.template.TokenAuthorizerSpec;

/** Authorizer answers API Gateway cannot use, and a TTL of zero. */
class TokenAuthorizerTest {

    private static final String ARN = "arn:aws:execute-api:us-east-1:123456789012:local/dev/GET/customers";
    private static final String ALLOW = "{\"principalId\":\"p\",\"policyDocument\":{\"Version\":\"2012-10-17\","
            + "\"Statement\":[{\"Action\":\"execute-api:*\",\"Effect\":\"Allow\",\"Resource\":\"arn:aws:execute-api:*\"}]}%s}";

    private final AtomicInteger invocations = new AtomicInteger();

    private TokenAuthorizer authorizer(Duration ttl, String answer) {
        BiFunction<String, byte[], byte[]> invoker = (arn, payload) -> {
            invocations.incrementAndGet();
            return answer.getBytes(StandardCharsets.UTF_8);
        };
        return new TokenAuthorizer(new TokenAuthorizerSpec("Test", "arn:aws:lambda:us-east-1:123456789012:function:A",
                "Authorization", null, ttl), invoker, new MutableClock());
    }

    @Test
    void zeroTtlInvokesTheAuthorizerForEveryRequest() {
        TokenAuthorizer authorizer = authorizer(Duration.ZERO, String.format(ALLOW, ""));

        authorizer.authorize("token", ARN, "r1");
        authorizer.authorize("token", ARN, "r2");

        assertThat(invocations).hasValue(2);
    }

    @Test
    void actionWildcardAllows() {
        assertThat(authorizer(Duration.ofMinutes(5), String.format(ALLOW, "")).authorize("token", ARN, "r"))
                .isInstanceOf(TokenAuthorizer.Authorized.class);
    }

    @Test
    void unusableAnswersAreAuthorizerConfigurationErrors() {
        String[] answers = {
            String.format(ALLOW, ",\"context\":{\"nested\":{\"a\":1}}"),
            "{\"principalId\":\"p\",\"policyDocument\":{\"Statement\":[{\"Effect\":\"Maybe\",\"Action\":\"*\",\"Resource\":\"*\"}]}}",
            "{\"policyDocument\":{\"Statement\":[]}}",
            "not json"
        };
        for (String answer : answers) {
            TokenAuthorizer.Outcome outcome = authorizer(Duration.ofMinutes(5), answer).authorize("token", ARN, "r");
            assertThat(outcome).as(answer)
                    .isEqualTo(new TokenAuthorizer.Refused(GatewayResponseType.AUTHORIZER_CONFIGURATION_ERROR, null));
        }
    }
}
