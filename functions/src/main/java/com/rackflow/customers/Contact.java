package com.rackflow.customers;

/** A person at the customer; {@code serviceContact} marks who maintenance calls. */
public record Contact(String name, String title, String phone, String email, boolean serviceContact) {
}
