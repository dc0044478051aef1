package com.rackflow.inventory;

import java.math.BigDecimal;

/** A rack (机柜): name unique per room, U height, power cap, uplink ports of a given speed. */
public record Rack(String rackId, String siteId, String roomId, String name, int uHeight, BigDecimal powerCapKw,
                   int uplinkPorts, int portSpeedMbps, String createdAt, String createdBy, long version) {
}
