package com.rackflow.local.stack.template;

import java.util.Map;

/**
 * An EventBridge rule the template declares for a function (a SAM {@code EventBridgeRule}, {@code CloudWatchEvent},
 * {@code Schedule} or {@code ScheduleV2} event): either an event pattern or a schedule expression, with the function
 * as its target.
 *
 * @param pattern the event pattern (intrinsics evaluated), or null for a schedule
 * @param scheduleExpression {@code rate(...)} or {@code cron(...)}, or null for a pattern rule
 * @param input the constant JSON input of the target, or null (the event itself)
 */
public record EventRuleSpec(String functionLogicalId, String eventName, Map<String, Object> pattern,
                            String scheduleExpression, String input, boolean enabled) {

    public boolean isSchedule() {
        return scheduleExpression != null;
    }
}
