package dev.phaseline.application.contract.broken;

import dev.phaseline.application.port.EventLog;
import dev.phaseline.application.port.FeedQuery;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A store and log in memory that work, except for one {@link Flaw}. */
final class FlawedSessionStore implements SessionStore, EventLog {

    /** The one behaviour this store lacks. */
    enum Flaw {
        /** {@code commit} stores the new state but never appends its events. */
        FORGETS_EVENTS,
        /** {@code commit} never compares versions, so stale changes and duplicate creations overwrite. */
        IGNORES_VERSION,
        /** {@code readFeed} ignores the tenant filter. */
        FEED_IGNORES_TENANT,
        /** {@code headPosition} is a stub that always answers {@code 0}. */
        HEAD_IS_A_STUB
    }

    private final Flaw flaw;
    private final Map<SessionId, Session> sessions = new HashMap<>();
    private final List<StoredEvent> events = new ArrayList<>();

    FlawedSessionStore(Flaw flaw) {
        this.flaw = flaw;
    }

    @Override
    public synchronized Optional<Session> find(SessionId id) {
        return Optional.ofNullable(sessions.get(id));
    }

    @Override
    public synchronized List<StoredEvent> commit(SessionChange change) {
        Session next = change.session();
        Session current = sessions.get(next.id());
        long stored = current == null ? 0 : current.version();
        if (flaw != Flaw.IGNORES_VERSION && stored != change.expectedVersion()) {
            throw new VersionConflictException(next.id(), change.expectedVersion());
        }
        sessions.put(next.id(), next);
        List<StoredEvent> appended = new ArrayList<>();
        for (var event : change.events()) {
            StoredEvent positioned = StoredEvent.of(event, next.tenantId(), events.size() + appended.size() + 1L);
            appended.add(positioned);
        }
        if (flaw != Flaw.FORGETS_EVENTS) {
            events.addAll(appended);
        }
        return appended;
    }

    @Override
    public synchronized boolean recordHeartbeat(SessionId id, Instant at) {
        Session current = sessions.get(id);
        if (current == null || current.status() != SessionStatus.RUNNING) {
            return false;
        }
        sessions.put(id, current.heartbeat(at));
        return true;
    }

    @Override
    public synchronized List<Session> list(SessionListQuery query) {
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

    @Override
    public synchronized List<Session> findStale(Instant cutoff, int limit) {
        return sessions.values().stream()
                .filter(s -> s.status() == SessionStatus.RUNNING && s.lastHeartbeatAt().isBefore(cutoff))
                .sorted(Comparator.comparing(Session::lastHeartbeatAt))
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized Map<String, Map<SessionStatus, Long>> countByTenantAndStatus() {
        Map<String, Map<SessionStatus, Long>> counts = new HashMap<>();
        sessions.values().forEach(s -> counts.computeIfAbsent(s.tenantId(), t -> new EnumMap<>(SessionStatus.class))
                .merge(s.status(), 1L, Long::sum));
        return counts;
    }

    @Override
    public synchronized List<StoredEvent> readSession(SessionId sessionId, long afterSeq, int limit) {
        return events.stream()
                .filter(e -> e.sessionId().equals(sessionId) && e.seq() > afterSeq)
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized List<StoredEvent> readFeed(FeedQuery query) {
        boolean byTenant = query.tenantId() != null && flaw != Flaw.FEED_IGNORES_TENANT;
        return events.stream()
                .filter(e -> e.position() > query.afterPosition())
                .filter(e -> !byTenant || query.tenantId().equals(e.tenantId()))
                .filter(e -> query.types().isEmpty() || query.types().contains(e.type()))
                .limit(query.limit())
                .toList();
    }

    @Override
    public synchronized long headPosition() {
        if (flaw == Flaw.HEAD_IS_A_STUB || events.isEmpty()) {
            return 0;
        }
        return events.get(events.size() - 1).position();
    }
}
