package dev.phaseline.application.port;

import dev.phaseline.domain.SessionId;
import java.util.UUID;

/** Makes ids for new sessions. Comes from outside so that tests can fix ids. */
@FunctionalInterface
public interface IdGenerator {

    /** Random (version 4) UUIDs. */
    IdGenerator RANDOM = () -> new SessionId(UUID.randomUUID());

    /** @return a new, unused id */
    SessionId next();
}
