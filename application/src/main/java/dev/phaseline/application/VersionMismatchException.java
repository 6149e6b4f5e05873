package dev.phaseline.application;

import dev.phaseline.domain.PhaselineException;
import dev.phaseline.domain.SessionId;

/** The caller's expected version is not the stored one: code {@code version_mismatch}. Nothing was changed. */
public final class VersionMismatchException extends PhaselineException {

    /** Code of this error. */
    public static final String CODE = "version_mismatch";

    private final long expectedVersion;
    private final long currentVersion;

    /**
     * @param id              the session
     * @param expectedVersion the version the caller expected
     * @param currentVersion  the version stored now
     */
    public VersionMismatchException(SessionId id, long expectedVersion, long currentVersion) {
        super(CODE, "session " + id + " is at version " + currentVersion + ", not " + expectedVersion);
        this.expectedVersion = expectedVersion;
        this.currentVersion = currentVersion;
    }

    /** @return the version the caller expected */
    public long expectedVersion() {
        return expectedVersion;
    }

    /** @return the version stored when the command was refused */
    public long currentVersion() {
        return currentVersion;
    }
}
