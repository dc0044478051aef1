package com.rackflow.customers;

import com.rackflow.customers.CustomerTransitions.Mover;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static com.rackflow.customers.CustomerStatus.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Plain-Java rules of the customer module: the transition table, 查重 normalisation, credit codes. */
class CustomerRulesTest {

    @Test
    void staffMoveOneStepAlongThePipelineOrToLostBeforeSigning() {
        assertThat(CustomerTransitions.targets(ENTERED, Mover.STAFF)).containsExactlyInAnyOrder(CONTACTED, LOST);
        assertThat(CustomerTransitions.targets(CONTACTED, Mover.STAFF)).containsExactlyInAnyOrder(NEGOTIATING, LOST);
        assertThat(CustomerTransitions.targets(NEGOTIATING, Mover.STAFF)).containsExactlyInAnyOrder(SIGNED, LOST);
        assertThat(CustomerTransitions.targets(SIGNED, Mover.STAFF)).isEmpty();
        assertThat(CustomerTransitions.targets(IN_SERVICE, Mover.STAFF)).isEmpty();
        assertThat(CustomerTransitions.targets(LOST, Mover.STAFF)).isEmpty();
        assertThat(CustomerTransitions.targets(TERMINATED, Mover.MANAGER)).isEmpty();
    }

    @Test
    void onlyManagersReopenLostAndOnlyFlowsSetInServiceAndTerminated() {
        assertThat(CustomerTransitions.targets(LOST, Mover.MANAGER)).containsExactlyInAnyOrder(ENTERED, CONTACTED, NEGOTIATING);
        assertThat(CustomerTransitions.allowed(SIGNED, IN_SERVICE, Mover.MANAGER)).isFalse();
        assertThat(CustomerTransitions.allowed(SIGNED, IN_SERVICE, Mover.RACKING_FLOW)).isTrue();
        assertThat(CustomerTransitions.allowed(IN_SERVICE, TERMINATED, Mover.TERMINATION_FLOW)).isTrue();
        assertThat(CustomerTransitions.allowed(IN_SERVICE, TERMINATED, Mover.RACKING_FLOW)).isFalse();
        assertThat(CustomerTransitions.allowed(SIGNED, LOST, Mover.MANAGER)).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "上海云立方数据科技有限公司 | 上海云立方数据科技",
            "上海云立方数据科技（集团）股份有限公司 | 上海云立方数据科技",
            "ＡＢＣ　Ｄａｔａ　Ｃｏ．，Ｌｔｄ． | abcdata",
            "ABC Data Co., Ltd. | abcdata",
            "abc-data limited | abcdata",
            "Acme Corporation | acme",
            "公司 | 公司"})
    void companyNamesNormalise(String raw, String expected) {
        assertThat(DuplicateKeys.companyName(raw)).isEqualTo(expected);
    }

    @Test
    void phonesNormaliseToBareDigits() {
        assertThat(DuplicateKeys.phone("+86 138-0013-8000")).isEqualTo("13800138000");
        assertThat(DuplicateKeys.phone("８６１３８００１３８０００")).isEqualTo("13800138000");
        assertThat(DuplicateKeys.phone("021-61234567")).isEqualTo("02161234567");
        assertThat(DuplicateKeys.phones(List.of(new Contact("a", null, "13800138000", null, false),
                new Contact("b", null, null, "b@x.cn", false)))).containsExactly("13800138000");
    }

    @ParameterizedTest
    @CsvSource({"914403007954257495,true", "91110108551385082Q,true", "91310115MA1K4LQX2Y,true",
            "91310115MA1K4LQX2D,false", "91310000MA1FL8XQ3,false", "9131000OMA1FL8XQ37,false"})
    void creditCodesCarryAValidCheckCharacter(String code, boolean valid) {
        assertThat(CreditCode.isValid(code)).isEqualTo(valid);
    }
}
