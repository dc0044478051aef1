package com.rackflow.contracts;

import com.rackflow.core.persistence.Table;
import com.rackflow.customers.Customer;
import com.rackflow.testing.CrmFixture;
import com.rackflow.testing.Events;
import com.rackflow.testing.LocalTable;
import com.rackflow.testing.Reply;
import com.rackflow.testing.Staff;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static com.rackflow.testing.Staff.EAST_SALES_1;
import static org.assertj.core.api.Assertions.assertThat;

/** N parallel contract creations against dynalite: N contracts, N distinct serials of the exact format. */
class ContractSerialConcurrencyTest {
    static final int N = 20;

    @Test
    void parallelCreatesYieldDistinctWellFormedSerials() throws Exception {
        Table table = LocalTable.create();
        Staff.seed(table);
        ContractsHandler handler = new ContractsHandler(table);
        Customer c = new CrmFixture(table).signedCustomer(EAST_SALES_1);
        ExecutorService pool = Executors.newFixedThreadPool(N);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Reply>> futures = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            String key = "parallel-" + i;
            futures.add(pool.submit(() -> {
                start.await();
                return Reply.of(handler, Events.load("contracts/create-contract.json").as(EAST_SALES_1)
                        .header("Idempotency-Key", key).body(CrmFixture.contractBody(c.customerId())));
            }));
        }
        start.countDown();
        List<String> serials = new ArrayList<>();
        for (Future<Reply> f : futures) {
            Reply r = f.get();
            assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
            serials.add(r.text("serial"));
        }
        pool.shutdown();
        assertThat(serials).hasSize(N).doesNotHaveDuplicates()
                .allSatisfy(s -> assertThat(s).hasSize(12).matches("HT\\d{10}"));
        // a fresh table: the year's sequence starts at 1 and has no gaps when nothing failed
        List<Long> sequence = serials.stream().map(s -> Long.parseLong(s.substring(6))).sorted().toList();
        assertThat(sequence.get(0)).isEqualTo(1L);
        assertThat(sequence.get(N - 1)).isEqualTo((long) N);
        assertThat(new ContractService(table).contractsOf(c.customerId())).hasSize(N);
    }
}
