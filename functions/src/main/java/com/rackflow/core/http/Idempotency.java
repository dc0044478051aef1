package com.rackflow.core.http;

import com.rackflow.access.Caller;
import com.rackflow.core.persistence.IdempotencyClaim;
import com.rackflow.core.persistence.IdempotentReplay;
import com.rackflow.core.persistence.Items;
import com.rackflow.core.persistence.Key;
import com.rackflow.core.persistence.Keys;
import com.rackflow.core.persistence.Table;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Creates sent with an {@code Idempotency-Key} header run once: a retry with the same key and body gets the first
 * answer again (with {@code Idempotent-Replayed: true}), never a second record. The same key with another body is
 * refused.
 * <p>
 * {@link #create}: the idempotency record and its answer (status, the record created) are written in the create's
 * own unit of work, so a create either happened with its key or not at all; a replay reads the record again as the
 * caller may see it now (the current access policy: 404 once it has left the caller's scope). {@link #once} is the
 * older separate-write form, still used by requests that are not one record create (starting a flow, a report run).
 */
public final class Idempotency {
    public static final String HEADER = "Idempotency-Key";
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    /** How long an IN_PROGRESS record holds its key when the request has no Lambda context (tests, priming). */
    static final Duration WITHOUT_CONTEXT = Duration.ofSeconds(60);
    private static final Duration KEEP = Duration.ofHours(24);

    private final Table table;

    public Idempotency(Table table) {
        this.table = table;
    }

    /**
     * A create whose unit of work carries the key: {@code create} gets the claim (null without the header) and must
     * pass it to its {@link com.rackflow.core.persistence.UnitOfWork#idempotent}; {@code replay} answers for the
     * record an earlier request with the key created, under the caller's current rights (its 404 stands).
     */
    public ApiResponse create(ApiRequest request, Caller caller, Function<IdempotencyClaim, ApiResponse> create,
                              Function<String, ApiResponse> replay) {
        var header = request.header(HEADER);
        if (header.isEmpty()) {
            return create.apply(null);
        }
        Key k = key(request, caller, header.get());
        String hash = sha256(request.body() == null ? "" : request.body());
        for (int attempt = 0; attempt < 3; attempt++) {
            Map<String, AttributeValue> existing = table.get(k)
                    .filter(i -> !i.containsKey("expiresAt") || Long.parseLong(i.get("expiresAt").n()) >= Instant.now().getEpochSecond())
                    .orElse(null);
            if (existing != null) {
                return answered(existing, hash, replay);
            }
            IdempotencyClaim claim = new IdempotencyClaim(k, hash, Instant.now().plus(KEEP).getEpochSecond(), 201);
            ApiResponse response;
            try {
                response = create.apply(claim);
            } catch (IdempotentReplay e) {
                continue; // another request with this key committed first: answer as it did
            }
            if (!claim.written() && response.status() < 300) {
                throw new IllegalStateException("the create did not write its Idempotency-Key in its unit of work");
            }
            return response;
        }
        throw ApiException.conflict("REQUEST_IN_PROGRESS",
                "a request with this Idempotency-Key is still being processed; retry in a moment",
                "相同请求正在处理中，请稍后重试", Map.of());
    }

    private ApiResponse answered(Map<String, AttributeValue> existing, String hash, Function<String, ApiResponse> replay) {
        if (!hash.equals(existing.get("requestHash").s())) {
            throw ApiException.invalid(HEADER, "reused",
                    "this key was already used for a different request body; use a new key for a new request");
        }
        if (!existing.containsKey("recordId")) {
            throw ApiException.conflict("REQUEST_IN_PROGRESS",
                    "a request with this Idempotency-Key is still being processed; retry in a moment",
                    "相同请求正在处理中，请稍后重试", Map.of());
        }
        // the record was written moments ago: read it strongly, though the GET it answers like reads eventually
        ApiResponse current = com.rackflow.core.persistence.Table.readingStrongly(() -> replay.apply(existing.get("recordId").s()));
        return new ApiResponse(Integer.parseInt(existing.get("status").n()), current.headers(), current.body())
                .withHeader("Idempotent-Replayed", "true");
    }

    private static Key key(ApiRequest request, Caller caller, String key) {
        if (!KEY.matcher(key).matches()) {
            throw ApiException.invalid(HEADER, "format", "must be 1 to 128 letters, digits or . _ : -");
        }
        return Keys.idempotency(caller.userId(), request.path(), key);
    }

    /**
     * A request that is not one record create (a report run, a staff departure): an IN_PROGRESS record first, then the
     * request, then its answer stored. The IN_PROGRESS record holds the key only while the function serving it can
     * still be running — until the request's deadline (the Lambda context's remaining time, as Powertools for AWS
     * Lambda does); after that a retry takes the key over, so a killed function never blocks its key for longer.
     */
    public ApiResponse once(ApiRequest request, Caller caller, Supplier<ApiResponse> create) {
        var header = request.header(HEADER);
        if (header.isEmpty()) {
            return create.get();
        }
        Key k = key(request, caller, header.get());
        String hash = sha256(request.body() == null ? "" : request.body());
        Instant now = Instant.now();
        Map<String, AttributeValue> claim = new HashMap<>(k.toMap());
        claim.put("state", Items.s("IN_PROGRESS"));
        claim.put("requestHash", Items.s(hash));
        claim.put("startedAt", Items.s(now.toString()));
        claim.put("inProgressUntil", Items.n(inProgressUntil(request, now).toEpochMilli()));
        claim.put("expiresAt", Items.n(now.plus(KEEP).getEpochSecond()));
        // free, expired, or IN_PROGRESS past the deadline of the function that claimed it (it is not running any more)
        boolean claimed = table.putIf(claim, "attribute_not_exists(pk) OR #exp < :nowSecond OR (#state = :inProgress AND #until < :nowMilli)",
                Map.of("#exp", "expiresAt", "#state", "state", "#until", "inProgressUntil"),
                Map.of(":nowSecond", Items.n(now.getEpochSecond()), ":inProgress", Items.s("IN_PROGRESS"),
                        ":nowMilli", Items.n(now.toEpochMilli())));
        if (!claimed) {
            Map<String, AttributeValue> existing = table.get(k).orElse(null);
            if (existing == null) {
                return once(request, caller, create);
            }
            if (!hash.equals(existing.get("requestHash").s())) {
                throw ApiException.invalid(HEADER, "reused",
                        "this key was already used for a different request body; use a new key for a new request");
            }
            if ("COMPLETED".equals(existing.get("state").s())) {
                return replay(existing);
            }
            throw ApiException.conflict("REQUEST_IN_PROGRESS",
                    "a request with this Idempotency-Key is still being processed; retry in a moment",
                    "相同请求正在处理中，请稍后重试", Map.of());
        }
        ApiResponse response;
        try {
            response = create.get();
        } catch (RuntimeException e) {
            table.delete(k);
            throw e;
        }
        if (response.status() >= 200 && response.status() < 300) {
            Map<String, AttributeValue> done = new HashMap<>(claim);
            done.put("state", Items.s("COMPLETED"));
            done.put("status", Items.n(response.status()));
            done.put("body", Items.s(response.body() == null ? "" : response.body()));
            Map<String, AttributeValue> headers = new HashMap<>();
            response.headers().forEach((h, v) -> headers.put(h, Items.s(v)));
            done.put("headers", AttributeValue.fromM(headers));
            table.put(done);
        } else {
            table.delete(k);
        }
        return response;
    }

    /** Until when the function serving {@code request} may still be running. */
    static Instant inProgressUntil(ApiRequest request, Instant now) {
        return request.deadline() != null ? request.deadline() : now.plus(WITHOUT_CONTEXT);
    }

    private static ApiResponse replay(Map<String, AttributeValue> item) {
        Map<String, String> headers = new HashMap<>();
        item.get("headers").m().forEach((h, v) -> headers.put(h, v.s()));
        headers.put("Idempotent-Replayed", "true");
        String body = item.get("body").s();
        return new ApiResponse(Integer.parseInt(item.get("status").n()), headers, body.isEmpty() ? null : body);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
