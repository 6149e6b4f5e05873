package dev.phaseline.application.port;

import dev.phaseline.domain.Session;
import dev.phaseline.domain.SessionEvent;
import dev.phaseline.domain.Transition;
import java.util.List;
import java.util.Objects;

/**
 * A new session state and the events that lead to it, to be stored as one unit.
 *
 * @param session         the new state, never {@code null}
 * @param expectedVersion the version the change was decided on; {@code 0} for a new session
 * @param events          the events, in seq order, ending with {@code session.lastEventSeq()}; at least one
 */
public record SessionChange(Session session, long expectedVersion, List<SessionEvent> events) {

    /** Checks that the events continue the expected version without a gap. */
    public SessionChange {
        Objects.requireNonNull(session, "session");
        events = List.copyOf(events);
        if (events.isEmpty()) {
            throw new IllegalArgumentException("a change has at least one event");
        }
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).seq() != expectedVersion + 1 + i || !events.get(i).sessionId().equals(session.id())) {
                throw new IllegalArgumentException("events must continue version " + expectedVersion
                        + " of session " + session.id() + " without a gap");
            }
        }
        if (session.version() != expectedVersion + events.size()) {
            throw new IllegalArgumentException("the new version must count the change's events");
        }
    }

    /**
     * @param transition      the domain's transition
     * @param expectedVersion the version it was decided on ({@code 0} for creation)
     * @return the change to store
     */
    public static SessionChange of(Transition transition, long expectedVersion) {
        return new SessionChange(transition.session(), expectedVersion, transition.events());
    }

    /** @return whether this change creates the session */
    public boolean isCreation() {
        return expectedVersion == 0;
    }
}
