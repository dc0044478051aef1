package com.rackflow.local.stack.events;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.rackflow.local.cloudformation.TemplateException;

/**
 * An EventBridge schedule expression: {@code rate(<n> minute|minutes|hour|hours|day|days)} or
 * {@code cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>)} in UTC, with {@code * ? , - /}, month
 * names and day names (day of week 1-7 = SUN-SAT). {@code L}, {@code W} and {@code #} are refused when the stack
 * starts.
 */
public final class ScheduleExpression {

    private static final Pattern RATE = Pattern.compile("rate\\((\\d+) (minute|minutes|hour|hours|day|days)\\)");
    private static final Pattern CRON = Pattern.compile("cron\\((.+)\\)");
    private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP",
            "OCT", "NOV", "DEC");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

    private final Duration rate;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final BitSet years;
    private final boolean anyDayOfMonth;
    private final boolean anyDayOfWeek;

    private ScheduleExpression(Duration rate, String[] cron) {
        this.rate = rate;
        if (cron == null) {
            minutes = hours = daysOfMonth = months = daysOfWeek = years = null;
            anyDayOfMonth = anyDayOfWeek = true;
            return;
        }
        minutes = field(cron[0], 0, 59, List.of(), 0);
        hours = field(cron[1], 0, 23, List.of(), 0);
        daysOfMonth = field(cron[2], 1, 31, List.of(), 0);
        months = field(cron[3], 1, 12, MONTHS, 1);
        daysOfWeek = field(cron[4], 1, 7, DAYS, 1);
        years = field(cron[5], 1970, 2199, List.of(), 0);
        anyDayOfMonth = cron[2].equals("?") || cron[2].equals("*");
        anyDayOfWeek = cron[4].equals("?") || cron[4].equals("*");
    }

    public static ScheduleExpression parse(String expression) {
        Matcher r = RATE.matcher(expression.trim());
        if (r.matches()) {
            long n = Long.parseLong(r.group(1));
            ChronoUnit unit = r.group(2).startsWith("minute") ? ChronoUnit.MINUTES
                    : r.group(2).startsWith("hour") ? ChronoUnit.HOURS : ChronoUnit.DAYS;
            if (n < 1) {
                throw new TemplateException("schedule " + expression + ": the rate must be at least 1");
            }
            return new ScheduleExpression(Duration.of(n, unit), null);
        }
        Matcher c = CRON.matcher(expression.trim());
        if (c.matches()) {
            String[] fields = c.group(1).trim().split("\\s+");
            if (fields.length != 6) {
                throw new TemplateException("schedule " + expression + ": cron has six fields (minutes hours day-of-month month day-of-week year)");
            }
            return new ScheduleExpression(null, fields);
        }
        throw new TemplateException("schedule " + expression + " is neither rate(...) nor cron(...)");
    }

    /** The first time after {@code after} the schedule fires (rates: counted from {@code start}). */
    public Instant next(Instant start, Instant after) {
        if (rate != null) {
            long periods = Duration.between(start, after).toMillis() / rate.toMillis() + 1;
            return start.plus(rate.multipliedBy(periods));
        }
        ZonedDateTime t = after.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        for (int i = 0; i < 60 * 24 * 366 * 5; i++) {
            if (fires(t)) {
                return t.toInstant();
            }
            t = t.plusMinutes(1);
        }
        throw new IllegalStateException("the schedule never fires within five years");
    }

    private boolean fires(ZonedDateTime t) {
        int dow = t.getDayOfWeek() == DayOfWeek.SUNDAY ? 1 : t.getDayOfWeek().getValue() + 1;
        boolean dom = daysOfMonth.get(t.getDayOfMonth());
        boolean wd = daysOfWeek.get(dow);
        boolean day = anyDayOfMonth ? wd : anyDayOfWeek ? dom : dom && wd;
        return minutes.get(t.getMinute()) && hours.get(t.getHour()) && months.get(t.getMonthValue())
                && years.get(t.getYear()) && day;
    }

    private static BitSet field(String spec, int min, int max, List<String> names, int nameBase) {
        BitSet set = new BitSet();
        for (String part : spec.toUpperCase(Locale.ROOT).split(",")) {
            if (part.contains("L") && !names.contains(part) || part.contains("W") && !names.contains(part) || part.contains("#")) {
                throw new TemplateException("cron field " + spec + ": L, W and # are not supported by the local stack");
            }
            int step = 1;
            String range = part;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                step = Integer.parseInt(part.substring(slash + 1));
                range = part.substring(0, slash);
            }
            int from;
            int to;
            if (range.equals("*") || range.equals("?")) {
                from = min;
                to = max;
            } else if (range.contains("-")) {
                String[] ab = range.split("-");
                from = value(ab[0], names, nameBase);
                to = value(ab[1], names, nameBase);
            } else {
                from = value(range, names, nameBase);
                to = slash >= 0 ? max : from;
            }
            if (from < min || to > max || from > to || step < 1) {
                throw new TemplateException("cron field " + spec + " is out of range " + min + "-" + max);
            }
            for (int v = from; v <= to; v += step) {
                set.set(v);
            }
        }
        return set;
    }

    private static int value(String s, List<String> names, int nameBase) {
        int named = names.indexOf(s);
        if (named >= 0) {
            return named + nameBase;
        }
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new TemplateException("cron value " + s + " is not a number" + (names.isEmpty() ? "" : " or a name"));
        }
    }
}
