package dev.phaseline.application;

import dev.phaseline.domain.PhaselineException;
import dev.phaseline.domain.SessionId;

/**
 * A command lost the race for a session so many times in a row that it gave up: code {@code unavailable}. Nothing
 * was changed; the caller may retry. Conflicting commands end long before this with an illegal transition, so it
 * only happens under extreme contention on one session.
 */
public final class ContentionException extends PhaselineException {

    /** Code of this error. */
    public static final String CODE = "unavailable";

    /**
     * @param id       the session
     * @param attempts how many times the command was tried
     */
    public ContentionException(SessionId id, int attempts) {
        super(CODE, "session " + id + " changed under " + attempts + " attempts in a row; retry");
    }
}
