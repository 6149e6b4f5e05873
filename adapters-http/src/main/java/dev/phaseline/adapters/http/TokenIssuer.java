package dev.phaseline.adapters.http;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;

/**
 * Mints HS256 tokens this adapter accepts: for the server's {@code token} command, for demos and for tests.
 *
 * <pre>{@code
 * String jwt = new TokenIssuer(secret).issue("alice", "acme", List.of("user"), Duration.ofHours(1));
 * }</pre>
 */
public final class TokenIssuer {

    private final MACSigner signer;
    private final Clock clock;

    /**
     * @param secret the HS256 secret, at least 32 bytes
     * @throws IllegalArgumentException if the secret is shorter
     */
    public TokenIssuer(byte[] secret) {
        this(secret, Clock.systemUTC());
    }

    /**
     * @param secret the HS256 secret, at least 32 bytes
     * @param clock  where {@code iat} and {@code exp} are measured from
     * @throws IllegalArgumentException if the secret is shorter
     */
    public TokenIssuer(byte[] secret, Clock clock) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length < HttpSettings.MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the JWT secret must be at least " + HttpSettings.MIN_SECRET_BYTES
                    + " bytes");
        }
        try {
            this.signer = new MACSigner(secret.clone());
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable JWT secret", e);
        }
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param subject the user id ({@code sub}), not blank
     * @param tenant  the tenant, not blank
     * @param roles   role names such as {@code user}, {@code support}, {@code worker}, {@code admin}
     * @param ttl     how long the token is valid from now; a negative value mints an already expired token
     * @return the compact serialized JWT
     */
    public String issue(String subject, String tenant, List<String> roles, Duration ttl) {
        if (subject == null || subject.isBlank() || tenant == null || tenant.isBlank()) {
            throw new IllegalArgumentException("a token names a subject and a tenant");
        }
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(subject)
                .claim("tenant", tenant)
                .claim("roles", List.copyOf(roles))
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("could not sign a token", e);
        }
        return jwt.serialize();
    }
}
