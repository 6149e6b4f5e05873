package dev.phaseline.application;

import dev.phaseline.application.port.ApplicationMetrics;
import dev.phaseline.application.port.LiveStateCache;
import dev.phaseline.application.port.SessionStore;
import dev.phaseline.domain.Session;
import dev.phaseline.domain.SessionId;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where queries and commands get a session's current state: the live state, only when its entry holds exactly the
 * version this node knows was committed, or the store, which then also repairs the cache entry. What either
 * caller may do with a live state differs: a query answers it, a command only uses it to try a decision that the
 * version-guarded commit confirms (see {@link CommandService}).
 */
final class SessionReader {

    private static final Logger LOG = LoggerFactory.getLogger(SessionReader.class);

    private final SessionStore store;
    private final LiveStateCache cache;
    private final Propagation propagation;
    private final ApplicationMetrics metrics;
    private final KnownVersions known;

    SessionReader(SessionStore store, LiveStateCache cache, Propagation propagation, ApplicationMetrics metrics,
            KnownVersions known) {
        this.store = store;
        this.cache = cache;
        this.propagation = propagation;
        this.metrics = metrics;
        this.known = known;
    }

    /**
     * @return the cached state if, and only if, its version is the newest this node knows was committed; empty when
     *         nothing is known, the entry is missing, older, or claims a version nobody here saw committed, or the
     *         cache cannot be reached
     */
    Optional<Session> live(SessionId id) {
        long newest = known.newest(id);
        if (newest <= 0) {
            return Optional.empty();
        }
        try {
            Optional<Session> cached = cache.get(id);
            return cached.isPresent() && cached.get().version() == newest ? cached : Optional.empty();
        } catch (RuntimeException e) {
            metrics.portFailed("cache");
            LOG.debug("cache unreachable while reading session {}", id, e);
            return Optional.empty();
        }
    }

    /**
     * Reads the store, the source of truth, notes the version as known and writes the state through to the cache.
     *
     * @throws SessionNotFoundException if there is no such session
     */
    Session stored(SessionId id) {
        Session stored = store.find(id).orElseThrow(() -> new SessionNotFoundException(id));
        known.saw(id, stored.version());
        propagation.refresh(stored);
        return stored;
    }
}
