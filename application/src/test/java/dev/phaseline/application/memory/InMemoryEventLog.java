package dev.phaseline.application.memory;

import dev.phaseline.application.port.EventLog;
import dev.phaseline.application.port.FeedQuery;
import dev.phaseline.application.port.StoredEvent;
import dev.phaseline.domain.SessionId;
import java.util.ArrayList;
import java.util.List;

/**
 * The event log of an {@link InMemorySessionStore}, for tests. Appends happen under the store's lock, so positions
 * are assigned in commit order and every position is final as soon as it is visible.
 */
public final class InMemoryEventLog implements EventLog {

    private final Object lock;
    private final List<StoredEvent> events = new ArrayList<>();

    InMemoryEventLog(Object lock) {
        this.lock = lock;
    }

    /** Appends under the store's lock; called only by the store. */
    List<StoredEvent> append(List<StoredEvent> unpositioned) {
        List<StoredEvent> stored = new ArrayList<>(unpositioned.size());
        for (StoredEvent event : unpositioned) {
            StoredEvent positioned = new StoredEvent(events.size() + 1L, event.sessionId(), event.tenantId(),
                    event.seq(), event.type(), event.at(), event.data());
            events.add(positioned);
            stored.add(positioned);
        }
        return stored;
    }

    @Override
    public List<StoredEvent> readSession(SessionId sessionId, long afterSeq, int limit) {
        synchronized (lock) {
            return events.stream()
                    .filter(event -> event.sessionId().equals(sessionId) && event.seq() > afterSeq)
                    .limit(limit)
                    .toList();
        }
    }

    @Override
    public List<StoredEvent> readFeed(FeedQuery query) {
        synchronized (lock) {
            int from = (int) Math.min(query.afterPosition(), events.size());
            return events.subList(from, events.size()).stream()
                    .filter(event -> query.tenantId() == null || query.tenantId().equals(event.tenantId()))
                    .filter(event -> query.types().isEmpty() || query.types().contains(event.type()))
                    .limit(query.limit())
                    .toList();
        }
    }

    @Override
    public long headPosition() {
        synchronized (lock) {
            return events.size();
        }
    }
}
