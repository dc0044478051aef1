package com.rackflow.reports;

import com.rackflow.access.Caller;
import com.rackflow.activities.ActivityType;
import com.rackflow.core.persistence.Table;
import com.rackflow.customers.Customer;
import com.rackflow.customers.CustomerStatus;
import com.rackflow.servicerecords.ServiceStatus;
import com.rackflow.servicerecords.ServiceType;
import com.rackflow.testing.FlowStaff;
import com.rackflow.testing.LocalTable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.EnumMap;
import java.util.Map;

import static com.rackflow.reports.ReportData.TODAY;
import static com.rackflow.testing.Staff.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a report costs (DynamoDB capacity units, as the local DynamoDB bills them) follows the period's records, not the table:
 * a period's cost stays the same when many records outside it are added, and grows when records inside it are.
 */
class ReportCostTest {
    static final LocalDate W_FROM = LocalDate.of(2026, 3, 2);
    static final LocalDate W_TO = LocalDate.of(2026, 3, 8);

    Table table;
    ReportData data;
    ReportService reports;

    @BeforeEach
    void setUp() {
        table = LocalTable.create();
        FlowStaff.seed(table);
        data = new ReportData(table);
        reports = new ReportService(table);
    }

    double cost(ReportKind kind, LocalDate from, LocalDate to) {
        Table.takeConsumedCapacity();
        reports.compute(kind, new ReportService.Request(Period.of(from, to), Granularity.DAY, 90, TODAY), Audience.company());
        return Table.takeConsumedCapacity();
    }

    Map<ReportKind, Double> costs(LocalDate from, LocalDate to) {
        Map<ReportKind, Double> m = new EnumMap<>(ReportKind.class);
        for (ReportKind k : ReportKind.values()) {
            m.put(k, cost(k, from, to));
        }
        return m;
    }

    void activities(Caller owner, Customer c, int n, String dayPrefix) {
        for (int i = 0; i < n; i++) {
            data.activity(owner, c, ActivityType.CALL, String.format("%sT%02d:%02d:00Z", dayPrefix, 1 + i / 60, i % 60));
        }
    }

    /** Customers through the pipeline, contracts signed and a service record each: today's events. */
    void busyDay(int customers) {
        for (int i = 0; i < customers; i++) {
            Caller owner = i % 2 == 0 ? EAST_SALES_1 : SOUTH_SALES_1;
            Customer c = data.signed(owner, null);
            // contracts ending beyond the 90-day window: never in the expiry report's range
            data.active(owner, c, "1000.00", TODAY.plusDays(400 + i));
            data.serviceRecord(MAINTENANCE, c, ServiceType.FAULT, ServiceStatus.IN_PROGRESS);
        }
    }

    @Test
    void aPeriodCostsWhatItsRecordsCostWhateverTheTableHolds() {
        Customer east = data.signed(EAST_SALES_1, null);
        activities(EAST_SALES_1, east, 20, "2026-03-03");

        Map<ReportKind, Double> windowBefore = costs(W_FROM, W_TO);
        Map<ReportKind, Double> todayBefore = costs(TODAY, TODAY);

        // out of the window: a busy day today, and many calls in other months
        busyDay(40);
        activities(EAST_SALES_1, east, 200, "2026-05-12");
        activities(SOUTH_SALES_1, data.signed(SOUTH_SALES_1, null), 100, "2026-02-20");

        Map<ReportKind, Double> windowAfter = costs(W_FROM, W_TO);
        Map<ReportKind, Double> todayAfter = costs(TODAY, TODAY);
        System.out.println("report cost (capacity units) for " + W_FROM + ".." + W_TO + " before / after 1,000+ records outside it: "
                + windowBefore + " / " + windowAfter);
        System.out.println("report cost (capacity units) for today before / after today's 40 signed customers: " + todayBefore + " / " + todayAfter);
        assertThat(windowAfter).as("records outside the period cost nothing").isEqualTo(windowBefore);
        for (ReportKind k : new ReportKind[]{ReportKind.CUSTOMER_FUNNEL, ReportKind.CONTRACTS_SIGNED, ReportKind.SERVICE}) {
            assertThat(todayAfter.get(k)).as(k + " grows with the period's records").isGreaterThan(todayBefore.get(k));
        }
        assertThat(todayAfter.get(ReportKind.RACKING)).as("no racking happened: the day's other events are not read")
                .isEqualTo(todayBefore.get(ReportKind.RACKING));
        assertThat(todayAfter.get(ReportKind.CONTRACT_EXPIRY)).as("contracts ending beyond the window are not read")
                .isEqualTo(todayBefore.get(ReportKind.CONTRACT_EXPIRY));

        // inside the window: four times the calls, at most about four times the cost
        double calls20 = windowAfter.get(ReportKind.CALL_VOLUME);
        activities(EAST_SALES_1, east, 60, "2026-03-05");
        double calls80 = cost(ReportKind.CALL_VOLUME, W_FROM, W_TO);
        System.out.println("call volume for the window with 20 / 80 calls in it: " + calls20 + " / " + calls80);
        assertThat(calls80).isGreaterThan(calls20).isLessThanOrEqualTo(4 * calls20 + 1);
    }

    @Test
    void theEventReportsReadTheDayPartitionsOfThePeriodOnly() {
        data.move(EAST_SALES_1, data.customer(EAST_SALES_1, null), CustomerStatus.CONTACTED);
        // a day that holds nothing costs only its day partition's empty Query: DynamoDB's minimum, half a unit
        // (eventually consistent), so a year of empty days costs that per day and nothing for the table's other records
        double oneDay = cost(ReportKind.CUSTOMER_FUNNEL, TODAY.minusDays(1), TODAY.minusDays(1));
        double perEmptyDay = cost(ReportKind.CUSTOMER_FUNNEL, TODAY.minusDays(2), TODAY.minusDays(1)) - oneDay;
        assertThat(perEmptyDay).isEqualTo(0.5);
        assertThat(cost(ReportKind.CUSTOMER_FUNNEL, TODAY.minusDays(365), TODAY.minusDays(1))).isEqualTo(oneDay + 364 * perEmptyDay);
        assertThat(cost(ReportKind.CUSTOMER_FUNNEL, TODAY, TODAY)).isPositive();
    }
}
