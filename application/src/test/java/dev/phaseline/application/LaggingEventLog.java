package dev.phaseline.application;

import dev.phaseline.application.port.EventLog;
import dev.phaseline.application.port.FeedQuery;
import dev.phaseline.application.port.StoredEvent;
import dev.phaseline.domain.SessionId;
import java.util.List;

/**
 * A log whose feed does not yet show the newest positions, as a database log does while a transaction that took a
 * lower position has not committed. It keeps the contract: a read never returns a position while a lower one may
 * still appear.
 */
final class LaggingEventLog implements EventLog {

    private final EventLog delegate;
    private volatile long visibleUpTo = Long.MAX_VALUE;

    LaggingEventLog(EventLog delegate) {
        this.delegate = delegate;
    }

    void hideAfter(long position) {
        visibleUpTo = position;
    }

    void showAll() {
        visibleUpTo = Long.MAX_VALUE;
    }

    @Override
    public List<StoredEvent> readSession(SessionId sessionId, long afterSeq, int limit) {
        return delegate.readSession(sessionId, afterSeq, limit);
    }

    @Override
    public List<StoredEvent> readFeed(FeedQuery query) {
        long limit = visibleUpTo;
        return delegate.readFeed(query).stream().filter(event -> event.position() <= limit).toList();
    }

    @Override
    public long headPosition() {
        return Math.min(delegate.headPosition(), visibleUpTo);
    }
}
