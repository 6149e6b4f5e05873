package dev.phaseline.application;

import dev.phaseline.application.port.SessionChange;
import dev.phaseline.application.port.SessionListQuery;
import dev.phaseline.application.port.SessionStore;
import dev.phaseline.application.port.StoreUnavailableException;
import dev.phaseline.application.port.StoredEvent;
import dev.phaseline.domain.Session;
import dev.phaseline.domain.SessionId;
import dev.phaseline.domain.SessionStatus;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A store that works like its delegate until a test takes it down: wholly, or for writes only. */
final class UnavailableSessionStore implements SessionStore {

    private final SessionStore delegate;
    private volatile boolean down;
    private volatile boolean writesDown;

    UnavailableSessionStore(SessionStore delegate) {
        this.delegate = delegate;
    }

    void takeDown() {
        down = true;
    }

    void takeWritesDown() {
        writesDown = true;
    }

    void bringUp() {
        down = false;
        writesDown = false;
    }

    private void readable() {
        if (down) {
            throw new StoreUnavailableException("the store is down", new IOException("connection refused"));
        }
    }

    private void writable() {
        readable();
        if (writesDown) {
            throw new StoreUnavailableException("the store refuses writes",
                    new IOException("connection reset"));
        }
    }

    @Override
    public Optional<Session> find(SessionId id) {
        readable();
        return delegate.find(id);
    }

    @Override
    public List<StoredEvent> commit(SessionChange change) {
        writable();
        return delegate.commit(change);
    }

    @Override
    public boolean recordHeartbeat(SessionId id, Instant at) {
        writable();
        return delegate.recordHeartbeat(id, at);
    }

    @Override
    public List<Session> list(SessionListQuery query) {
        readable();
        return delegate.list(query);
    }

    @Override
    public List<Session> findStale(Instant cutoff, int limit) {
        readable();
        return delegate.findStale(cutoff, limit);
    }

    @Override
    public Map<String, Map<SessionStatus, Long>> countByTenantAndStatus() {
        readable();
        return delegate.countByTenantAndStatus();
    }
}
