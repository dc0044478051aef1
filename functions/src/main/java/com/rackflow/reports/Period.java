package com.rackflow.reports;

import com.rackflow.core.http.ApiException;
import com.rackflow.core.records.Requests;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** A report period: business days {@code from} to {@code to}, both inclusive, in China Standard Time. */
public record Period(LocalDate from, LocalDate to) {
    public static final int MAX_DAYS = 366;
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    /** 400 naming the field when the days are reversed or the period is longer than {@link #MAX_DAYS}. */
    public static Period of(LocalDate from, LocalDate to) {
        if (to.isBefore(from)) {
            throw ApiException.invalid("to", "notBeforeFrom", "must not be before from");
        }
        if (days(from, to) > MAX_DAYS) {
            throw ApiException.invalid("to", "maxPeriod", "a report covers at most " + MAX_DAYS + " days; ask for a shorter period");
        }
        return new Period(from, to);
    }

    public static Period day(LocalDate d) {
        return new Period(d, d);
    }

    private static long days(LocalDate from, LocalDate to) {
        return ChronoUnit.DAYS.between(from, to) + 1;
    }

    public Instant start() {
        return from.atStartOfDay(Requests.BUSINESS_ZONE).toInstant();
    }

    /** The first instant after the period. */
    public Instant end() {
        return to.plusDays(1).atStartOfDay(Requests.BUSINESS_ZONE).toInstant();
    }

    public boolean contains(Instant at) {
        return !at.isBefore(start()) && at.isBefore(end());
    }

    public LocalDate businessDay(Instant at) {
        return at.atZone(Requests.BUSINESS_ZONE).toLocalDate();
    }

    /**
     * Inclusive bounds for sort keys that begin with an ISO-8601 UTC timestamp of any precision: the first second of
     * the period, and the last second followed by {@code ~} (so "…:59.5Z" and "…:59Z" are inside, the next second not).
     */
    public String[] timestampRange() {
        return new String[]{SECONDS.format(start()), SECONDS.format(end().minusSeconds(1)) + "~"};
    }

    /** The UTC days whose history partitions hold the period's events (a business day spans two UTC days). */
    public java.util.List<LocalDate> utcDays() {
        java.util.List<LocalDate> out = new java.util.ArrayList<>();
        LocalDate last = end().minusSeconds(1).atZone(ZoneOffset.UTC).toLocalDate();
        for (LocalDate d = start().atZone(ZoneOffset.UTC).toLocalDate(); !d.isAfter(last); d = d.plusDays(1)) {
            out.add(d);
        }
        return out;
    }
}
