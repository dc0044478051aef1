package com.rackflow.inventory;

/** A room (机房模块) of a site. */
public record Room(String roomId, String siteId, String name, String floor, String createdAt, String createdBy, long version) {
}
