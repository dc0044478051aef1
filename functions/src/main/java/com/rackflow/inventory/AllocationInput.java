package com.rackflow.inventory;

import com.rackflow.core.history.Actor;
import com.rackflow.core.http.Input;
import com.rackflow.core.persistence.IdempotencyClaim;

import java.math.BigDecimal;
import java.util.List;
import java.util.regex.Pattern;

/** Reads the resource part of an allocation request (API and racking form) and runs it. */
public final class AllocationInput {
    private static final Pattern ADDRESS = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private AllocationInput() {
    }

    /** The request for one kind, read from {@code in} (violations collected there). */
    public static Object read(Input in, AllocationKind kind) {
        switch (kind) {
            case RACK_UNITS: {
                String rackId = in.requiredString("rackId", 64);
                long from = in.integer("uFrom", 1, 60, true).orElse(0L);
                long to = in.integer("uTo", 1, 60, true).orElse(0L);
                Mount mount = in.enumValue("mount", Mount.class, false).orElse(Mount.FULL_DEPTH);
                BigDecimal kw = in.decimal("powerKw", BigDecimal.ZERO, new BigDecimal("100"), 2, false).orElse(BigDecimal.ZERO);
                if (from > to) {
                    in.add("uTo", "range", "must not be below uFrom");
                }
                return new AllocationService.UnitRequest(rackId, (int) from, (int) to, mount, kw);
            }
            case IP_ADDRESSES: {
                String prefixId = in.requiredString("prefixId", 64);
                List<String> addresses = in.strings("addresses", 256, ADDRESS, "address", "must be an IPv4 address").orElse(List.of());
                long count = in.integer("count", 1, 256, addresses.isEmpty()).orElse((long) addresses.size());
                return new AllocationService.AddressRequest(prefixId, (int) count, addresses);
            }
            default: {
                String rackId = in.requiredString("rackId", 64);
                Integer port = in.integer("port", 1, 96, false).map(Long::intValue).orElse(null);
                long bw = in.integer("bandwidthMbps", 1, 400_000, true).orElse(0L);
                return new AllocationService.PortRequest(rackId, port, (int) bw);
            }
        }
    }

    /** The reservation the request asks for, with the request's idempotency record (may be null): one transaction. */
    public static Allocation reserve(AllocationService s, String id, Object request, AllocationHolder h, Actor actor,
                                     IdempotencyClaim claim) {
        return s.committed(actor, claim, uow -> {
            if (request instanceof AllocationService.UnitRequest u) {
                return s.reserveUnits(uow, id, u, h);
            }
            if (request instanceof AllocationService.AddressRequest a) {
                return s.reserveAddresses(uow, id, a, h);
            }
            return s.reservePort(uow, id, (AllocationService.PortRequest) request, h);
        });
    }
}
