package dev.phaseline.application;

import dev.phaseline.domain.PhaselineException;
import dev.phaseline.domain.SessionId;

/**
 * The session does not exist, or the principal may not see it: code {@code not_found}. The two are never told
 * apart, so that nobody can probe for other users' session ids.
 */
public final class SessionNotFoundException extends PhaselineException {

    /** Code of this error. */
    public static final String CODE = "not_found";

    /** @param id the session asked for */
    public SessionNotFoundException(SessionId id) {
        super(CODE, "session " + id + " not found");
    }
}
