package com.rackflow.pickers;

import com.rackflow.customers.Contact;
import com.rackflow.customers.Customer;

import java.util.List;

/**
 * A signed customer as the pickers show it, and ALL that maintenance ever learns of a customer: code, name, the
 * contact for service, contract serials and racked locations. {@code status} is filled only for callers who see
 * customers anyway (the contract picker).
 */
public record PickerEntry(String customerId, String code, String companyName, ServiceContact serviceContact,
                          List<String> contractSerials, List<String> rackedLocations, String status, String statusLabel) {

    /** The person maintenance calls about the customer's equipment. */
    public record ServiceContact(String name, String phone, String email) {
    }

    static PickerEntry of(Customer c, List<String> serials, List<String> racked, boolean withStatus) {
        ServiceContact contact = c.contacts() == null ? null : c.contacts().stream().filter(Contact::serviceContact)
                .findFirst().map(k -> new ServiceContact(k.name(), k.phone(), k.email())).orElse(null);
        return new PickerEntry(c.customerId(), c.code(), c.companyName(), contact, serials, racked,
                withStatus ? c.status().name() : null, withStatus ? c.status().labelZh() : null);
    }
}
