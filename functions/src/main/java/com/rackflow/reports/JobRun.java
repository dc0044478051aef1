package com.rackflow.reports;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * One run of a report job (报表任务): what period it covered, for whom ({@code ALL} or {@code DEPT#<d>}), who or
 * what started it, how it ended, how many rows each report had and how many reminders went out.
 */
public record JobRun(String runId, String job, JobTrigger trigger, String triggeredBy, String scope, String periodFrom,
                     String periodTo, JobStatus status, String startedAt, String finishedAt, Map<String, Integer> rowCounts,
                     Integer remindersSent, String error) {

    /** The same run, picked up by the job function. */
    public JobRun started(Instant at) {
        return new JobRun(runId, job, trigger, triggeredBy, scope, periodFrom, periodTo, JobStatus.STARTED, at.toString(),
                null, Map.of(), null, null);
    }

    public JobRun finished(Map<String, Integer> counts, int reminders, Instant at) {
        return new JobRun(runId, job, trigger, triggeredBy, scope, periodFrom, periodTo, JobStatus.FINISHED, startedAt,
                at.toString(), counts, reminders, null);
    }

    public JobRun failed(String why, Map<String, Integer> countsSoFar, Instant at) {
        return new JobRun(runId, job, trigger, triggeredBy, scope, periodFrom, periodTo, JobStatus.FAILED, startedAt,
                at.toString(), countsSoFar, null, why);
    }

    /**
     * A run still STARTED after the function's timeout was stopped midway (timeout, crash); one still QUEUED after it
     * never reached the job function (its asynchronous invocation was dropped): either reads as FAILED.
     */
    public JobRun asSeenAt(Instant now, Duration timeout) {
        Instant limit = Instant.parse(startedAt).plus(timeout);
        if (status == JobStatus.STARTED && limit.isBefore(now)) {
            return failed("did not finish within the function timeout (" + timeout.toSeconds() + " s); it was stopped midway",
                    rowCounts, limit);
        }
        if (status == JobStatus.QUEUED && limit.isBefore(now)) {
            return failed("the job function did not pick the run up within " + timeout.toSeconds() + " s", rowCounts, limit);
        }
        return this;
    }
}
