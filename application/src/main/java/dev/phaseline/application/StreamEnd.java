package dev.phaseline.application;

import dev.phaseline.domain.SessionStatus;
import java.util.Objects;

/**
 * Why a subscription ended.
 *
 * @param reason why
 * @param status for {@link Reason#TERMINAL}, the status the session ended in; otherwise {@code null}
 */
public record StreamEnd(Reason reason, SessionStatus status) {

    /** Checks that a status goes with, and only with, a terminal end. */
    public StreamEnd {
        Objects.requireNonNull(reason, "reason");
        if ((reason == Reason.TERMINAL) != (status != null)) {
            throw new IllegalArgumentException("a terminal end, and only it, carries a status");
        }
    }

    /** Why a subscription ended. */
    public enum Reason {
        /** The session reached a terminal status and every event up to it was delivered. */
        TERMINAL,
        /** The subscriber fell further behind than its buffer: resume after the last event received. */
        OVERFLOW,
        /** The store could not be read to fill a gap: resume after the last event received. */
        UNAVAILABLE,
        /** The application is shutting down. */
        SHUTDOWN
    }
}
