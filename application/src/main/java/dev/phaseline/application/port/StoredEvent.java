package dev.phaseline.application.port;

import dev.phaseline.domain.JsonValue;
import dev.phaseline.domain.SessionEvent;
import dev.phaseline.domain.SessionId;
import java.time.Instant;
import java.util.Objects;

/**
 * A session event as the event log keeps it: the event's type and data plus the tenant and a global position.
 *
 * @param position  the global position in the log, {@code >= 1}, unique and increasing with append order; the
 *                  per-tenant feed is read by it
 * @param sessionId the session, never {@code null}
 * @param tenantId  the session's tenant, never {@code null}
 * @param seq       the per-session number, {@code >= 1}, gapless within the session
 * @param type      the event type, e.g. {@code session.started}, never {@code null}
 * @param at        when it happened, never {@code null}
 * @param data      the event data, never {@code null}
 */
public record StoredEvent(long position, SessionId sessionId, String tenantId, long seq, String type, Instant at,
        JsonValue.JsonObject data) {

    /** Checks presence and ranges. */
    public StoredEvent {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(data, "data");
        if (position < 1 || seq < 1) {
            throw new IllegalArgumentException("position and seq start at 1");
        }
    }

    /**
     * @param event    a domain event
     * @param tenantId its session's tenant
     * @param position the position the log gave it
     * @return the stored form
     */
    public static StoredEvent of(SessionEvent event, String tenantId, long position) {
        return new StoredEvent(position, event.sessionId(), tenantId, event.seq(), event.type(), event.at(),
                event.data());
    }

    /** @return whether a session stream ends after this event */
    public boolean isTerminal() {
        return SessionEvent.TERMINAL_TYPES.contains(type);
    }
}
