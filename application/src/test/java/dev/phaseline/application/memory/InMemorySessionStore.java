package dev.phaseline.application.memory;

import dev.phaseline.application.port.EventLog;
import dev.phaseline.application.port.SessionChange;
import dev.phaseline.application.port.SessionCursor;
import dev.phaseline.application.port.SessionListQuery;
import dev.phaseline.application.port.SessionStore;
import dev.phaseline.application.port.StoredEvent;
import dev.phaseline.application.port.VersionConflictException;
import dev.phaseline.domain.Session;
import dev.phaseline.domain.SessionId;
import dev.phaseline.domain.SessionStatus;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@link SessionStore} in memory, with its {@link #eventLog()}, for fast tests. One lock makes every commit and
 * its events atomic. It passes {@code SessionStoreContract} and {@code EventLogContract} in full.
 */
public final class InMemorySessionStore implements SessionStore {

    private final Object lock = new Object();
    private final Map<SessionId, Session> sessions = new HashMap<>();
    private final InMemoryEventLog log = new InMemoryEventLog(lock);

    /** @return the log this store appends to */
    public EventLog eventLog() {
        return log;
    }

    @Override
    public Optional<Session> find(SessionId id) {
        synchronized (lock) {
            return Optional.ofNullable(sessions.get(id));
        }
    }

    @Override
    public List<StoredEvent> commit(SessionChange change) {
        Session next = change.session();
        synchronized (lock) {
            Session current = sessions.get(next.id());
            long storedVersion = current == null ? 0 : current.version();
            if (storedVersion != change.expectedVersion() || (change.isCreation() && current != null)) {
                throw new VersionConflictException(next.id(), change.expectedVersion());
            }
            sessions.put(next.id(), next);
            return log.append(change.events().stream()
                    .map(event -> StoredEvent.of(event, next.tenantId(), 1))
                    .toList());
        }
    }

    @Override
    public boolean recordHeartbeat(SessionId id, Instant at) {
        synchronized (lock) {
            Session current = sessions.get(id);
            if (current == null || current.status() != SessionStatus.RUNNING) {
                return false;
            }
            sessions.put(id, current.heartbeat(at));
            return true;
        }
    }

    @Override
    public List<Session> list(SessionListQuery query) {
        synchronized (lock) {
            return sessions.values().stream()
                    .filter(s -> query.tenantId() == null || query.tenantId().equals(s.tenantId()))
                    .filter(s -> query.ownerId() == null || query.ownerId().equals(s.ownerId()))
                    .filter(s -> query.statuses().contains(s.status()))
                    .filter(s -> query.workflow() == null || query.workflow().equals(s.workflow()))
                    .filter(s -> query.after() == null || query.after().precedes(s))
                    .sorted(SessionCursor.NEWEST_FIRST)
                    .limit(query.limit())
                    .toList();
        }
    }

    @Override
    public List<Session> findStale(Instant cutoff, int limit) {
        synchronized (lock) {
            return sessions.values().stream()
                    .filter(s -> s.status() == SessionStatus.RUNNING)
                    .filter(s -> lastSignOfLife(s).isBefore(cutoff))
                    .sorted(Comparator.comparing(InMemorySessionStore::lastSignOfLife))
                    .limit(limit)
                    .toList();
        }
    }

    private static Instant lastSignOfLife(Session session) {
        return session.lastHeartbeatAt() != null ? session.lastHeartbeatAt() : session.startedAt();
    }

    @Override
    public Map<String, Map<SessionStatus, Long>> countByTenantAndStatus() {
        synchronized (lock) {
            Map<String, Map<SessionStatus, Long>> counts = new TreeMap<>();
            for (Session session : sessions.values()) {
                counts.computeIfAbsent(session.tenantId(), tenant -> new EnumMap<>(SessionStatus.class))
                        .merge(session.status(), 1L, Long::sum);
            }
            return counts;
        }
    }
}
