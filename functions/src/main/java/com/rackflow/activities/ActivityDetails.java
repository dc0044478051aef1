package com.rackflow.activities;

import com.rackflow.core.http.Input;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/** The fields of an activity a person writes, read and checked from a request body. */
final class ActivityDetails {
    static final String[] FIELDS = {"type", "occurredAt", "durationMinutes", "summary", "outcome", "nextFollowUpDate"};
    /** Clocks differ a little; an activity logged "in the future" beyond this is a typo. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(10);

    private ActivityDetails() {
    }

    /**
     * The present fields as record components (all required ones on create); {@code base} supplies the stored values
     * the cross-field rules (follow-up after the activity) are checked against.
     */
    static Map<String, Object> read(Input in, Activity base) {
        boolean create = base == null;
        Map<String, Object> v = new LinkedHashMap<>();
        if (create || in.has("type")) {
            v.put("type", in.enumValue("type", ActivityType.class, true).orElse(null));
        }
        if (create || in.has("occurredAt")) {
            in.instant("occurredAt", true).ifPresent(at -> {
                if (at.isAfter(Instant.now().plus(CLOCK_SKEW))) {
                    in.add("occurredAt", "notFuture", "must not be in the future");
                }
                v.put("occurredAt", at.truncatedTo(ChronoUnit.SECONDS).toString());
            });
        }
        if (in.has("durationMinutes")) {
            v.put("durationMinutes", in.integer("durationMinutes", 0, 24 * 60, false).map(Long::intValue).orElse(null));
        }
        if (create || in.has("summary")) {
            v.put("summary", in.requiredString("summary", 2000));
        }
        if (in.has("outcome")) {
            v.put("outcome", in.optionalString("outcome", 500).orElse(null));
        }
        if (in.has("nextFollowUpDate")) {
            v.put("nextFollowUpDate", in.date("nextFollowUpDate", false).orElse(null));
        }
        String occurred = (String) v.getOrDefault("occurredAt", base == null ? null : base.occurredAt());
        LocalDate followUp = (LocalDate) v.getOrDefault("nextFollowUpDate", base == null ? null : base.nextFollowUpDate());
        if (occurred != null && followUp != null
                && followUp.isBefore(Instant.parse(occurred).atZone(com.rackflow.core.records.Requests.BUSINESS_ZONE).toLocalDate())) {
            in.add("nextFollowUpDate", "afterOccurred", "must not be before the day the activity occurred");
        }
        return v;
    }
}
