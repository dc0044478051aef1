package com.rackflow.customerimports;

import com.rackflow.customers.CustomerDetails;

import java.util.List;
import java.util.Map;

/**
 * What one row of an import would become: OK (created as POST /customers would create it), INVALID (the columns
 * and rules that fail), or DUPLICATE (查重: the existing customer's code and owner as the 409 names them, or the
 * earlier row of the file with the same company).
 */
public record RowCheck(int row, Verdict verdict, List<RowViolation> violations, Map<String, Object> duplicate,
                       @com.fasterxml.jackson.annotation.JsonIgnore CustomerDetails details,
                       @com.fasterxml.jackson.annotation.JsonIgnore String ownerId) {

    public enum Verdict { OK, INVALID, DUPLICATE }

    /** A broken rule, named by the file's column (English field and zh-CN heading). */
    public record RowViolation(String column, String columnZh, String rule, String message) {
    }

    static RowCheck ok(int row, CustomerDetails d, String ownerId) {
        return new RowCheck(row, Verdict.OK, List.of(), null, d, ownerId);
    }

    static RowCheck invalid(int row, List<RowViolation> violations) {
        return new RowCheck(row, Verdict.INVALID, violations, null, null, null);
    }

    static RowCheck duplicate(int row, Map<String, Object> duplicate) {
        return new RowCheck(row, Verdict.DUPLICATE, List.of(), duplicate, null, null);
    }
}
