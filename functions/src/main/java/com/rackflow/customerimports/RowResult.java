package com.rackflow.customerimports;

import java.util.List;
import java.util.Map;

/**
 * The result of one row of a committed import, as its ledger item holds it: CREATED (the customer's id and code),
 * REFUSED (the violations), DUPLICATE (the existing customer's code and owner, or the earlier row).
 */
public record RowResult(int row, Result result, String customerId, String code, List<RowCheck.RowViolation> violations,
                        Map<String, Object> duplicate) {

    public enum Result {
        CREATED("已导入"), REFUSED("未通过校验"), DUPLICATE("重复客户");

        private final String labelZh;

        Result(String labelZh) {
            this.labelZh = labelZh;
        }

        public String labelZh() {
            return labelZh;
        }
    }
}
