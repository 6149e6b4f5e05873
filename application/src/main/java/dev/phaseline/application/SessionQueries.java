package dev.phaseline.application;

import dev.phaseline.domain.Session;
import dev.phaseline.domain.SessionId;
import dev.phaseline.domain.ValidationException;

/**
 * Reads sessions. A read answers from the live-state cache only when its entry holds exactly the newest version this
 * node knows was committed (by its own commands, the bus, or an earlier read of the store); otherwise from the store,
 * the source of truth, repairing the entry. An entry that lags behind (a lost write, an entry set by hand) or claims
 * a version nobody here saw committed is never served. Listings and histories always read the store.
 *
 * <p>Every method may throw {@link SessionNotFoundException}, {@link ForbiddenException} and
 * {@link dev.phaseline.application.port.StoreUnavailableException}.
 */
public interface SessionQueries {

    /**
     * @param principal who reads
     * @param id        the session
     * @return the current state
     */
    Session get(Principal principal, SessionId id);

    /**
     * Lists the sessions the principal may see: an admin every tenant's, support and workers their tenant's, a user
     * its own.
     *
     * @param principal who lists
     * @param query     filters and page
     * @return a page, newest first
     * @throws ValidationException (path {@code cursor}) if the cursor was not issued by a listing
     */
    SessionPage list(Principal principal, ListSessions query);

    /**
     * @param principal who reads
     * @param id        the session
     * @param afterSeq  only events after this seq, {@code >= 0}
     * @param limit     the most events, 1–{@value EventPage#MAX_LIMIT}
     * @return the session's events after {@code afterSeq}
     * @throws ValidationException if {@code afterSeq} or {@code limit} is out of range
     */
    EventPage history(Principal principal, SessionId id, long afterSeq, int limit);

    /**
     * The current end of the event feed, so that a feed subscriber that wants only new events can start there
     * instead of replaying the history: {@link SessionSubscriptions#subscribeFeed} after the head delivers every
     * matching event committed from now on. It may also deliver a few that were committing while the head was read,
     * but it never misses one.
     *
     * @param principal who asks; needs role support or admin, like the feed
     * @return the highest position a feed read may return now, or {@code 0} when there is none; the same for
     *         every tenant, since positions are global
     * @throws ForbiddenException if the principal lacks the roles
     */
    long feedHead(Principal principal);

    /**
     * @param principal who asks; needs role admin
     * @return session counts by tenant and status
     */
    AdminStats stats(Principal principal);
}
