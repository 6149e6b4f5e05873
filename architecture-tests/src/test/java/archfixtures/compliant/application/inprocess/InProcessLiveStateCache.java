package archfixtures.compliant.application.inprocess;

import archfixtures.compliant.application.port.LiveStateCache;
import archfixtures.compliant.domain.Session;
import archfixtures.compliant.domain.SessionId;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

public final class InProcessLiveStateCache implements LiveStateCache {

    private final Map<SessionId, Session> sessions = new ConcurrentHashMap<>();

    @Override
    public void put(Session session) {
        sessions.put(session.id(), session);
    }
}
