package dev.phaseline.application.inprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.phaseline.domain.Session;
import dev.phaseline.domain.SessionId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class InProcessLiveStateCacheTest {

    private static final Instant START = Instant.parse("2030-01-02T03:04:05.123456Z");
    private static final Duration TTL = Duration.ofMinutes(10);

    private final MutableClock clock = new MutableClock(START);

    @Test
    void an_entry_lives_until_its_ttl_has_passed_since_it_was_written() {
        InProcessLiveStateCache cache = new InProcessLiveStateCache(10, TTL, clock);
        Session session = created();
        cache.put(session);

        clock.advance(TTL.minusNanos(1));
        assertThat(cache.get(session.id())).contains(session);

        clock.advance(Duration.ofNanos(1));
        assertThat(cache.get(session.id())).isEmpty();
    }

    @Test
    void writing_a_newer_version_restarts_the_ttl() {
        InProcessLiveStateCache cache = new InProcessLiveStateCache(10, TTL, clock);
        Session created = created();
        Session running = created.start(START.plusSeconds(1)).session();
        cache.put(created);

        clock.advance(TTL.minusMinutes(1));
        cache.put(running);
        clock.advance(Duration.ofMinutes(5));

        assertThat(cache.get(created.id())).contains(running);
    }

    @Test
    void a_refused_older_version_does_not_extend_the_ttl() {
        InProcessLiveStateCache cache = new InProcessLiveStateCache(10, TTL, clock);
        Session created = created();
        Session running = created.start(START.plusSeconds(1)).session();
        cache.put(running);

        clock.advance(TTL.minusMinutes(1));
        assertThat(cache.put(created)).isFalse();
        clock.advance(Duration.ofMinutes(1));

        assertThat(cache.get(created.id())).isEmpty();
    }

    @Test
    void an_expired_entry_no_longer_guards_its_version() {
        InProcessLiveStateCache cache = new InProcessLiveStateCache(10, TTL, clock);
        Session created = created();
        Session running = created.start(START.plusSeconds(1)).session();
        cache.put(running);

        clock.advance(TTL);

        assertThat(cache.put(created)).isTrue();
        assertThat(cache.get(created.id())).contains(created);
    }

    @Test
    void when_full_the_least_recently_used_entry_goes() {
        InProcessLiveStateCache cache = new InProcessLiveStateCache(3, TTL, clock);
        Session a = created();
        Session b = created();
        Session c = created();
        cache.put(a);
        cache.put(b);
        cache.put(c);
        cache.get(a.id());

        cache.put(created());

        assertThat(cache.get(b.id())).isEmpty();
        assertThat(cache.get(a.id())).contains(a);
        assertThat(cache.get(c.id())).contains(c);
    }

    @Test
    void the_cache_never_holds_more_than_its_bound() {
        InProcessLiveStateCache cache = new InProcessLiveStateCache(5, TTL, clock);
        Session[] sessions = new Session[20];
        for (int i = 0; i < sessions.length; i++) {
            sessions[i] = created();
            cache.put(sessions[i]);
        }

        long present = 0;
        for (Session session : sessions) {
            present += cache.get(session.id()).isPresent() ? 1 : 0;
        }
        assertThat(present).isEqualTo(5);
        for (int i = 15; i < 20; i++) {
            assertThat(cache.get(sessions[i].id())).contains(sessions[i]);
        }
    }

    @Test
    void a_bound_below_one_or_a_ttl_that_is_not_positive_is_refused() {
        Clock utc = Clock.systemUTC();
        assertThatThrownBy(() -> new InProcessLiveStateCache(0, TTL, utc))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new InProcessLiveStateCache(1, Duration.ZERO, utc))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new InProcessLiveStateCache(1, Duration.ofSeconds(-1), utc))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Session created() {
        return Session.create(new SessionId(UUID.randomUUID()), "tenant-1", "owner-1", null, null, null, START)
                .session();
    }
}
