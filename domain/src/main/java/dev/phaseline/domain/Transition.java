package dev.phaseline.domain;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of a command: the new session and the events that lead to it. The last event's seq equals the new
 * session's {@code lastEventSeq}.
 *
 * @param session the session after the command, never {@code null}
 * @param events  the events of the command in order, at least one
 */
public record Transition(Session session, List<SessionEvent> events) {

    /** Checks that the events end where the session's sequence does. */
    public Transition {
        Objects.requireNonNull(session, "session");
        events = List.copyOf(events);
        if (events.isEmpty() || events.get(events.size() - 1).seq() != session.lastEventSeq()) {
            throw new IllegalArgumentException("a transition ends with the event that numbers the new session");
        }
    }
}
