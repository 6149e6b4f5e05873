package dev.phaseline.application;

import dev.phaseline.application.port.StoredEvent;
import dev.phaseline.domain.Session;
import java.util.List;
import java.util.Objects;

/**
 * What a committed command produced.
 *
 * @param session the session after the command
 * @param events  the events it stored, with their positions, in seq order
 */
public record CommandResult(Session session, List<StoredEvent> events) {

    /** Checks presence and copies the events. */
    public CommandResult {
        Objects.requireNonNull(session, "session");
        events = List.copyOf(events);
    }
}
