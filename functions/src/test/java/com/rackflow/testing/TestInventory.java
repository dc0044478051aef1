package com.rackflow.testing;

import com.rackflow.core.http.ApiHandler;

import java.util.Map;

import static com.rackflow.testing.Staff.ADMIN;

/** A site with a room and a 42U rack (20 kW, 4 uplink ports), made through the inventory API as an admin would. */
public record TestInventory(String siteId, String roomId, String rackId) {
    public static TestInventory create(ApiHandler inventory, String siteCode, String rackName) {
        String siteId = Reply.of(inventory, Events.load("inventory/create-site.json").as(ADMIN).header("Idempotency-Key", null)
                .body(Map.of("code", siteCode, "name", "测试机房" + siteCode))).text("siteId");
        String roomId = Reply.of(inventory, Events.load("inventory/create-room.json").as(ADMIN).header("Idempotency-Key", null)
                .body(Map.of("siteId", siteId, "name", "M1"))).text("roomId");
        String rackId = Reply.of(inventory, Events.load("inventory/create-rack.json").as(ADMIN).header("Idempotency-Key", null)
                .body(Map.of("roomId", roomId, "name", rackName, "uHeight", 42, "powerCapKw", 20, "uplinkPorts", 4))).text("rackId");
        return new TestInventory(siteId, roomId, rackId);
    }
}
