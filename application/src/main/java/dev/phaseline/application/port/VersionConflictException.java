package dev.phaseline.application.port;

import dev.phaseline.domain.PhaselineException;
import dev.phaseline.domain.SessionId;

/**
 * A store refused a change because the session's stored version is no longer the one the change was decided on
 * (or, for a creation, because the id exists). The application reloads and decides again; callers never see it.
 */
public final class VersionConflictException extends PhaselineException {

    /** Code of this error. */
    public static final String CODE = "version_conflict";

    /**
     * @param id              the session
     * @param expectedVersion the version the change expected
     */
    public VersionConflictException(SessionId id, long expectedVersion) {
        super(CODE, "session " + id + " is no longer at version " + expectedVersion);
    }
}
