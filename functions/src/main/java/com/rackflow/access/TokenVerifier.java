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
    private final String audience;

    public TokenVerifier(String issuer, String audience, JWKSource<SecurityContext> keys) {
        this.audience = audience;
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

    /** The token's subject when it is valid for this API; empty otherwise. */
    public Optional<String> verify(String token) {
        try {
            JWTClaimsSet claims = processor.process(token, null);
            List<String> aud = claims.getAudience();
            Object clientId = claims.getClaim("client_id");
            boolean audienceOk = (aud != null && aud.contains(audience)) || audience.equals(clientId);
            return audienceOk ? Optional.ofNullable(claims.getSubject()) : Optional.empty();
        } catch (ParseException | BadJOSEException | JOSEException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
