package dev.phaseline.adapters.http;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.phaseline.application.Principal;
import dev.phaseline.application.Role;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Turns an {@code Authorization} header into a principal, or refuses it. */
final class TokenVerifier {

    static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

    /** Tokens remembered at most; past this the memory is dropped and tokens are verified afresh. */
    static final int REMEMBERED_MAX = 10_000;

    private final MACVerifier verifier;
    private final Clock clock;
    /**
     * Tokens already verified, by their exact text (signature included), until they expire: a client polling with
     * the same token is not parsed and HMAC-checked on every request. A token that differs in any byte is verified.
     */
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    private record Verified(Principal principal, Instant notBefore, Instant expires) {
    }

    TokenVerifier(byte[] secret, Clock clock) {
        try {
            this.verifier = new MACVerifier(secret);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable JWT secret", e);
        }
        this.clock = clock;
    }

    /**
     * @param authorization the header, or {@code null}
     * @return the principal
     * @throws RequestRejectedException (unauthenticated) when the header is absent or the token is not acceptable
     */
    Principal authenticate(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw RequestRejectedException.unauthenticated("a bearer token is required", false);
        }
        // The scheme, a run of whitespace, the token; split by hand, since a regex here ran on every request.
        String header = authorization.trim();
        int schemeEnd = 0;
        while (schemeEnd < header.length() && !isSpace(header.charAt(schemeEnd))) {
            schemeEnd++;
        }
        int tokenStart = schemeEnd;
        while (tokenStart < header.length() && isSpace(header.charAt(tokenStart))) {
            tokenStart++;
        }
        if (tokenStart == header.length() || !header.regionMatches(true, 0, "Bearer", 0, schemeEnd)
                || schemeEnd != "Bearer".length()) {
            throw RequestRejectedException.unauthenticated("a bearer token is required", false);
        }
        return verify(header.substring(tokenStart).trim());
    }

    /** The characters of the regex class {@code \s}. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    private Principal verify(String token) {
        Instant now = clock.instant();
        Verified known = verified.get(token);
        if (known != null) {
            if (now.isBefore(known.expires()) && !now.isBefore(known.notBefore())) {
                return known.principal();
            }
            verified.remove(token);
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
                throw invalid();
            }
            if (!jwt.verify(verifier)) {
                throw invalid();
            }
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException | JOSEException | IllegalStateException e) {
            throw invalid();
        }
        Date exp = claims.getExpirationTime();
        if (exp == null || !now.isBefore(exp.toInstant().plus(CLOCK_SKEW))) {
            throw invalid();
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now.isBefore(nbf.toInstant().minus(CLOCK_SKEW))) {
            throw invalid();
        }
        String subject = claims.getSubject();
        Object tenant = claims.getClaim("tenant");
        if (subject == null || subject.isBlank() || !(tenant instanceof String tenantId) || tenantId.isBlank()) {
            throw invalid();
        }
        Principal principal = new Principal(subject, tenantId, roles(claims.getClaim("roles")));
        if (verified.size() >= REMEMBERED_MAX) {
            verified.clear();
        }
        verified.put(token, new Verified(principal,
                nbf == null ? Instant.MIN : nbf.toInstant().minus(CLOCK_SKEW), exp.toInstant().plus(CLOCK_SKEW)));
        return principal;
    }

    private static Set<Role> roles(Object claim) {
        if (claim == null) {
            return Set.of(Role.USER);
        }
        if (!(claim instanceof List<?> names)) {
            throw invalid();
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (Object name : names) {
            if (!(name instanceof String text)) {
                throw invalid();
            }
            Role.fromWireName(text).ifPresent(roles::add);
        }
        return roles;
    }

    private static RequestRejectedException invalid() {
        return RequestRejectedException.unauthenticated("the bearer token is invalid or expired", true);
    }
}
