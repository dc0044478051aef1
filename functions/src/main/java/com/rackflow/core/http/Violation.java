package com.rackflow.core.http;

/** One broken rule of one input field: what a client needs to fix its request. */
public record Violation(String field, String rule, String message) {
}
