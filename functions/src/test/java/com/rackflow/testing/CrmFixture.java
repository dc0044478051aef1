package com.rackflow.testing;

import com.rackflow.access.Caller;
import com.rackflow.contracts.Contract;
import com.rackflow.contracts.ContractsHandler;
import com.rackflow.core.json.Json;
import com.rackflow.core.persistence.Table;
import com.rackflow.customers.Contact;
import com.rackflow.customers.CreditCode;
import com.rackflow.customers.Customer;
import com.rackflow.customers.CustomerDetails;
import com.rackflow.customers.CustomerService;
import com.rackflow.customers.CustomerSource;
import com.rackflow.customers.CustomerStatus;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Customers and contracts for the CRM record tests, made through the services as their owners would make them.
 * Every customer carries details maintenance must never see (credit code, notes, region, a second contact), with
 * values unique to the customer so a test can search answers for them.
 */
public final class CrmFixture {
    private static final AtomicLong SEQ = new AtomicLong(System.nanoTime() % 1_000_000);

    public static final String SECRET_NOTES = "内部备注：客户预算敏感";
    public static final String SECRET_REGION = "华东-机密区域";
    public static final String SERVICE_CONTACT = "维护联系人";
    public static final String OTHER_CONTACT = "财务总监秘密";
    public static final String OTHER_CONTACT_EMAIL = "cfo.secret@customer.example";

    private final Table table;
    private final CustomerService customers;

    public CrmFixture(Table table) {
        this.table = table;
        this.customers = new CustomerService(table);
    }

    public static long next() {
        return SEQ.incrementAndGet();
    }

    /** A new customer in ENTERED status, owned by {@code owner}. */
    public Customer customer(Caller owner) {
        long n = next();
        String phone = String.format("138%08d", n % 100_000_000);
        String otherPhone = String.format("137%08d", n % 100_000_000);
        CustomerDetails d = new CustomerDetails("夹具客户" + n + "科技有限公司", creditCode(n),
                List.of(new Contact(OTHER_CONTACT, "CFO", otherPhone, OTHER_CONTACT_EMAIL, false),
                        new Contact(SERVICE_CONTACT, "运维", phone, "ops" + n + "@customer.example", true)),
                SECRET_REGION, CustomerSource.REFERRAL, SECRET_NOTES);
        return customers.create(owner, d, Optional.empty());
    }

    /** A valid unified social credit code unique to {@code n}. */
    public static String creditCode(long n) {
        String first17 = "91310000" + String.format("%09d", n % 1_000_000_000L);
        return first17 + CreditCode.checkCharacter(first17);
    }

    /** A new customer moved through the pipeline to SIGNED by its owner. */
    public Customer signedCustomer(Caller owner) {
        Customer c = customer(owner);
        for (CustomerStatus s : List.of(CustomerStatus.CONTACTED, CustomerStatus.NEGOTIATING, CustomerStatus.SIGNED)) {
            c = customers.transition(owner, c.customerId(), s, null, c.version());
        }
        return c;
    }

    public CustomerService customers() {
        return customers;
    }

    public Table table() {
        return table;
    }

    /** The body of a valid contract create for a customer. */
    public static Map<String, Object> contractBody(String customerId) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("customerId", customerId);
        b.put("cabinets", 2);
        b.put("uCount", 84);
        b.put("powerKw", "8.80");
        b.put("bandwidthMbps", 100);
        b.put("ipCount", 8);
        b.put("monthlyFee", "12800.00");
        b.put("startDate", "2026-12-01");
        b.put("endDate", "2027-11-30");
        return b;
    }

    /** A DRAFT contract made through the API by {@code caller}. */
    public Contract contract(ContractsHandler handler, Caller caller, String customerId) {
        Reply r = Reply.of(handler, Events.load("contracts/create-contract.json").as(caller).header("Idempotency-Key", null)
                .body(contractBody(customerId)));
        if (r.status() != 201) {
            throw new IllegalStateException("contract create answered " + r.status() + ": " + r.body());
        }
        return Json.convert(r.body(), Contract.class);
    }
}
