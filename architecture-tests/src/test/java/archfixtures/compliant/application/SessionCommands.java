package archfixtures.compliant.application;

import archfixtures.compliant.application.port.LiveStateCache;
import archfixtures.compliant.application.port.SessionStore;
import archfixtures.compliant.domain.Session;
import archfixtures.compliant.domain.SessionId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public final class SessionCommands {

    private static final Logger LOG = LoggerFactory.getLogger(SessionCommands.class);

    private final SessionStore store;
    private final LiveStateCache cache;

    public SessionCommands(SessionStore store, LiveStateCache cache) {
        this.store = store;
        this.cache = cache;
    }

    public Session changePhase(SessionId id, String phase) {
        Session next = store.find(id).orElseThrow().changePhase(phase);
        store.save(next);
        cache.put(next);
        LOG.debug("session {} entered phase {}", id, phase);
        return next;
    }
}
