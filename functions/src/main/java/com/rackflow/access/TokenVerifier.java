package com.rackflow.access;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies a bearer JWT: signature against the issuer's JWKS (fetched and cached by nimbus), only asymmetric
 * algorithms (so neither {@code none} nor HS/RS confusion), exact issuer, audience (or Cognito's client_id), exp/nbf
 * with a small clock skew. Returns the subject (user id) of a valid token.
 */
public final class TokenVerifier {
    private static final Set<JWSAlgorithm> ALLOWED = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.ES256, JWSAlgorithm.ES384);

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final String issuer;
    private final String audience;
    private final JWKSource<SecurityContext> keys;

    public TokenVerifier(String issuer, String audience, JWKSource<SecurityContext> keys) {
        this.issuer = issuer;
        this.audience = audience;
        this.keys = keys;
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALLOWED, keys));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("sub", "exp", "iat")));
    }

    public static TokenVerifier forJwksUrl(String issuer, String audience, String jwksUrl) {
        try {
            return new TokenVerifier(issuer, audience,
                    JWKSourceBuilder.create(URI.create(jwksUrl).toURL()).retrying(true).build());
        } catch (MalformedURLException e) {
            throw new IllegalStateException("JWKS_URL is not a URL: " + jwksUrl, e);
        }
    }

    /**
     * SnapStart priming: fetches the key set (nimbus caches it for its time to live) and verifies a token signed with
     * a throwaway key under the first key id of the set, which is refused (the signature does not match), so that
     * parsing, key selection and RSA verification are loaded. Nothing is accepted.
     */
    private String primingToken;

    void prime() {
        if (primingToken == null) {
            primingToken = throwawayToken();
        }
        if (verify(primingToken).isPresent()) {
            throw new IllegalStateException("a token signed with a throwaway key was accepted");
        }
        // the signature check refuses it before its claims are checked: the claims' checks (issuer, expiry, audience)
        // of a valid token's claims, with no token accepted
        try {
            JWTClaimsSet claims = new JWTClaimsSet.Builder(com.nimbusds.jwt.SignedJWT.parse(primingToken).getJWTClaimsSet())
                    .issuer(issuer).build();
            processor.getJWTClaimsSetVerifier().verify(claims, null);
            audienceOk(claims);
        } catch (ParseException | BadJOSEException e) {
            throw new IllegalStateException("priming the claims' checks failed: " + e.getMessage(), e);
        }
    }

    private String throwawayToken() {
        try {
            List<com.nimbusds.jose.jwk.JWK> found = keys.get(new com.nimbusds.jose.jwk.JWKSelector(
                    new com.nimbusds.jose.jwk.JWKMatcher.Builder().build()), null);
            String kid = found.isEmpty() ? "priming" : found.get(0).getKeyID();
            com.nimbusds.jose.jwk.RSAKey throwaway = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).keyID(kid).generate();
            java.util.Date now = new java.util.Date();
            com.nimbusds.jwt.SignedJWT jwt = new com.nimbusds.jwt.SignedJWT(
                    new com.nimbusds.jose.JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).build(),
                    new JWTClaimsSet.Builder().subject("snapstart-priming").audience(audience).issueTime(now)
                            .expirationTime(new java.util.Date(now.getTime() + 60_000)).build());
            jwt.sign(new com.nimbusds.jose.crypto.RSASSASigner(throwaway));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("priming the token verification failed: " + e.getMessage(), e);
        }
    }

    private boolean audienceOk(JWTClaimsSet claims) {
        List<String> aud = claims.getAudience();
        Object clientId = claims.getClaim("client_id");
        return (aud != null && aud.contains(audience)) || audience.equals(clientId);
    }

    /** The token's subject when it is valid for this API; empty otherwise. */
    public Optional<String> verify(String token) {
        try {
            JWTClaimsSet claims = processor.process(token, null);
            return audienceOk(claims) ? Optional.ofNullable(claims.getSubject()) : Optional.empty();
        } catch (ParseException | BadJOSEException | JOSEException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
