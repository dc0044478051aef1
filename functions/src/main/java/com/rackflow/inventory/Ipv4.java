package com.rackflow.inventory;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** IPv4 prefixes and addresses as numbers; a block's usable offsets exclude network, gateway (.1) and broadcast. */
public final class Ipv4 {
    private static final Pattern CIDR = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");
    public static final int MIN_LENGTH = 16;
    public static final int MAX_LENGTH = 29;

    private Ipv4() {
    }

    /** A prefix: network address and length. */
    public record Block(long network, int length) {
        public long size() {
            return 1L << (32 - length);
        }

        public long firstUsable() {
            return 2;
        }

        public long lastUsable() {
            return size() - 2;
        }

        public long usableCount() {
            return lastUsable() - firstUsable() + 1;
        }

        public String address(long offset) {
            return text(network + offset);
        }

        /** The offset of an address inside this block, if it is a usable one. */
        public Optional<Long> offsetOf(String address) {
            Optional<Long> a = parseAddress(address);
            if (a.isEmpty()) {
                return Optional.empty();
            }
            long off = a.get() - network;
            return off >= firstUsable() && off <= lastUsable() ? Optional.of(off) : Optional.empty();
        }

        public String cidr() {
            return text(network) + "/" + length;
        }
    }

    /** A CIDR in canonical form (host bits zero), length 16 to 29. */
    public static Optional<Block> parse(String cidr) {
        Matcher m = CIDR.matcher(cidr == null ? "" : cidr.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        long n = 0;
        for (int i = 1; i <= 4; i++) {
            int octet = Integer.parseInt(m.group(i));
            if (octet > 255) {
                return Optional.empty();
            }
            n = (n << 8) | octet;
        }
        int len = Integer.parseInt(m.group(5));
        if (len < MIN_LENGTH || len > MAX_LENGTH) {
            return Optional.empty();
        }
        long mask = (0xFFFFFFFFL << (32 - len)) & 0xFFFFFFFFL;
        if ((n & ~mask & 0xFFFFFFFFL) != 0) {
            return Optional.empty();
        }
        return Optional.of(new Block(n, len));
    }

    public static Optional<Long> parseAddress(String s) {
        String[] parts = s == null ? new String[0] : s.trim().split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        long n = 0;
        for (String p : parts) {
            if (!p.matches("\\d{1,3}") || Integer.parseInt(p) > 255) {
                return Optional.empty();
            }
            n = (n << 8) | Integer.parseInt(p);
        }
        return Optional.of(n);
    }

    public static String text(long n) {
        return ((n >> 24) & 255) + "." + ((n >> 16) & 255) + "." + ((n >> 8) & 255) + "." + (n & 255);
    }
}
