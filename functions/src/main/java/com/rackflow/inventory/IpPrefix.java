package com.rackflow.inventory;

/** An IPv4 prefix addresses are handed out from (network, gateway and broadcast excluded). */
public record IpPrefix(String prefixId, String siteId, String cidr, String description,
                       String createdAt, String createdBy, long version) {

    public Ipv4.Block block() {
        return Ipv4.parse(cidr).orElseThrow();
    }
}
