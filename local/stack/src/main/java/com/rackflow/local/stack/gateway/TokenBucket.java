package com.rackflow.local.stack.gateway;

import java.time.Clock;

import com.rackflow.local.stack.template.RestApiSpec;

/**
 * API Gateway's throttle for one stage: a bucket of {@code burstLimit} tokens, refilled at {@code rateLimit} per second;
 * a request takes one token or is answered 429 THROTTLED.
 */
final class TokenBucket {
    private final RestApiSpec.Throttle limits;
    private final Clock clock;
    private double tokens;
    private long refilledAtNanos;

    TokenBucket(RestApiSpec.Throttle limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
        this.tokens = limits.burstLimit();
        this.refilledAtNanos = nanos();
    }

    synchronized boolean tryTake() {
        long now = nanos();
        tokens = Math.min(limits.burstLimit(), tokens + (now - refilledAtNanos) / 1e9 * limits.rateLimit());
        refilledAtNanos = now;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }

    private long nanos() {
        java.time.Instant at = clock.instant();
        return at.getEpochSecond() * 1_000_000_000L + at.getNano();
    }
}
