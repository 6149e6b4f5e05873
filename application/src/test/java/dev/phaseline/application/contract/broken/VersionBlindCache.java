package dev.phaseline.application.contract.broken;

import dev.phaseline.application.port.LiveStateCache;
import dev.phaseline.domain.Session;
import dev.phaseline.domain.SessionId;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A cache without the version guard: the last writer wins, even with an older version. */
final class VersionBlindCache implements LiveStateCache {

    private final Map<SessionId, Session> entries = new ConcurrentHashMap<>();

    @Override
    public Optional<Session> get(SessionId id) {
        return Optional.ofNullable(entries.get(id));
    }

    @Override
    public boolean put(Session session) {
        entries.put(session.id(), session);
        return true;
    }

    @Override
    public void remove(SessionId id) {
        entries.remove(id);
    }
}
