package dev.phaseline.benchmarks;

import dev.phaseline.application.port.SessionChange;
import dev.phaseline.application.port.SessionListQuery;
import dev.phaseline.application.port.SessionStore;
import dev.phaseline.application.port.StoredEvent;
import dev.phaseline.domain.Session;
import dev.phaseline.domain.SessionId;
import dev.phaseline.domain.SessionStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/** A store that times the two calls of a command's hot path, {@code find} and {@code commit}, for the breakdown. */
final class TimedSessionStore implements SessionStore {

    final LongAdder findNanos = new LongAdder();
    final LongAdder finds = new LongAdder();
    final LongAdder commitNanos = new LongAdder();
    final LongAdder commits = new LongAdder();
    private final SessionStore delegate;

    TimedSessionStore(SessionStore delegate) {
        this.delegate = delegate;
    }

    void reset() {
        findNanos.reset();
        finds.reset();
        commitNanos.reset();
        commits.reset();
    }

    @Override
    public Optional<Session> find(SessionId id) {
        long start = System.nanoTime();
        try {
            return delegate.find(id);
        } finally {
            findNanos.add(System.nanoTime() - start);
            finds.increment();
        }
    }

    @Override
    public List<StoredEvent> commit(SessionChange change) {
        long start = System.nanoTime();
        try {
            return delegate.commit(change);
        } finally {
            commitNanos.add(System.nanoTime() - start);
            commits.increment();
        }
    }

    @Override
    public boolean recordHeartbeat(SessionId id, Instant at) {
        return delegate.recordHeartbeat(id, at);
    }

    @Override
    public List<Session> list(SessionListQuery query) {
        return delegate.list(query);
    }

    @Override
    public List<Session> findStale(Instant cutoff, int limit) {
        return delegate.findStale(cutoff, limit);
    }

    @Override
    public Map<String, Map<SessionStatus, Long>> countByTenantAndStatus() {
        return delegate.countByTenantAndStatus();
    }
}
