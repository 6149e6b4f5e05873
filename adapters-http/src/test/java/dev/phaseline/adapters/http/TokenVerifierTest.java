package dev.phaseline.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.phaseline.application.Principal;
import dev.phaseline.application.Role;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenVerifierTest {

    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-11-22T10:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final MovableClock clock = new MovableClock();
    private final TokenVerifier verifier = new TokenVerifier(SECRET, clock);
    private final String token = new TokenIssuer(SECRET, clock).issue("alice", "acme", List.of("user", "support"),
            Duration.ofMinutes(10));

    @Test
    void the_scheme_is_matched_in_any_case_and_the_token_after_any_run_of_whitespace() {
        assertThat(verifier.authenticate("bearer " + token).userId()).isEqualTo("alice");
        assertThat(verifier.authenticate(" BEARER \t  " + token + " ").userId()).isEqualTo("alice");
    }

    @Test
    void a_header_without_a_bearer_token_asks_for_one_and_a_malformed_token_is_invalid() {
        for (String header : new String[] {"Bearer", "Bearer   ", "Basic " + token, "Bearerx " + token, token}) {
            assertThatThrownBy(() -> verifier.authenticate(header)).as(header)
                    .isInstanceOfSatisfying(RequestRejectedException.class,
                            e -> assertThat(e.invalidToken()).isFalse());
        }
        assertThatThrownBy(() -> verifier.authenticate("Bearer " + token + " trailing"))
                .isInstanceOfSatisfying(RequestRejectedException.class, e -> assertThat(e.invalidToken()).isTrue());
    }

    @Test
    void a_token_verified_again_gives_the_same_principal() {
        Principal first = verifier.authenticate("Bearer " + token);
        Principal again = verifier.authenticate("Bearer " + token);

        assertThat(again).isEqualTo(first)
                .isEqualTo(new Principal("alice", "acme", Set.of(Role.USER, Role.SUPPORT)));
    }

    @Test
    void a_token_accepted_before_is_refused_once_it_expired() {
        verifier.authenticate("Bearer " + token);

        clock.advance(Duration.ofMinutes(10).plus(TokenVerifier.CLOCK_SKEW).minusSeconds(1));
        assertThat(verifier.authenticate("Bearer " + token).userId()).isEqualTo("alice");

        clock.advance(Duration.ofSeconds(1));
        assertThatThrownBy(() -> verifier.authenticate("Bearer " + token))
                .isInstanceOf(RequestRejectedException.class);
    }

    @Test
    void a_token_differing_in_its_signature_is_refused_even_after_the_real_one_was_accepted() {
        verifier.authenticate("Bearer " + token);
        char last = token.charAt(token.length() - 2);
        String forged = token.substring(0, token.length() - 2) + (last == 'A' ? 'B' : 'A')
                + token.charAt(token.length() - 1);

        assertThatThrownBy(() -> verifier.authenticate("Bearer " + forged))
                .isInstanceOf(RequestRejectedException.class);
    }
}
