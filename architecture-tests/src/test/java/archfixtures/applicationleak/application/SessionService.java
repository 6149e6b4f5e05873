package archfixtures.applicationleak.application;

import archfixtures.applicationleak.domain.Session;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public final class SessionService {

    private static final Logger LOG = LoggerFactory.getLogger(SessionService.class);

    public Session create(UUID id) {
        LOG.info("creating session {}", id);
        return new Session(id, "created");
    }
}
