package archfixtures.compliant.application.port;

import archfixtures.compliant.domain.Session;

public interface LiveStateCache {

    void put(Session session);
}
