package com.rackflow.local.stack.seed;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The demo customers ({@code demo/customers.json}), each created through {@code POST /customers} by its owner.
 *
 * @param customers each with the owner's user id, the Idempotency-Key and the request body
 */
public record DemoCustomers(List<DemoCustomer> customers) {

    public record DemoCustomer(String owner, String idempotencyKey, JsonNode customer) {
    }

    public static DemoCustomers load() {
        try (InputStream in = DemoCustomers.class.getResourceAsStream("/demo/customers.json")) {
            if (in == null) {
                throw new IllegalStateException("demo/customers.json is missing from the classpath");
            }
            return new ObjectMapper().readValue(in, DemoCustomers.class);
        } catch (IOException e) {
            throw new IllegalStateException("demo/customers.json is not valid: " + e.getMessage(), e);
        }
    }
}
