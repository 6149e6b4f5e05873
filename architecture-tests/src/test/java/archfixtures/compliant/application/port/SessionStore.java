package archfixtures.compliant.application.port;

import archfixtures.compliant.domain.Session;
import archfixtures.compliant.domain.SessionId;
import java.util.Optional;

public interface SessionStore {

    Optional<Session> find(SessionId id);

    void save(Session session);
}
