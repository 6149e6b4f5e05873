package dev.phaseline.application.port;

import dev.phaseline.domain.Session;
import dev.phaseline.domain.SessionId;
import java.util.Optional;

/**
 * The live state of sessions, kept close to readers. Never the source of truth: commands never decide on it, and
 * readers serve an entry only at the version they know was committed. Writes are version-guarded, so an older version
 * never replaces a newer one, whatever order concurrent writers arrive in. Entries may disappear at any time
 * (expiry, eviction, a flush).
 *
 * <p>Any method may throw an unchecked exception when the cache cannot be reached; the application logs it and
 * carries on without the cache.
 */
public interface LiveStateCache {

    /**
     * @param id a session
     * @return the cached state, or empty
     */
    Optional<Session> get(SessionId id);

    /**
     * Caches a state unless the entry already holds the same or a newer version.
     *
     * @param session the state to cache
     * @return whether it was written
     */
    boolean put(Session session);

    /** @param id a session whose entry to drop, if any */
    void remove(SessionId id);
}
