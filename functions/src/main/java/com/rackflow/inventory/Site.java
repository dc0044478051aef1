package com.rackflow.inventory;

/** A data-center site (机房/数据中心). */
public record Site(String siteId, String code, String name, String city, String address,
                   String createdAt, String createdBy, long version) {
}
