package com.rackflow.bench;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The benchmark's independent capacity count sizes items and rounds units as DynamoDB documents them. */
class CapacityLedgerTest {

    @Test
    void itemsAreSizedInUtf8WithTheirNamesAndNumbersBySignificantDigits() {
        // "name" 4 + 3 Chinese characters × 3 bytes; "n" 1 + 12345 (5 digits: 1 + 3); "ok" 2 + 1
        assertThat(CapacityLedger.size(Map.of("name", AttributeValue.fromS("机房一"), "n", AttributeValue.fromN("12345"),
                "ok", AttributeValue.fromBool(true)))).isEqualTo(4 + 9 + 1 + 4 + 2 + 1);
        // a list: 3 + 1 per element + the elements; a map: 3 + 1 per entry + names and values
        assertThat(CapacityLedger.size(Map.of("l", AttributeValue.fromL(List.of(AttributeValue.fromS("ab"))),
                "m", AttributeValue.fromM(Map.of("k", AttributeValue.fromS("v")))))).isEqualTo(1 + (3 + 1 + 2) + 1 + (3 + 1 + 1 + 1));
        assertThat(CapacityLedger.size(null)).isZero();
    }

    @Test
    void unitsRoundUpPerItemWithAMinimumAndHalfForEventuallyConsistentReads() {
        assertThat(CapacityLedger.readUnits(0, true)).isEqualTo(1.0);
        assertThat(CapacityLedger.readUnits(0, false)).isEqualTo(0.5);
        assertThat(CapacityLedger.readUnits(4096, true)).isEqualTo(1.0);
        assertThat(CapacityLedger.readUnits(4097, false)).isEqualTo(1.0);
        assertThat(CapacityLedger.writeUnits(0)).isEqualTo(1.0);
        assertThat(CapacityLedger.writeUnits(1024)).isEqualTo(1.0);
        assertThat(CapacityLedger.writeUnits(1025)).isEqualTo(2.0);
    }

    @Test
    void itCountsNothingOutsideTheBenchmark() {
        // without BENCH_DYNALITE_ENDPOINT (every test JVM) the interceptor does nothing
        assertThat(CapacityLedger.active()).isFalse();
        assertThat(CapacityLedger.take()).containsOnly(0.0);
    }
}
