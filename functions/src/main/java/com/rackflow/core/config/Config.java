package com.rackflow.core.config;

import java.util.Optional;

/** The one way functions read configuration: the environment variables Lambda sets from template.yaml. */
public final class Config {
    private Config() {
    }

    public static Optional<String> optional(String name) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
    }

    public static String required(String name) {
        return optional(name).orElseThrow(() -> new IllegalStateException("configuration " + name + " is not set"));
    }

    public static String tableName() {
        return required("TABLE_NAME");
    }

    public static String region() {
        return optional("AWS_REGION").orElse("us-east-1");
    }
}
