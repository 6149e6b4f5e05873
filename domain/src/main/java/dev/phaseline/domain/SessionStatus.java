package dev.phaseline.domain;

import java.util.Locale;

/** Where a session is in its lifecycle. {@code completed}, {@code failed}, {@code killed}, {@code deleted} are terminal. */
public enum SessionStatus {
    /** Created, not yet started. */
    CREATED,
    /** A worker is running it. */
    RUNNING,
    /** Waiting: for clarification answers or for a resume. */
    PAUSED,
    /** Finished with a result. Terminal. */
    COMPLETED,
    /** Ended by a failure. Terminal. */
    FAILED,
    /** Ended by a person or the system. Terminal. */
    KILLED,
    /** Deleted; still readable by id, with its history. Terminal. */
    DELETED;

    /** @return whether no command other than delete may follow */
    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == KILLED || this == DELETED;
    }

    /** @return the lowercase name used in JSON and storage, e.g. {@code paused} */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param text a lowercase status name
     * @return the status
     * @throws ValidationException (path {@code status}) for an unknown name
     */
    public static SessionStatus fromWireName(String text) {
        for (SessionStatus status : values()) {
            if (status.wireName().equals(text)) {
                return status;
            }
        }
        throw ValidationException.of("status", "unknown status '" + text + "'");
    }
}
