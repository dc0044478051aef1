package com.rackflow.core.records;

import com.rackflow.core.http.ApiException;
import com.rackflow.core.http.ApiRequest;
import com.rackflow.core.http.Input;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Optional;

/** Reading the parts of a request every record API shares: expected versions and query parameters. */
public final class Requests {
    /** Business days (call volume per day, contract years) are counted in China Standard Time. */
    public static final ZoneId BUSINESS_ZONE = ZoneId.of("Asia/Shanghai");

    private Requests() {
    }

    /** The version a change is based on: If-Match header or "version" in the body; required. */
    public static long expectedVersion(ApiRequest r, Input in) {
        Optional<Long> header = r.ifMatchVersion();
        Optional<Long> body = in.integer("version", 1, Long.MAX_VALUE, false);
        if (header.isPresent()) {
            return header.get();
        }
        if (body.isPresent()) {
            return body.get();
        }
        if (!in.has("version")) {
            in.add("version", "required",
                    "send the record's version (If-Match header or \"version\") so a concurrent change is not overwritten");
        }
        in.validate();
        return -1;
    }

    /** The If-Match version a delete must send. */
    public static long ifMatch(ApiRequest r) {
        return r.ifMatchVersion().orElseThrow(() ->
                ApiException.invalid("If-Match", "required", "send the record's version (its ETag) to delete it"));
    }

    public static <E extends Enum<E>> Optional<E> enumParam(ApiRequest r, String name, Class<E> type) {
        return r.queryParam(name).map(s -> {
            try {
                return Enum.valueOf(type, s);
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid(name, "enum", "must be one of " + Arrays.toString(type.getEnumConstants()));
            }
        });
    }

    public static boolean flag(ApiRequest r, String name) {
        return r.queryParam(name).map(v -> {
            if (!v.equals("true") && !v.equals("false")) {
                throw ApiException.invalid(name, "boolean", "must be true or false");
            }
            return Boolean.parseBoolean(v);
        }).orElse(false);
    }

    /**
     * A period bound: a date {@code YYYY-MM-DD} (a business day; {@code from} = its start, {@code to} = its end)
     * or an ISO-8601 UTC timestamp.
     */
    public static Optional<Instant> periodBound(ApiRequest r, String name, boolean end) {
        return r.queryParam(name).map(v -> {
            try {
                if (v.length() == 10) {
                    LocalDate d = LocalDate.parse(v);
                    Instant start = (end ? d.plusDays(1) : d).atStartOfDay(BUSINESS_ZONE).toInstant();
                    return end ? start.minusSeconds(1) : start;
                }
                // activities are kept to the second; bounds are compared as text, so they must be too
                return Instant.parse(v).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            } catch (DateTimeParseException e) {
                throw ApiException.invalid(name, "date", "must be a date YYYY-MM-DD or an ISO-8601 UTC timestamp");
            }
        });
    }

    /** An id given as a query parameter ({@code owner}, {@code customer} ...): at most 128 characters. */
    public static String idParam(ApiRequest r, String name) {
        String v = r.queryParam(name).orElse(null);
        if (v != null && v.length() > RecordStore.MAX_ID_LENGTH) {
            throw ApiException.invalid(name, "maxLength", "must be at most " + RecordStore.MAX_ID_LENGTH + " characters");
        }
        return v;
    }

    public static String cursor(ApiRequest r) {
        return r.queryParam("cursor").orElse(null);
    }
}
