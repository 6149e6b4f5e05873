package dev.phaseline.application.port;

import dev.phaseline.domain.Session;
import dev.phaseline.domain.SessionId;
import java.util.Optional;

/**
 * The live state of sessions, kept close to readers. Never the source of truth: readers serve an entry, and
 * commands start a decision from it, only at the version their node knows was committed, and the store confirms
 * every command (a version-guarded commit; a refusal is decided again on the stored state). Writes are version-guarded, so an older version
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
