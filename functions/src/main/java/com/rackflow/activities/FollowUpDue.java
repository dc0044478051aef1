package com.rackflow.activities;

import com.rackflow.core.http.ApiException;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.Locale;

/** Which follow-ups a list shows, by due date (business days in Asia/Shanghai): an inclusive date range from today. */
public enum FollowUpDue {
    TODAY("今日待跟进"),
    OVERDUE("已逾期"),
    WEEK("七日内待跟进");

    private final String labelZh;

    FollowUpDue(String labelZh) {
        this.labelZh = labelZh;
    }

    public String labelZh() {
        return labelZh;
    }

    /** First due date shown (null: no lower bound). */
    LocalDate from(LocalDate today) {
        return this == OVERDUE ? null : today;
    }

    /** Last due date shown. */
    LocalDate to(LocalDate today) {
        return switch (this) {
            case TODAY -> today;
            case OVERDUE -> today.minusDays(1);
            case WEEK -> today.plusDays(6);
        };
    }

    /** The {@code due} query parameter: {@code today} (default), {@code overdue} or {@code week}; else 400 naming it. */
    public static FollowUpDue parse(String value) {
        if (value == null) {
            return TODAY;
        }
        return Arrays.stream(values()).filter(d -> d.name().toLowerCase(Locale.ROOT).equals(value)).findFirst()
                .orElseThrow(() -> ApiException.invalid("due", "enum", "must be one of today, overdue, week"));
    }
}
