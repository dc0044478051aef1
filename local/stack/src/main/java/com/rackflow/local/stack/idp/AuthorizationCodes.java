package com.rackflow.local.stack.idp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * One-time authorization codes of the code flow with PKCE (RFC 7636, S256 only, as Cognito's hosted UI): a code is
 * bound to its client, redirect URI, challenge and user, lives five minutes and is redeemed at most once.
 */
final class AuthorizationCodes {

    static final Duration LIFETIME = Duration.ofMinutes(5);
    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9\\-._~]{43,128}");
    private static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();

    record Grant(String clientId, String redirectUri, String codeChallenge, String userId, String nonce, Instant authTime,
                 Instant expiresAt) {
    }

    /** A refused exchange: the OAuth error code (RFC 6749 §5.2) and why. */
    static final class Refused extends RuntimeException {
        private final String error;

        Refused(String error, String description) {
            super(description);
            this.error = error;
        }

        String error() {
            return error;
        }
    }

    private final Map<String, Grant> grants = new ConcurrentHashMap<>();
    private final Clock clock;

    AuthorizationCodes(Clock clock) {
        this.clock = clock;
    }

    static boolean validChallenge(String challenge) {
        return challenge != null && CHALLENGE.matcher(challenge).matches();
    }

    String issue(String clientId, String redirectUri, String codeChallenge, String userId, String nonce) {
        Instant now = clock.instant();
        grants.values().removeIf(g -> g.expiresAt().isBefore(now));
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String code = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        grants.put(code, new Grant(clientId, redirectUri, codeChallenge, userId, nonce, now, now.plus(LIFETIME)));
        return code;
    }

    /** Redeems a code once; every mismatch is {@code invalid_grant} and burns the code. */
    Grant redeem(String code, String clientId, String redirectUri, String codeVerifier) {
        if (code == null || code.isEmpty()) {
            throw new Refused("invalid_request", "code is required");
        }
        if (codeVerifier == null || !VERIFIER.matcher(codeVerifier).matches()) {
            throw new Refused("invalid_request", "code_verifier is required: 43 to 128 characters of [A-Za-z0-9-._~] (RFC 7636)");
        }
        Grant grant = grants.remove(code);
        if (grant == null || grant.expiresAt().isBefore(clock.instant())) {
            throw new Refused("invalid_grant", "the code is unknown, expired or already used");
        }
        if (!grant.clientId().equals(clientId)) {
            throw new Refused("invalid_grant", "the code was issued to another client_id");
        }
        if (!grant.redirectUri().equals(redirectUri)) {
            throw new Refused("invalid_grant", "redirect_uri differs from the one of the authorization request");
        }
        if (!grant.codeChallenge().equals(s256(codeVerifier))) {
            throw new Refused("invalid_grant", "code_verifier does not match the code_challenge (S256)");
        }
        return grant;
    }

    static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
