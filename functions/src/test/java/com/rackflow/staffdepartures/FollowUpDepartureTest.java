package com.rackflow.staffdepartures;

import com.rackflow.access.Caller;
import com.rackflow.access.Role;
import com.rackflow.activities.ActivityType;
import com.rackflow.activities.FollowUpDue;
import com.rackflow.core.persistence.KeyQuery;
import com.rackflow.core.persistence.Keys;
import com.rackflow.core.persistence.Table;
import com.rackflow.core.records.Requests;
import com.rackflow.customers.Customer;
import com.rackflow.customers.CustomerService;
import com.rackflow.customers.FollowUps;
import com.rackflow.testing.LocalTable;
import com.rackflow.testing.Reply;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.rackflow.testing.Staff.EAST_MANAGER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A staff departure moves each customer's follow-up with the customer (in the customer's own move transaction): the
 * receiver finds it in their follow-ups, the departed person's owner partition holds none, and a batch run again after
 * the move moves nothing twice.
 */
class FollowUpDepartureTest {
    static DepartureFixture f;
    static Table table;
    static CustomerService customers;
    static FollowUps index;
    static final LocalDate TODAY = LocalDate.now(Requests.BUSINESS_ZONE);

    @BeforeAll
    static void setUp() {
        table = LocalTable.create();
        f = new DepartureFixture(table, 2);
        customers = new CustomerService(table);
        index = new FollowUps(table);
    }

    private void contact(Caller sales, Customer c, LocalDate next) {
        Map<String, Object> d = new HashMap<>();
        d.put("type", ActivityType.CALL);
        d.put("occurredAt", TODAY.minusDays(1).atStartOfDay(Requests.BUSINESS_ZONE).plusMinutes(1).toInstant().toString());
        d.put("summary", "约定回访");
        d.put("nextFollowUpDate", next);
        f.activities.log(sales, c.customerId(), d);
    }

    private List<String> due(Caller who, FollowUpDue when) {
        return f.activities.followUps(who, when, null, null, TODAY, null, 100).items().stream()
                .map(o -> o.path("customerId").asText()).toList();
    }

    @Test
    void theDepartureMovesEachFollowUpWithItsCustomer() {
        Caller leaving = f.colleague(Role.SALES, "east");
        Caller a = f.colleague(Role.SALES, "east");
        Caller b = f.colleague(Role.SALES, "east");
        Customer c1 = f.deals.signedCustomer(leaving);
        Customer c2 = f.deals.signedCustomer(leaving);
        Customer c3 = f.deals.signedCustomer(leaving);
        contact(leaving, c1, TODAY);
        contact(leaving, c2, TODAY.plusDays(3));
        contact(leaving, c3, TODAY);
        assertThat(due(leaving, FollowUpDue.WEEK)).containsExactlyInAnyOrder(c1.customerId(), c3.customerId(), c2.customerId());

        Reply started = f.start(EAST_MANAGER, DepartureFixture.body(leaving.userId(), List.of(a.userId(), b.userId())));
        assertThat(started.status()).as(started.body().toString()).isEqualTo(201);
        String id = started.text("departureId");
        f.runFlow(id);
        assertThat(f.get(EAST_MANAGER, id).text("status")).isEqualTo("COMPLETED");

        for (Customer c : List.of(c1, c2, c3)) {
            String owner = customers.find(c.customerId()).orElseThrow().ownerId();
            FollowUps.FollowUp fu = index.find(c.customerId()).orElseThrow();
            assertThat(fu.ownerId()).as("the follow-up is with the customer's new owner").isEqualTo(owner).isIn(a.userId(), b.userId());
            assertThat(fu.departmentId()).isEqualTo("east");
            Caller receiver = new Caller(owner, Role.SALES, "east");
            assertThat(due(receiver, FollowUpDue.WEEK)).contains(c.customerId());
        }
        assertThat(due(EAST_MANAGER, FollowUpDue.TODAY)).contains(c1.customerId(), c3.customerId());
        assertThat(table.query(KeyQuery.on(Keys.GSI_OWNER, Keys.ownerPartition(leaving.userId()), Keys.FOLLOW_UP + "#"), null, 10)
                .items()).as("nothing of the departed person's is left in the index").isEmpty();

        // a batch run again finds everything moved: the follow-ups stay as they are
        long before = index.find(c1.customerId()).orElseThrow().version();
        f.task("moveBatch", id);
        assertThat(index.find(c1.customerId()).orElseThrow().version()).isEqualTo(before);
    }
}
