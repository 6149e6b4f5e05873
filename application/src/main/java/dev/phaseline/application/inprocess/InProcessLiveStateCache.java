package dev.phaseline.application.inprocess;

import dev.phaseline.application.port.LiveStateCache;
import dev.phaseline.domain.Session;
import dev.phaseline.domain.SessionId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A bounded, expiring live-state cache in this process's memory. Entries expire after the TTL; when full, the least
 * recently used entry goes. Writes are version-guarded under one lock, so an older version never replaces a newer.
 */
public final class InProcessLiveStateCache implements LiveStateCache {

    /** Entries kept at most by default. */
    public static final int DEFAULT_MAX_ENTRIES = 100_000;

    private final int maxEntries;
    private final Duration ttl;
    private final Clock clock;
    private final LinkedHashMap<SessionId, Cached> entries;

    private record Cached(Session session, Instant expiresAt) {
    }

    /** A cache of {@value #DEFAULT_MAX_ENTRIES} entries that expire after 24 hours. */
    public InProcessLiveStateCache() {
        this(DEFAULT_MAX_ENTRIES, Duration.ofHours(24), Clock.systemUTC());
    }

    /**
     * @param maxEntries the most entries kept, {@code >= 1}
     * @param ttl        how long an entry lives after it was written, positive
     * @param clock      where time comes from
     */
    public InProcessLiveStateCache(int maxEntries, Duration ttl, Clock clock) {
        if (maxEntries < 1 || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("maxEntries >= 1 and a positive ttl");
        }
        this.maxEntries = maxEntries;
        this.ttl = ttl;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<SessionId, Cached> eldest) {
                return size() > InProcessLiveStateCache.this.maxEntries;
            }
        };
    }

    @Override
    public synchronized Optional<Session> get(SessionId id) {
        Cached entry = entries.get(id);
        if (entry == null) {
            return Optional.empty();
        }
        if (!entry.expiresAt().isAfter(clock.instant())) {
            entries.remove(id);
            return Optional.empty();
        }
        return Optional.of(entry.session());
    }

    @Override
    public synchronized boolean put(Session session) {
        Cached current = entries.get(session.id());
        Instant now = clock.instant();
        if (current != null && current.expiresAt().isAfter(now)
                && current.session().version() >= session.version()) {
            return false;
        }
        entries.put(session.id(), new Cached(session, now.plus(ttl)));
        return true;
    }

    @Override
    public synchronized void remove(SessionId id) {
        entries.remove(id);
    }
}
