package com.rackflow.reports;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;

/** How a report groups business days: per day, per ISO week (from Monday), per calendar month. */
public enum Granularity {
    DAY("日"), WEEK("周"), MONTH("月");

    private final String labelZh;

    Granularity(String labelZh) {
        this.labelZh = labelZh;
    }

    public String labelZh() {
        return labelZh;
    }

    /** The first day of the bucket a day falls in (the bucket's name in rows). */
    public LocalDate bucket(LocalDate day) {
        switch (this) {
            case WEEK:
                return day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH:
                return day.withDayOfMonth(1);
            default:
                return day;
        }
    }

    public String paramValue() {
        return name().toLowerCase();
    }
}
