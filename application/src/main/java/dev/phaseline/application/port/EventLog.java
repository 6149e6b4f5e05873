package dev.phaseline.application.port;

import dev.phaseline.domain.SessionId;
import java.util.List;

/**
 * The durable, ordered log of session events: the read side of what {@link SessionStore#commit} appends. Within a
 * session, {@code seq} is gapless from 1; across sessions, {@code position} is unique and increasing.
 *
 * <p>Every method may throw {@link StoreUnavailableException}.
 */
public interface EventLog {

    /**
     * @param sessionId a session
     * @param afterSeq  only events with a larger seq ({@code 0} for all)
     * @param limit     the most events to return, {@code >= 1}
     * @return the session's events after {@code afterSeq}, in seq order
     */
    List<StoredEvent> readSession(SessionId sessionId, long afterSeq, int limit);

    /**
     * Reads the feed in position order. A read never returns a position while a lower one may still appear (for
     * example from a transaction that has not committed yet), so a reader that continues after the last position
     * it saw misses nothing.
     *
     * @param query tenant, starting position, types and limit
     * @return matching events after the query's position, in position order
     */
    List<StoredEvent> readFeed(FeedQuery query);

    /**
     * The end of the feed as a reader may see it now, so that a reader interested only in new events need not replay
     * the history: a feed read after the head returns only events that a read now would not, and misses nothing
     * committed later. It obeys the same bound as {@link #readFeed}, so it is never above a position that a lower,
     * not yet committed one could still precede.
     *
     * @return the highest position a feed read may return now, or {@code 0} when there is none; a reader that
     *         continues after it misses nothing committed later
     */
    long headPosition();
}
