package com.rackflow.racking;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.math.BigDecimal;

/** What the contract bought, copied when the flow starts: allocations are checked against it. */
public record ContractItems(int cabinets, @JsonProperty("uCount") int uCount, BigDecimal powerKw, int bandwidthMbps, int ipCount) {
}
