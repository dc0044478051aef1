package com.rackflow.contracts;

import com.rackflow.core.http.ApiException;

import java.util.regex.Pattern;

/** The contract serial (合同编号): {@code HT} + 4-digit year + 6-digit sequence, always 12 characters. */
public final class ContractSerial {
    public static final Pattern FORMAT = Pattern.compile("HT\\d{4}\\d{6}");
    public static final String DESCRIPTION = "must be HT + 4-digit year + 6-digit sequence (12 characters), e.g. HT2026000123";
    public static final long MAX_SEQUENCE = 999_999;

    private ContractSerial() {
    }

    public static String of(int year, long sequence) {
        if (year < 1000 || year > 9999 || sequence < 1 || sequence > MAX_SEQUENCE) {
            throw new IllegalArgumentException("no serial for year " + year + " sequence " + sequence);
        }
        return String.format("HT%04d%06d", year, sequence);
    }

    public static boolean isWellFormed(String serial) {
        return serial != null && FORMAT.matcher(serial).matches();
    }

    /** 400 naming the expected format when the serial is malformed (wrong length, prefix or digits). */
    public static String require(String field, String serial) {
        if (!isWellFormed(serial)) {
            throw ApiException.invalid(field, "format", DESCRIPTION);
        }
        return serial;
    }
}
