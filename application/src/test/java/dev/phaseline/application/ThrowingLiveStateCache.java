package dev.phaseline.application;

import dev.phaseline.application.port.LiveStateCache;
import dev.phaseline.domain.Session;
import dev.phaseline.domain.SessionId;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** A cache that cannot be reached: every call throws, and is counted. */
final class ThrowingLiveStateCache implements LiveStateCache {

    final AtomicInteger calls = new AtomicInteger();

    @Override
    public Optional<Session> get(SessionId id) {
        throw unreachable();
    }

    @Override
    public boolean put(Session session) {
        throw unreachable();
    }

    @Override
    public void remove(SessionId id) {
        throw unreachable();
    }

    private IllegalStateException unreachable() {
        calls.incrementAndGet();
        return new IllegalStateException("cache unreachable");
    }
}
