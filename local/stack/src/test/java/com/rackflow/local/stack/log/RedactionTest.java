package com.rackflow.local.stack.log;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactionTest {

    @Test
    void masksEmailsPhonesAndTokens() {
        String masked = Redaction.mask("duplicate of zhang.wei@yunqi.example / 13800138000 / 021-61234567 "
                + "with Bearer abc.def-ghi and eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln");

        assertThat(masked).isEqualTo("duplicate of [email] / [number] / [number] with Bearer [token] and [token]");
    }

    @Test
    void keepsOrdinaryText() {
        assertThat(Redaction.mask("customer C2026-000123 not found in version 3")).isEqualTo("customer C2026-000123 not found in version 3");
        assertThat(Redaction.mask(null)).isNull();
    }
}
