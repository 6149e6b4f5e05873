package dev.phaseline.application.port;

import dev.phaseline.domain.Session;
import dev.phaseline.domain.SessionId;
import dev.phaseline.domain.SessionStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The source of truth for sessions, with optimistic concurrency on {@code version}. A store appends every change's
 * events to its {@link EventLog} in the same unit of work as the new state: one is never stored without the other.
 *
 * <p>Every method may throw {@link StoreUnavailableException}; then nothing of the call was stored.
 */
public interface SessionStore {

    /**
     * @param id a session id
     * @return the stored session, or empty when there is none with that id
     */
    Optional<Session> find(SessionId id);

    /**
     * Stores a change and appends its events to the log, atomically. For a creation ({@code expectedVersion == 0})
     * the id must be new; otherwise the stored version must equal {@code expectedVersion}.
     *
     * @param change the new state and its events
     * @return the appended events with their global positions, in seq order
     * @throws VersionConflictException if the stored version differs (or, for a creation, the id exists); nothing
     *                                  is stored
     */
    List<StoredEvent> commit(SessionChange change);

    /**
     * Moves {@code lastHeartbeatAt} of a running session, without a new version or event.
     *
     * @param id the session
     * @param at the heartbeat time
     * @return whether a running session with that id was updated
     */
    boolean recordHeartbeat(SessionId id, Instant at);

    /**
     * Lists sessions newest first (see {@link SessionCursor#NEWEST_FIRST}), after the query's cursor.
     *
     * @param query filters, cursor and limit
     * @return at most {@code query.limit()} sessions
     */
    List<Session> list(SessionListQuery query);

    /**
     * Finds running sessions whose worker last showed life before a cutoff (or never did and started before it).
     *
     * @param cutoff the heartbeat time before which a session counts as stale
     * @param limit  the most sessions to return
     * @return stale running sessions, oldest heartbeat first
     */
    List<Session> findStale(Instant cutoff, int limit);

    /** @return the number of sessions by tenant and status; statuses without sessions may be absent */
    Map<String, Map<SessionStatus, Long>> countByTenantAndStatus();
}
