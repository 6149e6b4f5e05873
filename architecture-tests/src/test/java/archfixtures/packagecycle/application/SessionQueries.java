package archfixtures.packagecycle.application;

import archfixtures.packagecycle.application.port.SessionStore;
import archfixtures.packagecycle.domain.Session;
import java.util.List;

public final class SessionQueries {

    private final SessionStore store;

    public SessionQueries(SessionStore store) {
        this.store = store;
    }

    public List<Session> running(String tenantId) {
        return store.find(new SessionQuery(tenantId, "running", 50));
    }
}
