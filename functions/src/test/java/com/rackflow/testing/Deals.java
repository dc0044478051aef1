package com.rackflow.testing;

import com.rackflow.access.Caller;
import com.rackflow.contracts.Contract;
import com.rackflow.contracts.ContractService;
import com.rackflow.contracts.ContractStatus;
import com.rackflow.contracts.ContractTerms;
import com.rackflow.core.persistence.Table;
import com.rackflow.customers.Contact;
import com.rackflow.customers.Customer;
import com.rackflow.customers.CustomerDetails;
import com.rackflow.customers.CustomerService;
import com.rackflow.customers.CustomerSource;
import com.rackflow.customers.CustomerStatus;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** Signed customers with contracts, made through the services as sales would make them (for flow tests). */
public final class Deals {
    private static final AtomicLong SEQ = new AtomicLong(System.nanoTime() % 1_000_000);

    private final CustomerService customers;
    private final ContractService contracts;

    public Deals(Table table) {
        this.customers = new CustomerService(table);
        this.contracts = new ContractService(table);
    }

    /** A customer of {@code sales} moved to SIGNED. */
    public Customer signedCustomer(Caller sales) {
        long n = SEQ.incrementAndGet();
        Customer c = customers.create(sales, new CustomerDetails("流程测试客户" + n + "科技有限公司", null,
                List.of(new Contact("李工", "运维", "139" + String.format("%08d", n % 100_000_000), null, true)),
                "east", CustomerSource.REFERRAL, null), Optional.empty());
        long v = c.version();
        for (CustomerStatus s : List.of(CustomerStatus.CONTACTED, CustomerStatus.NEGOTIATING, CustomerStatus.SIGNED)) {
            c = customers.transition(sales, c.customerId(), s, null, v);
            v = c.version();
        }
        return c;
    }

    /** A DRAFT contract: 1 cabinet, 10 U, 4 kW, 100 Mbps, 8 IPs. */
    public Contract draftContract(Caller sales, String customerId) {
        return contracts.create(sales, customerId, new ContractTerms(1, 10, new BigDecimal("4.0"), 100, 8,
                new BigDecimal("6800.00"), LocalDate.of(2026, 12, 1), LocalDate.of(2027, 11, 30), null));
    }

    /** The contract moved to ACTIVE by its salesperson. */
    public Contract activate(Caller sales, Contract draft) {
        return contracts.transition(sales, draft.contractId(), ContractStatus.ACTIVE, null, draft.version());
    }

    /** An ACTIVE contract of a new signed customer of {@code sales}. */
    public Contract activeContract(Caller sales) {
        Customer c = signedCustomer(sales);
        Contract k = draftContract(sales, c.customerId());
        return contracts.transition(sales, k.contractId(), ContractStatus.ACTIVE, null, k.version());
    }
}
