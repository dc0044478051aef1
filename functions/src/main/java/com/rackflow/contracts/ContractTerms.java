package com.rackflow.contracts;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.rackflow.core.http.Input;

import java.math.BigDecimal;
import java.time.LocalDate;

/** The fields of a contract a person edits (while it is a DRAFT), read and checked from a request body. */
public record ContractTerms(int cabinets, @JsonProperty("uCount") int uCount, BigDecimal powerKw, int bandwidthMbps, int ipCount,
                            BigDecimal monthlyFee, LocalDate startDate, LocalDate endDate, String notes) {

    static final String[] FIELDS = {"cabinets", "uCount", "powerKw", "bandwidthMbps", "ipCount", "monthlyFee",
            "startDate", "endDate", "notes"};
    private static final BigDecimal MAX_POWER_KW = new BigDecimal("100000");
    private static final BigDecimal MAX_MONTHLY_FEE = new BigDecimal("100000000");

    /** Reads the terms; on create ({@code base} null) fee and dates are required, items default to 0. */
    static ContractTerms read(Input in, ContractTerms base) {
        boolean create = base == null;
        int cabinets = count(in, "cabinets", 1_000, create ? 0 : base.cabinets());
        int uCount = count(in, "uCount", 100_000, create ? 0 : base.uCount());
        BigDecimal powerKw = in.has("powerKw") || create
                ? in.decimal("powerKw", BigDecimal.ZERO, MAX_POWER_KW, 2, false).orElse(BigDecimal.ZERO) : base.powerKw();
        int bandwidth = count(in, "bandwidthMbps", 1_000_000, create ? 0 : base.bandwidthMbps());
        int ips = count(in, "ipCount", 65_536, create ? 0 : base.ipCount());
        BigDecimal fee = in.has("monthlyFee") || create
                ? in.decimal("monthlyFee", BigDecimal.ZERO, MAX_MONTHLY_FEE, 2, true).orElse(null) : base.monthlyFee();
        LocalDate start = in.has("startDate") || create ? in.date("startDate", true).orElse(null) : base.startDate();
        LocalDate end = in.has("endDate") || create ? in.date("endDate", true).orElse(null) : base.endDate();
        String notes = in.has("notes") ? in.optionalString("notes", 2000).orElse(null) : create ? null : base.notes();
        if (start != null && end != null && !end.isAfter(start)) {
            in.add("endDate", "after", "must be after startDate (" + start + ")");
        }
        if (cabinets == 0 && uCount == 0 && bandwidth == 0 && ips == 0 && !in.hasViolations()) {
            in.add("cabinets", "items", "a contract needs at least one item: cabinets, uCount, bandwidthMbps or ipCount");
        }
        return new ContractTerms(cabinets, uCount, powerKw, bandwidth, ips, fee, start, end, notes);
    }

    private static int count(Input in, String field, long max, int fallback) {
        if (!in.has(field)) {
            return fallback;
        }
        return in.integer(field, 0, max, false).map(Long::intValue).orElse(fallback);
    }
}
